/** What a form shows after Django refused its data. */
export type FormErrors = {
  /** Errors about the whole form (bad credentials, server unreachable, ...). */
  formError?: string;
  /** Django REST framework's per-field messages, by field name. */
  fieldErrors?: Record<string, string[]>;
};

/**
 * Turn a DRF error body into form errors: `{"detail": "..."}`, `{"non_field_errors": [...]}`
 * and `{"field": ["..."]}` are the shapes DRF answers with.
 */
export function formErrorsFrom(body: unknown, fallback: string): FormErrors {
  if (!body || typeof body !== "object" || Array.isArray(body)) return { formError: fallback };
  const fieldErrors: Record<string, string[]> = {};
  const general: string[] = [];
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    const messages = (Array.isArray(value) ? value : [value]).filter(
      (message): message is string => typeof message === "string",
    );
    if (key === "detail" || key === "non_field_errors") general.push(...messages);
    else if (messages.length) fieldErrors[key] = messages;
  }
  const formError = general.join(" ") || (Object.keys(fieldErrors).length ? undefined : fallback);
  return { formError, fieldErrors };
}

export const UNREACHABLE = "The server could not be reached. Please try again in a moment.";
