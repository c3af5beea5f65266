"use client";

import { useFormStatus } from "react-dom";

/** A submit button that says what is happening while its form's action runs. */
export function SubmitButton({ children, pending }: { children: string; pending: string }) {
  const status = useFormStatus();
  return (
    <button type="submit" disabled={status.pending} aria-disabled={status.pending}>
      {status.pending ? pending : children}
    </button>
  );
}
