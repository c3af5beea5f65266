"use client";

import { type FormEvent, useActionState } from "react";

import { Field } from "@/components/Field";
import { FormError } from "@/components/FormError";
import { JobProgress } from "@/components/JobProgress";
import { SubmitButton } from "@/components/SubmitButton";
import { requestReportAction, type RequestReportState } from "@/lib/actions/reports";
import { REPORT_MAX_ROWS } from "@/lib/forms";

const initialFormState: RequestReportState = {};

export function RequestReportForm() {
  const [state, formAction, pending] = useActionState(requestReportAction, initialFormState);
  return (
    <form
      action={formAction}
      onSubmit={keepIdempotencyKey}
      className="card stack"
      aria-busy={pending}
      noValidate
    >
      <h2>Request a report</h2>
      <input type="hidden" name="idempotency_key" defaultValue="" />
      <FormError message={state.formError} />
      <div className="row">
        <Field
          name="title"
          label="Title"
          required
          maxLength={200}
          defaultValue={state.values?.title}
          errors={state.fieldErrors?.title}
        />
        <Field
          name="rows"
          label="Rows (optional)"
          type="number"
          inputMode="numeric"
          min={1}
          max={REPORT_MAX_ROWS}
          defaultValue={state.values?.rows}
          errors={state.fieldErrors?.rows}
        />
      </div>
      <SubmitButton pending="Queueing report…">Request report</SubmitButton>
      <p className="status" role="status" aria-live="polite">
        {pending
          ? "Queueing your report."
          : state.job && (
              <JobProgress key={state.job.id} jobId={state.job.id} title={state.job.title} />
            )}
      </p>
    </form>
  );
}

/**
 * Give the submitted form an idempotency key, unless it has one: a second click while the first
 * request is on its way sends the same key, so Django queues one report. React resets the form
 * once the action has answered, so the next request gets a new key.
 */
function keepIdempotencyKey(event: FormEvent<HTMLFormElement>): void {
  const input = event.currentTarget.elements.namedItem("idempotency_key");
  if (input instanceof HTMLInputElement && !input.value) input.value = crypto.randomUUID();
}
