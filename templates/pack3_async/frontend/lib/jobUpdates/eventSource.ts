import { isTerminal, type Job } from "@/lib/jobs";

import { followByPolling } from "./polling";
import type { FollowJob } from "./types";

/**
 * The job's event stream (server-sent events from Django's `GET /api/jobs/{id}/events/`,
 * proxied unbuffered by app/streams/jobs/[id]/route.ts). Every change is pushed as it happens,
 * and the stream ends with the job. EventSource reconnects by itself after a dropped
 * connection, sending the last event's id so nothing is missed. Should the stream fail for good
 * (an old proxy, an error answer), it falls back to polling.
 */
export const followOverEventSource: FollowJob = (id, setState) => {
  if (typeof EventSource === "undefined") return followByPolling(id, setState);
  let stopPolling: (() => void) | undefined;
  const source = new EventSource(`/streams/jobs/${encodeURIComponent(id)}`);
  source.addEventListener("job", (message: MessageEvent<string>) => {
    const job = JSON.parse(message.data) as Job;
    setState(() => ({ job, error: null }));
    // Close before the server ends the stream, or EventSource would reconnect.
    if (isTerminal(job.status)) source.close();
  });
  source.addEventListener("gone", () => {
    source.close();
    setState((s) => ({ ...s, error: "This job no longer exists." }));
  });
  source.addEventListener("error", () => {
    // CONNECTING: a dropped stream, being reopened. CLOSED: EventSource gave up (an HTTP
    // error, or 204 for a job that had already ended): ask the polling endpoint instead.
    if (source.readyState === EventSource.CLOSED && !stopPolling) {
      stopPolling = followByPolling(id, setState);
    }
  });
  return () => {
    source.close();
    stopPolling?.();
  };
};
