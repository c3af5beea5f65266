"use client";

import { useEffect } from "react";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  useEffect(() => {
    console.error(error);
  }, [error]);
  return (
    <section className="stack" role="alert">
      <h1>Something went wrong</h1>
      <p>
        The page could not be loaded. If the backend is restarting, trying again in a moment
        usually works.
        {error.digest && <> Reference: <code>{error.digest}</code>.</>}
      </p>
      <p>
        <button type="button" onClick={reset}>
          Try again
        </button>
      </p>
    </section>
  );
}
