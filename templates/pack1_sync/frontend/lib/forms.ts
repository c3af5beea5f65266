import type { FormErrors } from "@/lib/api/errors";

/** What a Server Action hands back to its form: errors, and the values to show again. */
export type FormState = FormErrors & {
  values?: Record<string, string>;
  /** Set when the action succeeded without leaving the page. */
  message?: string;
  /** A link that goes with `message`. */
  href?: string;
};

export const initialFormState: FormState = {};

/** A text field of a submitted form, trimmed; "" when missing. */
export function field(formData: FormData, name: string): string {
  const value = formData.get(name);
  return typeof value === "string" ? value.trim() : "";
}

/** The largest report a user may request from the form (Django has the final word). */
export const REPORT_MAX_ROWS = 100_000;
