"use client";

import { useActionState } from "react";

import { Field } from "@/components/Field";
import { FormError } from "@/components/FormError";
import { SubmitButton } from "@/components/SubmitButton";
import { shareReportAction } from "@/lib/actions/sharing";
import { initialFormState } from "@/lib/forms";

/** The owner's form to share a report with another user, by username. */
export function ShareReportForm({ reportId }: { reportId: number }) {
  const [state, formAction] = useActionState(shareReportAction, initialFormState);
  return (
    <form action={formAction} className="stack" noValidate>
      <input type="hidden" name="report_id" value={reportId} />
      <FormError message={state.formError} />
      <div className="row">
        <Field
          name="username"
          label="Share with (username)"
          autoComplete="off"
          required
          maxLength={150}
          defaultValue={state.values?.username}
          errors={state.fieldErrors?.username}
        />
      </div>
      <SubmitButton pending="Sharing…">Share</SubmitButton>
      <p className="status" role="status" aria-live="polite">
        {state.message}
      </p>
    </form>
  );
}
