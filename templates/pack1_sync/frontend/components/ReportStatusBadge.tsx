import type { ReportStatus } from "@/lib/reports";

const LABELS: Record<ReportStatus, string> = {
  pending: "Pending",
  running: "Running",
  ready: "Ready",
  failed: "Failed",
};

export function ReportStatusBadge({ status }: { status: ReportStatus }) {
  return <span className={`badge badge-${status}`}>{LABELS[status]}</span>;
}
