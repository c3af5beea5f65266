import Link from "next/link";

import { ReportStatusBadge } from "@/components/ReportStatusBadge";
import { Timestamp } from "@/components/Timestamp";
import type { Report } from "@/lib/reports";

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "—";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export function ReportTable({ reports }: { reports: Report[] }) {
  if (reports.length === 0) {
    return <p className="empty">No reports yet. Request one above.</p>;
  }
  return (
    <table className="reports">
      <thead>
        <tr>
          <th scope="col">Title</th>
          <th scope="col">Status</th>
          <th scope="col" className="number">
            Rows
          </th>
          <th scope="col">Requested</th>
          <th scope="col" className="number">
            Took
          </th>
        </tr>
      </thead>
      <tbody>
        {reports.map((report) => (
          <tr key={report.id} data-report-id={report.id}>
            <td>
              <Link href={`/reports/${report.id}`}>{report.title}</Link>
            </td>
            <td>
              <ReportStatusBadge status={report.status} />
            </td>
            <td className="number">{report.rows ?? "—"}</td>
            <td>
              <Timestamp value={report.created_at} />
            </td>
            <td className="number">{formatDuration(report.duration_ms)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
