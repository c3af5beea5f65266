import "server-only";

import { djangoApiUrl } from "@/lib/django";

/**
 * Answer with one of Django's event streams, passed on chunk by chunk as Django writes it.
 *
 * Streams do not go through the `/api/` rewrite of next.config.ts: a rewrite buffers a
 * response the client accepts gzip for (browsers always do), so the events would arrive all
 * at once at the end. Returning Django's body as a route handler's body streams it, and
 * `no-transform` asks every proxy after this one not to compress (and so buffer) it either.
 *
 * `forward` names the request headers Django needs (cookies for a user's stream, the
 * Authorization of an operations check, Last-Event-ID when EventSource reconnects). When the
 * client goes away, `request.signal` aborts the request to Django, which closes its end.
 */
export async function proxyEventStream(
  request: Request,
  djangoPath: string,
  forward: readonly string[],
): Promise<Response> {
  const headers: Record<string, string> = {
    Accept: "text/event-stream",
    "X-Forwarded-Proto": new URL(request.url).protocol.replace(":", ""),
  };
  for (const name of forward) {
    const value = request.headers.get(name);
    if (value) headers[name] = value;
  }
  let upstream: Response;
  try {
    upstream = await fetch(`${djangoApiUrl()}${djangoPath}`, {
      headers,
      cache: "no-store",
      redirect: "manual",
      signal: request.signal,
    });
  } catch {
    return Response.json({ detail: "The API is unreachable." }, { status: 502 });
  }
  return new Response(upstream.body, {
    status: upstream.status,
    headers: {
      "Content-Type": upstream.headers.get("content-type") ?? "text/event-stream",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
