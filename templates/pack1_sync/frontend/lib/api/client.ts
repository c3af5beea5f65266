import "server-only";

import createClient, { type Client, type Middleware } from "openapi-fetch";

import {
  adoptDjangoCookies,
  djangoApiUrl,
  safeRequestHeaders,
  unsafeRequestHeaders,
} from "@/lib/django";

import type { paths } from "./schema";

export type { components, paths } from "./schema";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Every request to Django acts for the browser behind the current request: its cookies go
 * along; unsafe requests also carry the CSRF token and Origin Django expects, and the cookies
 * Django sets in answer (login, signup, logout) are copied back to the browser. Unsafe
 * requests are only made from Server Actions, where cookies can be written.
 */
const actAsBrowser: Middleware = {
  async onRequest({ request }) {
    const headers = SAFE_METHODS.has(request.method)
      ? await safeRequestHeaders()
      : await unsafeRequestHeaders();
    for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
    return request;
  },
  async onResponse({ request, response }) {
    if (!SAFE_METHODS.has(request.method)) await adoptDjangoCookies(response);
    return response;
  },
};

/**
 * openapi-fetch calls `fetch(request)`; Next.js's server-side fetch drops the body of a
 * `Request` object, so pass it on as URL and init instead. Never cached, and redirects are not
 * followed: a redirect from Django (to HTTPS, say) is a misconfiguration to see, not to chase
 * with the user's cookies.
 */
async function fetchRequest(request: Request): Promise<Response> {
  const hasBody = request.method !== "GET" && request.method !== "HEAD";
  return fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: hasBody ? await request.arrayBuffer() : undefined,
    cache: "no-store",
    redirect: "manual",
  });
}

/** A typed client for Django's API, generated from its OpenAPI schema (`npm run api:generate`). */
export function djangoApi(): Client<paths> {
  const client = createClient<paths>({ baseUrl: djangoApiUrl(), fetch: fetchRequest });
  client.use(actAsBrowser);
  return client;
}
