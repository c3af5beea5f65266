"""Reports in the admin: a support and operations surface, not only a data editor."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from .models import Report
from .services import build_report

# Pack 1 rebuilds in the admin's request, so keep one action well under gunicorn's timeout.
MAX_REBUILDS_PER_ACTION = 5


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "owner", "status", "rows", "created_at", "duration"]
    list_filter = ["status", "created_at", "owner"]
    list_select_related = ["owner"]
    search_fields = ["title", "owner__username", "owner__email"]
    date_hierarchy = "created_at"
    raw_id_fields = ["owner"]
    readonly_fields = [
        "status",
        "result",
        "error",
        "created_at",
        "started_at",
        "finished_at",
        "duration",
    ]
    actions = ["rebuild_failed", "mark_stuck_as_failed"]

    @admin.display(description="Duration (ms)")
    def duration(self, report: Report) -> int | None:
        return report.duration_ms

    @admin.action(description="Rebuild selected failed reports", permissions=["change"])
    def rebuild_failed(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        failed = list(queryset.filter(status=Report.Status.FAILED)[: MAX_REBUILDS_PER_ACTION + 1])
        if len(failed) > MAX_REBUILDS_PER_ACTION:
            self.message_user(
                request,
                f"Select at most {MAX_REBUILDS_PER_ACTION} failed reports at a time.",
                messages.ERROR,
            )
            return
        rebuilt = [build_report(report) for report in failed]
        ready = sum(report.status == Report.Status.READY for report in rebuilt)
        self.message_user(request, f"Rebuilt {len(rebuilt)} failed reports: {ready} now ready.")

    @admin.action(
        description="Mark selected pending or running reports as failed", permissions=["change"]
    )
    def mark_stuck_as_failed(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        # A worker killed mid-build (timeout, deploy) leaves a report "running" for ever.
        count = queryset.filter(status__in=[Report.Status.PENDING, Report.Status.RUNNING]).update(
            status=Report.Status.FAILED,
            error=f"Marked as failed in the admin by {request.user}.",
            finished_at=timezone.now(),
        )
        self.message_user(request, f"Marked {count} reports as failed.")
