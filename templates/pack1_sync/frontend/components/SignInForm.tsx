"use client";

import { useActionState } from "react";

import { Field } from "@/components/Field";
import { FormError } from "@/components/FormError";
import { SubmitButton } from "@/components/SubmitButton";
import { signInAction } from "@/lib/actions/auth";
import { initialFormState } from "@/lib/forms";

export function SignInForm({ next }: { next?: string }) {
  const [state, formAction] = useActionState(signInAction, initialFormState);
  return (
    <form action={formAction} className="card stack" noValidate>
      <FormError message={state.formError} />
      {next && <input type="hidden" name="next" value={next} />}
      <Field
        name="username"
        label="Username"
        autoComplete="username"
        required
        defaultValue={state.values?.username}
        errors={state.fieldErrors?.username}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="current-password"
        required
        errors={state.fieldErrors?.password}
      />
      <SubmitButton pending="Signing in…">Sign in</SubmitButton>
    </form>
  );
}
