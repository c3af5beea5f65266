"use server";

import { revalidatePath } from "next/cache";
import { unstable_rethrow } from "next/navigation";

import { UNREACHABLE } from "@/lib/api/errors";
import { shareReport } from "@/lib/collaboration";
import { field, type FormState } from "@/lib/forms";

export async function shareReportAction(
  _previous: FormState,
  formData: FormData,
): Promise<FormState> {
  const reportId = Number(field(formData, "report_id"));
  const username = field(formData, "username");
  const values = { username };
  if (!Number.isSafeInteger(reportId) || reportId < 1) {
    return { formError: "This report cannot be shared.", values };
  }
  if (!username) {
    return { fieldErrors: { username: ["Enter the username to share with."] }, values };
  }
  let outcome: Awaited<ReturnType<typeof shareReport>>;
  try {
    outcome = await shareReport(reportId, username);
  } catch (error) {
    unstable_rethrow(error); // redirect() to sign-in when the session has ended
    console.error("sharing a report failed", error);
    return { formError: UNREACHABLE, values };
  }
  if (outcome.errors) return { ...outcome.errors, values };
  // The page lists the members: render it again with the new one.
  revalidatePath(`/reports/${reportId}`);
  return { message: `Shared with ${outcome.member.username}.` };
}
