"use client";

import { useEffect, useState } from "react";

import { isTerminal, type Job } from "@/lib/jobs";

/** How often a job is polled when its event stream cannot be used. */
export const JOB_POLL_INTERVAL_MS = 2000;

export type JobState = {
  /** The latest copy of the job; null until the first answer. */
  job: Job | null;
  /** Why the job cannot be shown right now, if it cannot. */
  error: string | null;
};

type SetState = (update: (state: JobState) => JobState) => void;

/**
 * Follow a background job until it finishes: the one place that knows how job updates reach
 * the browser. Pack 3 subscribes to the job's event stream (server-sent events from Django's
 * `GET /api/jobs/{id}/events/`, proxied unbuffered by app/streams/jobs/[id]/route.ts): every
 * change is pushed as it happens, and the stream ends with the job.
 * EventSource reconnects by itself after a dropped connection, sending the last event's id so
 * nothing is missed. Should the stream fail for good (an old proxy, an error answer), the hook
 * falls back to pack 2's polling of `GET /api/jobs/{id}/`. Components see the same state
 * either way.
 *
 * Give the component that calls it `key={id}`, so a new job starts from a clean state.
 */
export function useJob(id: string): JobState {
  const [state, setState] = useState<JobState>({ job: null, error: null });

  useEffect(() => {
    if (typeof EventSource === "undefined") return poll(id, setState);
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
        stopPolling = poll(id, setState);
      }
    });
    return () => {
      source.close();
      stopPolling?.();
    };
  }, [id]);

  return state;
}

/**
 * Pack 2's transport: poll `GET /api/jobs/{id}/` every 2 s with the last ETag (an unchanged
 * job costs Django an empty 304) until a terminal state. Returns the function that stops it.
 */
function poll(id: string, setState: SetState): () => void {
  let stopped = false;
  let etag: string | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const later = () => {
    if (!stopped) timer = setTimeout(once, JOB_POLL_INTERVAL_MS);
  };

  async function once(): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`/api/jobs/${encodeURIComponent(id)}/`, {
        cache: "no-store",
        headers: etag ? { "If-None-Match": etag } : {},
      });
    } catch {
      if (!stopped) setState((s) => ({ ...s, error: "Lost contact with the server; retrying." }));
      return later();
    }
    if (stopped) return;
    if (response.status === 304) return later();
    if (response.status === 403 || response.status === 404) {
      // Signed out, or not this user's job: asking again will not change the answer.
      setState((s) => ({ ...s, error: "This job cannot be shown. Sign in again and retry." }));
      return;
    }
    if (!response.ok) {
      setState((s) => ({ ...s, error: `The server answered ${response.status}; retrying.` }));
      return later();
    }
    const job = (await response.json()) as Job;
    if (stopped) return;
    etag = response.headers.get("ETag");
    setState(() => ({ job, error: null }));
    if (!isTerminal(job.status)) later();
  }

  void once();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
