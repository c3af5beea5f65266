import "server-only";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";

import { djangoApi, type components } from "@/lib/api/client";
import { SESSION_COOKIE } from "@/lib/django";

export type User = components["schemas"]["User"];

/**
 * The signed-in user, as Django sees the browser's session; null when signed out. Asked once
 * per request however many components call it.
 */
export const getCurrentUser = cache(async (): Promise<User | null> => {
  // No session cookie: nobody to ask Django about.
  if (!(await cookies()).has(SESSION_COOKIE)) return null;
  const { data, response } = await djangoApi().GET("/api/auth/me/");
  if (data) return data;
  if (response.status === 401 || response.status === 403) return null;
  throw new Error(`Django answered ${response.status} to /api/auth/me/`);
});

/** Where to send a visitor who must sign in first, coming back to `next` afterwards. */
export function signInPath(next?: string): string {
  return next ? `/signin?next=${encodeURIComponent(next)}` : "/signin";
}

/** The signed-in user, or a redirect to the sign-in page that comes back to `next`. */
export async function requireUser(next?: string): Promise<User> {
  const user = await getCurrentUser();
  if (!user) redirect(signInPath(next));
  return user;
}

/** A local path to go to after signing in; anything else (other sites included) goes home. */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.startsWith("//")) return "/reports";
  if (next.includes("\\")) return "/reports";
  return next;
}
