import { proxyEventStream } from "@/lib/eventStream";

/**
 * GET /streams/signals/stream-check?events=N&interval=S: Django's stream check
 * (GET /api/signals/stream-check/, behind SIGNALS_TOKEN), proxied the way job progress is.
 * `stackpacks doctor --front-url` times its events here: on the same path as the browser's
 * streams, so a proxy in front of this server that buffers `/streams/` is found, and the
 * `/api/` rewrite (which buffers) is not blamed for streams that never take it.
 */
export const dynamic = "force-dynamic";

export async function GET(request: Request): Promise<Response> {
  const query = new URL(request.url).search;
  return proxyEventStream(request, `/api/signals/stream-check/${query}`, ["authorization"]);
}
