import type { Metadata } from "next";
import Link from "next/link";

import { ReportTable } from "@/components/ReportTable";
import { RequestReportForm } from "@/components/RequestReportForm";
import { listReports } from "@/lib/reports";
import { requireUser } from "@/lib/session";

export const metadata: Metadata = { title: "My reports" };

function pageNumber(value: string | string[] | undefined): number {
  const page = Number(typeof value === "string" ? value : 1);
  return Number.isInteger(page) && page > 0 ? page : 1;
}

export default async function ReportsPage({
  searchParams,
}: {
  searchParams: Promise<{ page?: string | string[] }>;
}) {
  const page = pageNumber((await searchParams).page);
  await requireUser(page > 1 ? `/reports?page=${page}` : "/reports");
  const reports = await listReports(page);
  return (
    <div className="stack">
      <h1>My reports</h1>
      <RequestReportForm />
      <section className="stack" aria-labelledby="reports-heading">
        <h2 id="reports-heading">
          Requested <span className="count">({reports.count})</span>
        </h2>
        <ReportTable reports={reports.results} />
        {(reports.previous || reports.next) && (
          <nav aria-label="Pages" className="pager">
            {reports.previous ? <Link href={`/reports?page=${page - 1}`}>← Newer</Link> : <span />}
            <span>Page {page}</span>
            {reports.next ? <Link href={`/reports?page=${page + 1}`}>Older →</Link> : <span />}
          </nav>
        )}
      </section>
    </div>
  );
}
