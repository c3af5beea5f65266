import type { Job } from "@/lib/jobs";

export type JobState = {
  /** The latest copy of the job; null until the first answer. */
  job: Job | null;
  /** Why the job cannot be shown right now, if it cannot. */
  error: string | null;
};

export type SetJobState = (update: (state: JobState) => JobState) => void;

/**
 * A transport: start following job `id`, report every change through `setState`, and return
 * the function that stops (closes what it opened, cancels its timers). `useJob` picks one.
 */
export type FollowJob = (id: string, setState: SetJobState) => () => void;
