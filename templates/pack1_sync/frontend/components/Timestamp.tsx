const format = new Intl.DateTimeFormat("en-GB", {
  dateStyle: "medium",
  timeStyle: "medium",
  timeZone: "UTC",
});

/** A server-rendered time in UTC, machine-readable in `dateTime`. */
export function Timestamp({ value }: { value: string | null | undefined }) {
  if (!value) return <>—</>;
  return <time dateTime={value}>{format.format(new Date(value))} UTC</time>;
}
