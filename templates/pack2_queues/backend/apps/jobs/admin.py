"""Job receipts in the admin: support answers "what happened to my job?" from here alone."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import JobReceipt


@admin.register(JobReceipt)
class JobReceiptAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "owner",
        "status",
        "progress",
        "attempts",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "kind", "queue", "created_at"]
    list_select_related = ["owner"]
    search_fields = ["=id", "owner__username", "owner__email", "input_summary", "error"]
    date_hierarchy = "created_at"
    raw_id_fields = ["owner"]
    # A receipt is a record of what happened: nothing here is edited by hand.
    readonly_fields = [
        "id",
        "kind",
        "owner",
        "status",
        "progress",
        "queue",
        "subject_id",
        "input_summary",
        "idempotency_key",
        "error",
        "attempts",
        "max_attempts",
        "created_at",
        "started_at",
        "finished_at",
        "updated_at",
    ]
    actions = ["retry_jobs"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Retry selected failed or dead jobs", permissions=["change"])
    def retry_jobs(self, request: HttpRequest, queryset: QuerySet[JobReceipt]) -> None:
        retryable = queryset.filter(status__in=JobReceipt.RETRYABLE)
        queued = services.retry(retryable)
        skipped = queryset.count() - queued
        self.message_user(request, f"Queued {queued} jobs again.", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"Left {skipped} jobs alone: only failed or dead jobs can be retried.",
                messages.WARNING,
            )
