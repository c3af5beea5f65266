"use client";

import { useFormStatus } from "react-dom";

/** A submit button that says what is happening while its form's action runs.
 *
 * Marked `aria-disabled`, not `disabled`, while it runs: a disabled button drops the keyboard
 * focus to the page. A second submission meanwhile (a click, or Enter in a field, which clicks
 * the form's first button) is refused here instead. */
export function SubmitButton({ children, pending }: { children: string; pending: string }) {
  const status = useFormStatus();
  return (
    <button
      type="submit"
      aria-disabled={status.pending}
      onClick={(event) => {
        if (status.pending) event.preventDefault();
      }}
    >
      {status.pending ? pending : children}
    </button>
  );
}
