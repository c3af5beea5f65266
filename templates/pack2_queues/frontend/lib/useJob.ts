"use client";

import { useEffect, useState } from "react";

import { isTerminal, type Job } from "@/lib/jobs";

/** How often a job is polled: the seed's rule, and what `stackpacks doctor` reasons about. */
export const JOB_POLL_INTERVAL_MS = 2000;

export type JobState = {
  /** The latest copy of the job; null until the first answer. */
  job: Job | null;
  /** Why the job cannot be shown right now, if it cannot. */
  error: string | null;
};

/**
 * Follow a background job until it finishes: the one place that knows how job updates reach
 * the browser. Pack 2 polls `GET /api/jobs/{id}/` every 2 s with the last ETag (an unchanged job
 * costs Django an empty 304) and stops at a terminal state; later packs change the transport
 * here (SSE, WebSocket) and every component using the hook stays as it is.
 *
 * Give the component that calls it `key={id}`, so a new job starts from a clean state.
 */
export function useJob(id: string): JobState {
  const [state, setState] = useState<JobState>({ job: null, error: null });

  useEffect(() => {
    let stopped = false;
    let etag: string | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const later = () => {
      if (!stopped) timer = setTimeout(poll, JOB_POLL_INTERVAL_MS);
    };

    async function poll(): Promise<void> {
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
      setState({ job, error: null });
      if (!isTerminal(job.status)) later();
    }

    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [id]);

  return state;
}
