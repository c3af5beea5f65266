import type { ReportResult } from "@/lib/reports";

const number = new Intl.NumberFormat("en-GB", { maximumFractionDigits: 2 });

/** What a ready report computed. */
export function ReportResultDetails({ result }: { result: ReportResult }) {
  return (
    <section className="stack" aria-labelledby="result-heading">
      <h2 id="result-heading">Result</h2>
      <dl className="details">
        <dt>Rows</dt>
        <dd>{number.format(result.rows)}</dd>
        <dt>Total</dt>
        <dd>{number.format(result.total)}</dd>
        <dt>Mean</dt>
        <dd>{number.format(result.mean)}</dd>
        <dt>Minimum</dt>
        <dd>{number.format(result.minimum)}</dd>
        <dt>Maximum</dt>
        <dd>{number.format(result.maximum)}</dd>
      </dl>
    </section>
  );
}
