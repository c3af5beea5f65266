import Link from "next/link";
import { unstable_rethrow } from "next/navigation";

import { SignOutButton } from "@/components/SignOutButton";
import { getCurrentUser, type User } from "@/lib/session";

/** Who is signed in; null when nobody is, or when Django cannot say (the page shows why). */
async function currentUserForHeader(): Promise<User | null> {
  try {
    return await getCurrentUser();
  } catch (error) {
    unstable_rethrow(error); // Next.js's own control flow, such as dynamic rendering
    console.error("site header: could not ask Django who is signed in", error);
    return null;
  }
}

/** In the root layout, outside every error boundary: it must not fail with Django. */
export async function SiteHeader() {
  const user = await currentUserForHeader();
  return (
    <header className="site-header">
      <nav aria-label="Main" className="container nav">
        <Link href="/" className="brand">
          Reports
        </Link>
        {user ? (
          <>
            <Link href="/reports">My reports</Link>
            <span className="spacer" />
            <span className="who">
              Signed in as <strong data-testid="current-user">{user.username}</strong>
            </span>
            <SignOutButton />
          </>
        ) : (
          <>
            <span className="spacer" />
            <Link href="/signin">Sign in</Link>
            <Link href="/signup">Sign up</Link>
          </>
        )}
      </nav>
    </header>
  );
}
