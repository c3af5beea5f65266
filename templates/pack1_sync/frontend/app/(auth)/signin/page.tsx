import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";

import { SignInForm } from "@/components/SignInForm";
import { getCurrentUser, safeNextPath } from "@/lib/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const { next } = await searchParams;
  const nextPath = typeof next === "string" ? safeNextPath(next) : undefined;
  if (await getCurrentUser()) redirect(nextPath ?? "/reports");
  return (
    <section className="narrow stack">
      <h1>Sign in</h1>
      <SignInForm next={nextPath} />
      <p>
        New here? <Link href="/signup">Create an account</Link>.
      </p>
    </section>
  );
}
