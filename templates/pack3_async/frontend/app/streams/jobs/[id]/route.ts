import { proxyEventStream } from "@/lib/eventStream";

/**
 * GET /streams/jobs/{id}: the job's event stream (Django's GET /api/jobs/{id}/events/),
 * proxied as it arrives (lib/eventStream.ts says why not through the `/api/` rewrite).
 * The browser's cookies go along (Django checks the session: only the owner may follow a
 * job), and so does Last-Event-ID when EventSource reconnects.
 */
export const dynamic = "force-dynamic";

const JOB_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function GET(
  request: Request,
  { params }: { params: Promise<{ id: string }> },
): Promise<Response> {
  const { id } = await params;
  if (!JOB_ID.test(id)) return Response.json({ detail: "Not found." }, { status: 404 });
  return proxyEventStream(request, `/api/jobs/${id}/events/`, ["cookie", "last-event-id"]);
}
