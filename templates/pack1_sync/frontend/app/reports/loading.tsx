export default function Loading() {
  return (
    <p role="status" className="status">
      Loading…
    </p>
  );
}
