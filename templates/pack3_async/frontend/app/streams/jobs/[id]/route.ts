import { djangoApiUrl } from "@/lib/django";

/**
 * GET /streams/jobs/{id}: the job's event stream (Django's GET /api/jobs/{id}/events/),
 * proxied as it arrives.
 *
 * Not under /api/: the `/api/` rewrite in next.config.ts is matched before routes with a
 * dynamic segment, and a rewrite buffers a response the browser accepts gzip for (browsers
 * always do), so the events would arrive all at once at the end. Returning Django's body as
 * this route's body streams it chunk by chunk. The browser's
 * cookies go along (Django checks the session: only the owner may follow a job), and so does
 * Last-Event-ID when EventSource reconnects. When the browser goes away, `request.signal`
 * aborts the request to Django, which closes its end of the stream.
 */
export const dynamic = "force-dynamic";

const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const { id } = await params;
  if (!JOB_ID.test(id)) return Response.json({ detail: "Not found." }, { status: 404 });
  const headers: Record<string, string> = {
    Accept: "text/event-stream",
    "X-Forwarded-Proto": new URL(request.url).protocol.replace(":", ""),
  };
  for (const name of ["cookie", "last-event-id"]) {
    const value = request.headers.get(name);
    if (value) headers[name] = value;
  }
  let upstream: Response;
  try {
    upstream = await fetch(`${djangoApiUrl()}/api/jobs/${id}/events/`, {
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
      // no-transform: no proxy may compress (and so buffer) the stream on its way.
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
