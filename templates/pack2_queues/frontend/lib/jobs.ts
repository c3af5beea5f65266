import type { components } from "@/lib/api/schema";

/** Background jobs as the API describes them (GET /api/jobs/{id}/). Safe in browser code. */

export type Job = components["schemas"]["Job"];
export type JobStatus = components["schemas"]["JobStatusEnum"];

/** States a job never leaves: polling stops here. */
export const TERMINAL_STATUSES: ReadonlySet<JobStatus> = new Set(["succeeded", "failed", "dead"]);

export function isTerminal(status: JobStatus): boolean {
  return TERMINAL_STATUSES.has(status);
}
