import type { NextConfig } from "next";

// Django as seen from this server. Server Actions and server components read DJANGO_API_URL
// when they run (lib/django.ts); the rewrite below is fixed by `next build` (it is written
// into .next/routes-manifest.json), so give the build the same value as the server.
const djangoApiUrl = (process.env.DJANGO_API_URL || "http://127.0.0.1:8000").replace(/\/+$/, "");

// Hosts (host[:port], as in the browser's address bar) allowed to post Server Actions besides
// this server's own: needed only behind a proxy that does not forward `X-Forwarded-Host`.
const allowedOrigins = (process.env.SERVER_ACTIONS_ALLOWED_ORIGINS ?? "")
  .split(",")
  .map((origin) => origin.trim())
  .filter(Boolean);

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Django's URLs end in a slash. Without this Next answers `/api/x/` with a 308 to `/api/x`,
  // and Django's APPEND_SLASH then redirects to `/api/x/` on its own origin, outside the proxy.
  skipTrailingSlashRedirect: true,
  ...(allowedOrigins.length > 0 && { experimental: { serverActions: { allowedOrigins } } }),
  async rewrites() {
    // Browser code reaches Django through this server, on the same origin: the session cookie
    // goes along and Django's CSRF check sees this site's Origin. `:path*` drops the trailing
    // slash; put it back. This proxy buffers nothing but responses the client lets it gzip: a
    // later pack that streams (SSE) through it must turn `compress` off or use a route handler.
    return [{ source: "/api/:path*", destination: `${djangoApiUrl}/api/:path*/` }];
  },
};

export default nextConfig;
