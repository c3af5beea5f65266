"use client";

import Link from "next/link";
import { useActionState } from "react";

import { Field } from "@/components/Field";
import { FormError } from "@/components/FormError";
import { SubmitButton } from "@/components/SubmitButton";
import { requestReportAction } from "@/lib/actions/reports";
import { initialFormState, REPORT_MAX_ROWS } from "@/lib/forms";

export function RequestReportForm() {
  const [state, formAction, pending] = useActionState(requestReportAction, initialFormState);
  return (
    <form action={formAction} className="card stack" aria-busy={pending} noValidate>
      <h2>Request a report</h2>
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
      <SubmitButton pending="Building report…">Request report</SubmitButton>
      <p className="status" role="status" aria-live="polite">
        {pending
          ? "Building your report. This takes a few seconds."
          : state.message && (
              <>
                {state.message} {state.href && <Link href={state.href}>View it</Link>}
              </>
            )}
      </p>
    </form>
  );
}
