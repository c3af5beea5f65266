"use server";

import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";

import { UNREACHABLE } from "@/lib/api/errors";
import { field, type FormState, REPORT_MAX_ROWS } from "@/lib/forms";
import { createReport } from "@/lib/reports";

/** The form's state: a queued report's job to follow, once there is one. */
export type RequestReportState = FormState & { job?: { id: string; title: string } };

export async function requestReportAction(
  _previous: RequestReportState,
  formData: FormData,
): Promise<RequestReportState> {
  const title = field(formData, "title");
  // One key per form (see RequestReportForm): a resubmitted form is the same request.
  const idempotencyKey = field(formData, "idempotency_key");
  const rowsText = field(formData, "rows");
  const values = { title, rows: rowsText };
  if (!title) return { fieldErrors: { title: ["Give the report a title."] }, values };
  const rows = rowsText ? Number(rowsText) : undefined;
  if (rows !== undefined && (!Number.isInteger(rows) || rows < 1 || rows > REPORT_MAX_ROWS)) {
    return { fieldErrors: { rows: [`Enter a whole number from 1 to ${REPORT_MAX_ROWS}.`] }, values };
  }
  let outcome: Awaited<ReturnType<typeof createReport>>;
  try {
    outcome = await createReport(
      { title, ...(rows !== undefined ? { rows } : {}) },
      idempotencyKey || crypto.randomUUID(),
    );
  } catch (error) {
    unstable_rethrow(error); // redirect() to sign-in when the session has ended
    console.error("requesting a report failed", error);
    return { formError: UNREACHABLE, values };
  }
  if (outcome.errors) return { ...outcome.errors, values };
  // The list on the same page shows the new (pending) report in this action's response.
  revalidatePath("/reports");
  return { job: { id: outcome.job.id, title } };
}
