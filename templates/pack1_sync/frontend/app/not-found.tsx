import Link from "next/link";

export default function NotFound() {
  return (
    <section className="stack">
      <h1>Not found</h1>
      <p>There is nothing here, or it belongs to someone else.</p>
      <p>
        <Link href="/reports">Back to my reports</Link>
      </p>
    </section>
  );
}
