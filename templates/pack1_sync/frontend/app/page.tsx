import Link from "next/link";
import { redirect } from "next/navigation";

import { getCurrentUser } from "@/lib/session";

export default async function HomePage() {
  if (await getCurrentUser()) redirect("/reports");
  return (
    <section className="stack">
      <h1>Reports</h1>
      <p>Request a report and find it here when it is ready.</p>
      <p className="actions">
        <Link href="/signup" className="button">
          Create an account
        </Link>
        <Link href="/signin">Sign in</Link>
      </p>
    </section>
  );
}
