import "server-only";

import createClient, { type Client, type Middleware } from "openapi-fetch";

import { adoptDjangoCookies, cookieHeader, djangoApiUrl, unsafeRequestHeaders } from "@/lib/django";

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
    if (SAFE_METHODS.has(request.method)) {
      request.headers.set("Cookie", await cookieHeader());
      return request;
    }
    for (const [name, value] of Object.entries(await unsafeRequestHeaders())) {
      request.headers.set(name, value);
    }
    return request;
  },
  async onResponse({ request, response }) {
    if (!SAFE_METHODS.has(request.method)) await adoptDjangoCookies(response);
    return response;
  },
};

/** A typed client for Django's API, generated from its OpenAPI schema (`npm run api:generate`). */
export function djangoApi(): Client<paths> {
  const client = createClient<paths>({ baseUrl: djangoApiUrl(), cache: "no-store" });
  client.use(actAsBrowser);
  return client;
}
