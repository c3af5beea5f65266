import "server-only";

import { djangoApi } from "@/lib/api/client";
import { formErrorsFrom, type FormErrors } from "@/lib/api/errors";
import { dropSessionCookies } from "@/lib/django";

/**
 * Sign-in, sign-up and sign-out against Django's session auth. Call these from Server Actions
 * only: they set or delete the browser's cookies.
 */

export type Credentials = { username: string; password: string };

/** Django checks the credentials and starts a session; its cookies are copied to the browser. */
export async function signIn(credentials: Credentials): Promise<FormErrors | null> {
  const { error, response } = await djangoApi().POST("/api/auth/login/", { body: credentials });
  if (response.ok) return null;
  return formErrorsFrom(error, "Sign-in failed. Check your username and password.");
}

/** Django creates the account and signs it in. */
export async function signUp(account: Credentials & { email?: string }): Promise<FormErrors | null> {
  const { error, response } = await djangoApi().POST("/api/auth/signup/", { body: account });
  if (response.ok) return null;
  return formErrorsFrom(error, "The account could not be created.");
}

/** End the session in Django, then forget the browser's cookies even if Django was unreachable. */
export async function signOut(): Promise<void> {
  try {
    await djangoApi().POST("/api/auth/logout/");
  } finally {
    await dropSessionCookies();
  }
}
