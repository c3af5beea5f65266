import "server-only";

import { cookies, headers } from "next/headers";

/**
 * How this server talks to Django on behalf of the browser.
 *
 * The browser holds Django's own cookies (`sessionid`, `csrftoken`), set on this origin. Server
 * code forwards them to Django, answers Django's CSRF check like a browser would (token header
 * plus an Origin/Referer that Django trusts), and copies the cookies Django sets back onto the
 * browser. So Django's session and CSRF rules apply unchanged, and the session cookie is never
 * readable by JavaScript.
 *
 * On the browser-to-Next.js hop, cross-site forgery is stopped before this code runs: Next.js
 * rejects a Server Action whose Origin is not this site, and the SameSite=Lax cookies are not
 * sent with cross-site POSTs at all.
 */

export const SESSION_COOKIE = "sessionid";
export const CSRF_COOKIE = "csrftoken";

/** Django's cookies this server passes on to the browser, and whether JavaScript may read them. */
const ADOPTED_COOKIES: Readonly<Record<string, { httpOnly: boolean }>> = {
  [SESSION_COOKIE]: { httpOnly: true },
  // Readable like Django's default, so browser code calling `/api/` through the rewrite can
  // send it as `X-CSRFToken`. It only proves the request comes from this origin.
  [CSRF_COOKIE]: { httpOnly: false },
};

export function djangoApiUrl(): string {
  return (process.env.DJANGO_API_URL || "http://127.0.0.1:8000").replace(/\/+$/, "");
}

/**
 * The browser's cookies as a `Cookie` header, with `overrides` (cookies set during this request)
 * winning. Not `cookies().toString()`: that adds `Path=/` pairs Django would read as cookies.
 */
export async function cookieHeader(overrides: Record<string, string> = {}): Promise<string> {
  const values = new Map((await cookies()).getAll().map(({ name, value }) => [name, value]));
  for (const [name, value] of Object.entries(overrides)) values.set(name, value);
  return Array.from(values, ([name, value]) => `${name}=${value}`).join("; ");
}

/**
 * The origin the browser sees this site at. Server Actions always carry an `Origin` header,
 * which Next.js has already checked against the host and `serverActions.allowedOrigins`;
 * Django checks it again against `CSRF_TRUSTED_ORIGINS`.
 */
export async function browserOrigin(): Promise<string> {
  const incoming = await headers();
  const origin = incoming.get("origin");
  if (origin && origin !== "null") return origin;
  const proto = incoming.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  const host = incoming.get("x-forwarded-host") ?? incoming.get("host") ?? "localhost:3000";
  return `${proto}://${host}`;
}

/** The CSRF token to send with an unsafe request, fetching one from Django when there is none. */
export async function csrfToken(): Promise<string> {
  const existing = (await cookies()).get(CSRF_COOKIE)?.value;
  if (existing) return existing;
  const response = await fetch(`${djangoApiUrl()}/api/auth/csrf/`, {
    cache: "no-store",
    redirect: "manual",
    headers: await safeRequestHeaders(),
  });
  if (!response.ok) throw new Error(`Django answered ${response.status} to /api/auth/csrf/`);
  const token = (await adoptDjangoCookies(response))[CSRF_COOKIE];
  if (!token) throw new Error("Django did not set a CSRF cookie");
  return token;
}

/**
 * Headers for any request to Django: the browser's cookies, and the scheme the browser used, so
 * that Django (with DJANGO_TRUST_X_FORWARDED_PROTO on) treats a request that came in over HTTPS
 * as secure even though this hop is plain HTTP.
 */
export async function safeRequestHeaders(): Promise<Record<string, string>> {
  const scheme = new URL(await browserOrigin()).protocol.replace(":", "");
  return { Cookie: await cookieHeader(), "X-Forwarded-Proto": scheme };
}

/**
 * Headers that make an unsafe request pass Django's CSRF middleware too: the token in both the
 * cookie and `X-CSRFToken`, and an Origin/Referer listed in Django's `CSRF_TRUSTED_ORIGINS`.
 */
export async function unsafeRequestHeaders(): Promise<Record<string, string>> {
  const token = await csrfToken();
  const origin = await browserOrigin();
  return {
    ...(await safeRequestHeaders()),
    Cookie: await cookieHeader({ [CSRF_COOKIE]: token }),
    "X-CSRFToken": token,
    Origin: origin,
    Referer: `${origin}/`,
  };
}

/**
 * Copy the session and CSRF cookies Django set in `response` onto the browser's response, and
 * return the values set. Only callable where cookies can be written: Server Actions and route
 * handlers.
 */
export async function adoptDjangoCookies(response: Response): Promise<Record<string, string>> {
  const jar = await cookies();
  const secure = await secureCookies();
  const adopted: Record<string, string> = {};
  for (const line of response.headers.getSetCookie()) {
    const cookie = parseSetCookie(line);
    const policy = cookie && ADOPTED_COOKIES[cookie.name];
    if (!cookie || !policy) continue;
    if (cookie.maxAge !== undefined && cookie.maxAge <= 0) {
      jar.delete(cookie.name);
      continue;
    }
    adopted[cookie.name] = cookie.value;
    jar.set(cookie.name, cookie.value, {
      httpOnly: policy.httpOnly,
      sameSite: "lax",
      secure,
      path: "/",
      maxAge: cookie.maxAge,
    });
  }
  return adopted;
}

/** Forget the browser's session, whatever Django answered. */
export async function dropSessionCookies(): Promise<void> {
  const jar = await cookies();
  for (const name of Object.keys(ADOPTED_COOKIES)) jar.delete(name);
}

/**
 * `COOKIE_SECURE=true|false` forces the `Secure` flag; unset, it follows the scheme the browser
 * used, so cookies are Secure behind HTTPS and still work on http://localhost.
 */
async function secureCookies(): Promise<boolean> {
  const setting = process.env.COOKIE_SECURE?.trim().toLowerCase();
  if (setting === "true" || setting === "1") return true;
  if (setting === "false" || setting === "0") return false;
  return (await browserOrigin()).startsWith("https:");
}

type SetCookie = { name: string; value: string; maxAge?: number };

export function parseSetCookie(line: string): SetCookie | null {
  const [pair = "", ...attributes] = line.split(";");
  const separator = pair.indexOf("=");
  if (separator <= 0) return null;
  const name = pair.slice(0, separator).trim();
  const value = pair
    .slice(separator + 1)
    .trim()
    .replace(/^"(.*)"$/, "$1");
  let maxAge: number | undefined;
  for (const attribute of attributes) {
    const [key = "", raw = ""] = attribute.split("=", 2).map((part) => part.trim());
    if (key.toLowerCase() === "max-age") maxAge = Number.parseInt(raw, 10);
    else if (key.toLowerCase() === "expires" && maxAge === undefined) {
      const expires = Date.parse(raw);
      if (!Number.isNaN(expires)) maxAge = Math.floor((expires - Date.now()) / 1000);
    }
  }
  return { name, value, maxAge };
}
