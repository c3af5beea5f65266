"""Reports built in the background: the `report.build` job kind and how it is requested."""

from django.db import transaction
from django.utils import timezone

from apps.jobs import services
from apps.jobs.models import JobReceipt
from apps.jobs.runner import Job, PermanentJobError

from .models import Report
from .services import _compute

KIND = "report.build"


def request_report(owner, title: str, rows: int, idempotency_key: str = "") -> JobReceipt:
    """Record a pending report and queue the job that builds it; the same key, the same job."""
    receipt, _ = services.submit(
        owner=owner,
        kind=KIND,
        summary=f"{title} ({rows} rows)",
        create_subject=lambda: Report.objects.create(owner=owner, title=title, rows=rows).pk,
        idempotency_key=idempotency_key,
    )
    return receipt


def request_rebuild(report: Report) -> JobReceipt | None:
    """Queue the build of a failed report again, on behalf of its owner (who sees the job).

    The report leaves "failed" by a conditional update, so a double click or two admins at
    once queue it once; None when it was no longer failed.
    """
    with transaction.atomic():
        moved = Report.objects.filter(pk=report.pk, status=Report.Status.FAILED).update(
            status=Report.Status.PENDING, error="", started_at=None, finished_at=None
        )
        if not moved:
            return None
        receipt, _ = services.submit(
            owner=report.owner,
            kind=KIND,
            summary=f"{report.title} ({report.rows} rows), rebuilt",
            create_subject=lambda: report.pk,
        )
    return receipt


class BuildReport:
    """Build the report the receipt names; the result is saved with the receipt, once."""

    @staticmethod
    def run(job: Job) -> None:
        subject = job.receipt.subject_id
        report = None if subject is None else Report.objects.filter(pk=subject).first()
        if report is None:
            raise PermanentJobError(f"Report {subject} no longer exists.")
        Report.objects.filter(pk=report.pk).update(
            status=Report.Status.RUNNING,
            started_at=report.started_at or timezone.now(),
            error="",
        )
        result = _compute(report.rows, job.progress)
        with job.completing():
            Report.objects.filter(pk=report.pk).update(
                status=Report.Status.READY, result=result, error="", finished_at=timezone.now()
            )

    @staticmethod
    def gave_up(receipt: JobReceipt) -> None:
        if receipt.subject_id is None:  # no report to mark
            return
        with transaction.atomic():
            Report.objects.filter(pk=receipt.subject_id).update(
                status=Report.Status.FAILED, error=receipt.error, finished_at=timezone.now()
            )
