"""Building a report: build_report() runs inside the request, or in a job when a queue runs it."""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from .models import Report

logger = logging.getLogger(__name__)

STEPS = 10

ProgressCallback = Callable[[int], None]


def build_report(report: Report, on_progress: ProgressCallback | None = None) -> Report:
    """Build `report` in STEPS steps, recording its status, result or error, and return it.

    The work takes REPORT_WORK_SECONDS in total; `on_progress(percent)` is called after each
    step. A failure is recorded on the report (status "failed", the error text), not raised:
    the report is what the user and the admin look at.
    """
    report.status = Report.Status.RUNNING
    report.started_at = timezone.now()
    report.finished_at = None
    report.error = ""
    report.save(update_fields=["status", "started_at", "finished_at", "error"])
    try:
        report.result = _compute(report.rows, on_progress)
        report.status = Report.Status.READY
    except Exception as exc:
        logger.exception("Building report %s failed", report.pk)
        report.result = None
        report.status = Report.Status.FAILED
        report.error = f"{type(exc).__name__}: {exc}"
    report.finished_at = timezone.now()
    report.save(update_fields=["status", "result", "error", "finished_at"])
    return report


def _compute(rows: int, on_progress: ProgressCallback | None) -> dict:
    """Summarise `rows` synthetic values, pausing between steps to stand in for real work."""
    pause = settings.REPORT_WORK_SECONDS / STEPS
    values = [(index * 7919) % 1000 for index in range(rows)]
    for step in range(1, STEPS + 1):
        time.sleep(pause)
        if on_progress is not None:
            on_progress(step * 100 // STEPS)
    return {
        "rows": rows,
        "total": sum(values),
        "mean": round(sum(values) / rows, 3),
        "minimum": min(values),
        "maximum": max(values),
    }
