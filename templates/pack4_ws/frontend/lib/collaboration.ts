import "server-only";

import { redirect } from "next/navigation";

import { djangoApi, type components } from "@/lib/api/client";
import { formErrorsFrom, type FormErrors } from "@/lib/api/errors";
import type { RoomComment } from "@/lib/room";
import { signInPath } from "@/lib/session";

/** Working on a report together: who it is shared with, and its comments. Server code only. */

export type Member = components["schemas"]["User"];

function signedOut(response: Response, reportId: number): void {
  if (response.status === 401 || response.status === 403) {
    redirect(signInPath(`/reports/${reportId}`));
  }
}

/** The users a report is shared with (its owner and its members may ask). */
export async function listMembers(reportId: number): Promise<Member[]> {
  const { data, response } = await djangoApi().GET("/api/reports/{id}/members/", {
    params: { path: { id: reportId } },
  });
  if (data) return data;
  signedOut(response, reportId);
  throw new Error(`Django answered ${response.status} to GET /api/reports/${reportId}/members/`);
}

/** The report's comments, oldest first (the first 200: the room's socket sends the rest). */
export async function listComments(reportId: number): Promise<RoomComment[]> {
  const { data, response } = await djangoApi().GET("/api/reports/{id}/comments/", {
    params: { path: { id: reportId }, query: { after: 0 } },
  });
  if (data) return data;
  signedOut(response, reportId);
  throw new Error(`Django answered ${response.status} to GET /api/reports/${reportId}/comments/`);
}

/** The owner shares the report with one more user, by username. */
export async function shareReport(
  reportId: number,
  username: string,
): Promise<{ member: Member; errors?: never } | { member?: never; errors: FormErrors }> {
  const { data, error, response } = await djangoApi().POST("/api/reports/{id}/members/", {
    params: { path: { id: reportId } },
    body: { username },
  });
  if (data) return { member: data };
  if (response.status === 401) redirect(signInPath(`/reports/${reportId}`));
  return { errors: formErrorsFrom(error, "The report could not be shared.") };
}
