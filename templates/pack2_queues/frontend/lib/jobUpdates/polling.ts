import { isTerminal, type Job } from "@/lib/jobs";

import type { FollowJob } from "./types";

/** How often a job is polled; each poll counts in the poll metrics `stackpacks doctor` reads. */
export const JOB_POLL_INTERVAL_MS = 2000;

/**
 * Poll `GET /api/jobs/{id}/` every 2 s with the last ETag (an unchanged job costs Django an
 * empty 304) until a terminal state. Transports that push updates fall back to this one.
 */
export const followByPolling: FollowJob = (id, setState) => {
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
};
