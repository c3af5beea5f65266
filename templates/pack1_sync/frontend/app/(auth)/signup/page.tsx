import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { SignUpForm } from "@/components/SignUpForm";
import { getCurrentUser } from "@/lib/session";

export const metadata: Metadata = { title: "Sign up" };

export default async function SignUpPage() {
  if (await getCurrentUser()) redirect("/reports");
  return (
    <section className="narrow stack">
      <h1>Create an account</h1>
      <SignUpForm />
      <p>
        Already have one? <Link href="/signin">Sign in</Link>.
      </p>
    </section>
  );
}
