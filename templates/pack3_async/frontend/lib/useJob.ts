"use client";

import { useEffect, useState } from "react";

import { followOverEventSource } from "@/lib/jobUpdates/eventSource";
import type { JobState } from "@/lib/jobUpdates/types";

export type { JobState } from "@/lib/jobUpdates/types";

/**
 * Follow a background job until it finishes: the one place that picks how job updates reach
 * the browser. Pack 3 follows the job's event stream, falling back to pack 2's polling
 * (lib/jobUpdates/ holds each transport). Components see the same state either way.
 *
 * Give the component that calls it `key={id}`, so a new job starts from a clean state.
 */
export function useJob(id: string): JobState {
  const [state, setState] = useState<JobState>({ job: null, error: null });
  useEffect(() => followOverEventSource(id, setState), [id]);
  return state;
}
