import "server-only";

import { notFound, redirect } from "next/navigation";

import { djangoApi, type components } from "@/lib/api/client";
import { formErrorsFrom, type FormErrors } from "@/lib/api/errors";
import type { Job } from "@/lib/jobs";
import { signInPath } from "@/lib/session";

/** The reports API. Components read and write reports through here, never with inline fetches. */

export type Report = components["schemas"]["Report"];
export type ReportPage = components["schemas"]["PaginatedReportList"];
export type ReportStatus = components["schemas"]["ReportStatusEnum"];
export type ReportResult = components["schemas"]["ReportResult"];
export type NewReport = components["schemas"]["ReportRequest"];

/** The session ended between the page's check and this call: sign in again. */
function signedOut(response: Response, next: string): void {
  if (response.status === 401 || response.status === 403) redirect(signInPath(next));
}

/** One page of the signed-in user's reports, newest first. */
export async function listReports(page = 1): Promise<ReportPage> {
  const { data, response } = await djangoApi().GET("/api/reports/", {
    params: { query: page > 1 ? { page } : {} },
  });
  if (data) return data;
  signedOut(response, "/reports");
  if (response.status === 404 && page > 1) notFound(); // past the last page
  throw new Error(`Django answered ${response.status} to GET /api/reports/`);
}

/** One of the signed-in user's reports; a 404 page when it does not exist or is someone else's. */
export async function getReport(id: number): Promise<Report> {
  const { data, response } = await djangoApi().GET("/api/reports/{id}/", {
    params: { path: { id } },
  });
  if (data) return data;
  signedOut(response, `/reports/${id}`);
  if (response.status === 404) notFound();
  throw new Error(`Django answered ${response.status} to GET /api/reports/${id}/`);
}

/**
 * Ask Django for a report. Pack 2 queues it: Django answers 202 with the job that builds it,
 * which the page follows with `useJob`. The same `idempotencyKey` (one per form) gives the same
 * job, so a double submit or a retried request builds one report.
 */
export async function createReport(
  report: NewReport,
  idempotencyKey: string,
): Promise<{ job: Job; errors?: never } | { job?: never; errors: FormErrors }> {
  const { data, error, response } = await djangoApi().POST("/api/reports/", {
    body: report,
    params: { header: { "Idempotency-Key": idempotencyKey } },
  });
  if (data) return { job: data };
  signedOut(response, "/reports");
  return { errors: formErrorsFrom(error, "The report could not be requested.") };
}
