"use client";

import { useEffect, useState } from "react";

import { followOverWebSocket } from "@/lib/jobUpdates/webSocket";
import type { JobState } from "@/lib/jobUpdates/types";

export type { JobState } from "@/lib/jobUpdates/types";

/**
 * Follow a background job until it finishes: the one place that picks how job updates reach
 * the browser. Pack 4 follows it over the tab's one WebSocket, falling back to pack 3's event
 * stream and pack 2's polling when WebSockets do not get through (lib/jobUpdates/ holds each
 * transport). Components see the same state either way.
 *
 * Give the component that calls it `key={id}`, so a new job starts from a clean state.
 */
export function useJob(id: string): JobState {
  const [state, setState] = useState<JobState>({ job: null, error: null });
  useEffect(() => followOverWebSocket(id, setState), [id]);
  return state;
}
