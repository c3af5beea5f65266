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
from django.db.models import Exists, OuterRef, Q, TextField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.jobs import services
from apps.jobs.models import JobReceipt
from apps.jobs.tasks import enqueue

logger = logging.getLogger(__name__)
Status = JobReceipt.Status


def stale_receipts(cutoff):
    """Receipts that no worker will move: running and still for too long, or queued and still
    for too long with no task waiting for them (their worker died between taking the task and
    starting the job)."""
    waiting = (
        DBTaskResult.objects.filter(status=TaskResultStatus.READY)
        .annotate(receipt=KT("args_kwargs__args__0"))
        .filter(receipt=Cast(OuterRef("pk"), TextField()))
    )
    return JobReceipt.objects.annotate(has_task=Exists(waiting)).filter(
        Q(status=Status.RUNNING) | Q(status=Status.QUEUED, has_task=False),
        updated_at__lt=cutoff,
    )


def requeue_stale() -> int:
    """Queue again the jobs whose receipt has not moved for JOB_STALE_AFTER_SECONDS.

    django-tasks-db does not redeliver a task whose worker died (kill -9, OOM, a lost machine):
    its row stays "running". The receipt's fencing token makes the old attempt harmless if it
    was only slow; with no attempt left the next claim marks the job dead.
    """
    cutoff = timezone.now() - timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)
    requeued = 0
    for receipt_id in stale_receipts(cutoff).values_list("pk", flat=True):
        with transaction.atomic():
            moved = (
                JobReceipt.objects.filter(pk=receipt_id, updated_at__lt=cutoff)
                .exclude(status__in=JobReceipt.TERMINAL)
                .update(status=Status.QUEUED, updated_at=timezone.now())
            )
            if moved:
                enqueue(receipt_id)
                requeued += 1
    if requeued:
        logger.warning("Queued %s stale jobs again", requeued)
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
