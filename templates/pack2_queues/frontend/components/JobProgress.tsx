"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

import { isTerminal } from "@/lib/jobs";
import { useJob } from "@/lib/useJob";

/**
 * A report's job as it runs: a progress bar, then the outcome. Reads the job only through
 * `useJob`, so it does not care how updates arrive. Render it with `key={jobId}`.
 */
export function JobProgress({ jobId, title }: { jobId: string; title: string }) {
  const { job, error } = useJob(jobId);
  const router = useRouter();
  const finished = job !== null && isTerminal(job.status);

  useEffect(() => {
    // The report list on the page is rendered by the server: fetch it again once, when done.
    if (finished) router.refresh();
  }, [finished, router]);

  const progress = job?.progress ?? 0;
  return (
    <span className="stack job-progress" data-job-id={jobId} data-job-status={job?.status}>
      <progress max={100} value={progress} aria-label={`Progress of “${title}”`}>
        {progress} %
      </progress>
      <span>{describe(title, job, error)}</span>
      {job?.status === "succeeded" && job.subject_id !== null && (
        <>
          {" "}
          <Link href={`/reports/${job.subject_id}`}>View it</Link>
        </>
      )}
    </span>
  );
}

function describe(
  title: string,
  job: ReturnType<typeof useJob>["job"],
  error: string | null,
): string {
  if (error) return error;
  if (!job) return `Report “${title}” is queued.`;
  switch (job.status) {
    case "queued":
      return job.attempts > 0
        ? `Report “${title}” hit an error and will be retried (attempt ${job.attempts} of ${job.max_attempts}).`
        : `Report “${title}” is waiting for a worker.`;
    case "running":
      // The sentence is a live region: it moves in quarters, the bar above it at every update.
      return `Building report “${title}”: ${Math.floor(job.progress / 25) * 25} % done.`;
    case "succeeded":
      return `Report “${title}” is ready.`;
    case "failed":
      return `Report “${title}” failed: ${job.error}`;
    case "dead":
      return `Report “${title}” failed ${job.attempts} times and was set aside: ${job.error}`;
  }
}
