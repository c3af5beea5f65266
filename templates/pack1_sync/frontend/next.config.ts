import type { NextConfig } from "next";

// Django, as seen from this server (rewrites below and every Server Action). Read when the
// server starts, so one build can run against any backend.
const djangoApiUrl = (process.env.DJANGO_API_URL || "http://127.0.0.1:8000").replace(/\/+$/, "");

// Hosts (host[:port], as in the browser's address bar) allowed to post Server Actions besides
// this server's own host: needed only behind a proxy that does not forward `X-Forwarded-Host`.
const allowedOrigins = (process.env.SERVER_ACTIONS_ALLOWED_ORIGINS ?? "")
  .split(",")
  .map((origin) => origin.trim())
  .filter(Boolean);

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Django's URLs end in a slash. Without this Next answers `/api/x/` with a 308 to `/api/x`
  // and Django's APPEND_SLASH then redirects to `/api/x/` on its own origin, outside the proxy.
  skipTrailingSlashRedirect: true,
  experimental: {
    serverActions: { allowedOrigins },
  },
  async rewrites() {
    // The browser reaches Django through this server (same origin: the session cookie and
    // CSRF just work). `:path*` drops the trailing slash, so put it back.
    return [{ source: "/api/:path*", destination: `${djangoApiUrl}/api/:path*/` }];
  },
};

export default nextConfig;
