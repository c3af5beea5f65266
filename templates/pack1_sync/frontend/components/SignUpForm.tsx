"use client";

import { useActionState } from "react";

import { Field } from "@/components/Field";
import { FormError } from "@/components/FormError";
import { SubmitButton } from "@/components/SubmitButton";
import { signUpAction } from "@/lib/actions/auth";
import { initialFormState } from "@/lib/forms";

export function SignUpForm() {
  const [state, formAction] = useActionState(signUpAction, initialFormState);
  return (
    <form action={formAction} className="card stack" noValidate>
      <FormError message={state.formError} />
      <Field
        name="username"
        label="Username"
        autoComplete="username"
        required
        maxLength={150}
        defaultValue={state.values?.username}
        errors={state.fieldErrors?.username}
      />
      <Field
        name="email"
        label="Email (optional)"
        type="email"
        autoComplete="email"
        defaultValue={state.values?.email}
        errors={state.fieldErrors?.email}
      />
      <Field
        name="password"
        label="Password"
        type="password"
        autoComplete="new-password"
        required
        hint="Django's password validators apply: at least 8 characters, not too common."
        errors={state.fieldErrors?.password}
      />
      <SubmitButton pending="Creating account…">Create account</SubmitButton>
    </form>
  );
}
