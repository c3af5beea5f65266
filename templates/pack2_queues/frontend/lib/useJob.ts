"use client";

import { useEffect, useState } from "react";

import { followByPolling } from "@/lib/jobUpdates/polling";
import type { JobState } from "@/lib/jobUpdates/types";

export type { JobState } from "@/lib/jobUpdates/types";

/**
 * Follow a background job until it finishes: the one place that picks how job updates reach
 * the browser. Pack 2 polls (lib/jobUpdates/polling.ts); later packs change the transport here
 * (SSE, WebSocket) and every component using the hook stays as it is.
 *
 * Give the component that calls it `key={id}`, so a new job starts from a clean state.
 */
export function useJob(id: string): JobState {
  const [state, setState] = useState<JobState>({ job: null, error: null });
  useEffect(() => followByPolling(id, setState), [id]);
  return state;
}
