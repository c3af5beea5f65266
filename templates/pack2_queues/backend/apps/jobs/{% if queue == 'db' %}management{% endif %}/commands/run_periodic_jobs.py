"""The scheduled work of the `--queue db` option, which has no Beat.

    python manage.py run_periodic_jobs              # once (from cron, a Kubernetes CronJob, ...)
    python manage.py run_periodic_jobs --every 60   # a loop (the Procfile's `scheduler`)

It is a loop, not a scheduler: no cron expressions, no catch-up of runs missed while it was
down, and every job runs on every pass. Run exactly one (two only do the work twice, harmlessly:
both jobs are idempotent). Work that needs real schedules is the point to switch to
`--queue celery` and Beat.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, transaction
from django.utils import timezone

from apps.jobs import services
from apps.jobs.models import JobReceipt
from apps.jobs.tasks import enqueue

logger = logging.getLogger(__name__)
Status = JobReceipt.Status


def requeue_stale() -> int:
    """Queue again the running jobs whose receipt has not moved for JOB_STALE_AFTER_SECONDS.

    django-tasks-db does not redeliver a task whose worker died (kill -9, OOM, a lost machine):
    its row stays "running". The receipt's fencing token makes the old attempt harmless if it
    was only slow; with no attempt left the next claim marks the job dead.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    requeued = 0
    stale = JobReceipt.objects.filter(status=Status.RUNNING, updated_at__lt=cutoff)
    for receipt_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            moved = JobReceipt.objects.filter(
                pk=receipt_id, status=Status.RUNNING, updated_at__lt=cutoff
            ).update(status=Status.QUEUED, updated_at=timezone.now())
            if moved:
                enqueue(receipt_id)
                requeued += 1
    if requeued:
        logger.warning("Queued %s stale running jobs again", requeued)
    return requeued


PERIODIC_JOBS = {
    "expire_job_receipts": services.expire_receipts,
    "requeue_stale_jobs": requeue_stale,
}


class Command(BaseCommand):
    help = "Run the scheduled jobs once, or every N seconds with --every N."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--every", type=float, default=0, help="seconds between passes")

    def handle(self, *args, every: float, **options) -> None:
        while True:
            for name, job in PERIODIC_JOBS.items():
                try:
                    self.stdout.write(f"{name}: {job()}")
                except Exception:
                    logger.exception("Scheduled job %s failed", name)
            close_old_connections()
            if not every:
                return
            time.sleep(every)
