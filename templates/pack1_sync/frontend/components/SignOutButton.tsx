import { SubmitButton } from "@/components/SubmitButton";
import { signOutAction } from "@/lib/actions/auth";

/** Sign-out is a POST (a Server Action), so no other site can sign the user out with a link. */
export function SignOutButton() {
  return (
    <form action={signOutAction} className="inline">
      <SubmitButton pending="Signing out…">Sign out</SubmitButton>
    </form>
  );
}
