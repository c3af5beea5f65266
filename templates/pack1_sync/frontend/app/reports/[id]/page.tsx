import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";

import { ReportExtras } from "@/components/ReportExtras";
import { formatDuration } from "@/components/ReportTable";
import { ReportResultDetails } from "@/components/ReportResultDetails";
import { ReportStatusBadge } from "@/components/ReportStatusBadge";
import { Timestamp } from "@/components/Timestamp";
import { getReport } from "@/lib/reports";
import { requireUser } from "@/lib/session";

type Props = { params: Promise<{ id: string }> };

function reportId(raw: string): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id < 1) notFound();
  return id;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Report ${(await params).id}` };
}

export default async function ReportPage({ params }: Props) {
  const id = reportId((await params).id);
  const user = await requireUser(`/reports/${id}`);
  const report = await getReport(id);
  return (
    <article className="stack">
      <p>
        <Link href="/reports">← My reports</Link>
      </p>
      <h1>{report.title}</h1>
      <dl className="details">
        <dt>Status</dt>
        <dd>
          <ReportStatusBadge status={report.status} />
        </dd>
        <dt>Rows</dt>
        <dd>{report.rows ?? "—"}</dd>
        <dt>Requested</dt>
        <dd>
          <Timestamp value={report.created_at} />
        </dd>
        <dt>Started</dt>
        <dd>
          <Timestamp value={report.started_at} />
        </dd>
        <dt>Finished</dt>
        <dd>
          <Timestamp value={report.finished_at} />
        </dd>
        <dt>Took</dt>
        <dd>{formatDuration(report.duration_ms)}</dd>
      </dl>
      {report.error && (
        <p role="alert" className="form-error">
          {report.error}
        </p>
      )}
      {report.result && <ReportResultDetails result={report.result} />}
      <ReportExtras report={report} user={user} />
    </article>
  );
}
