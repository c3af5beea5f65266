import type { ReportExtrasProps } from "@/components/ReportExtras";
import { ReportRoom } from "@/components/ReportRoom";
import { ShareReportForm } from "@/components/ShareReportForm";
import { listComments, listMembers } from "@/lib/collaboration";

/**
 * Working on a report together: who it is shared with (its owner may share it with one more
 * user), and its room, live over a WebSocket: who is viewing it now and its comments. The
 * comments so far are rendered here; the room's socket brings the rest.
 */
export async function ReportCollaboration({ report, user }: ReportExtrasProps) {
  const [members, comments] = await Promise.all([
    listMembers(report.id),
    listComments(report.id),
  ]);
  const owned = report.owner.id === user.id;
  return (
    <>
      <section className="card stack" aria-labelledby="sharing-heading">
        <h2 id="sharing-heading">Sharing</h2>
        <dl className="details">
          <dt>Owner</dt>
          <dd>{owned ? `${user.username} (you)` : report.owner.username}</dd>
          <dt>Shared with</dt>
          <dd data-testid="members">
            {members.length > 0 ? members.map((m) => m.username).join(", ") : "Nobody yet"}
          </dd>
        </dl>
        {owned && <ShareReportForm reportId={report.id} />}
      </section>
      {/* key: another report's page starts from a clean room, not this one's comments. */}
      <ReportRoom
        key={report.id}
        reportId={report.id}
        me={{ id: user.id, username: user.username }}
        initialComments={comments}
      />
    </>
  );
}
