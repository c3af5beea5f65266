"""Submitting, retrying and expiring jobs: what views, the admin and the scheduler call."""

import logging
from collections.abc import Callable, Iterable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import JobReceipt

logger = logging.getLogger(__name__)
Status = JobReceipt.Status


def submit(
    *,
    owner,
    kind: str,
    summary: str,
    create_subject: Callable[[], int | None],
    idempotency_key: str = "",
) -> tuple[JobReceipt, bool]:
    """Record and queue a job; returns (receipt, created).

    With an idempotency key, the same owner and key give the same job and one side effect
    (`create_subject` runs once): the database's unique constraint decides between racing
    requests, and the loser's subject is rolled back with its receipt.
    """
    from .tasks import QUEUE, enqueue

    if idempotency_key:
        existing = JobReceipt.objects.filter(owner=owner, idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False
    try:
        with transaction.atomic():
            receipt = JobReceipt.objects.create(
                owner=owner,
                kind=kind,
                subject_id=create_subject(),
                input_summary=summary[:255],
                idempotency_key=idempotency_key,
                max_attempts=settings.JOB_MAX_ATTEMPTS,
                queue=QUEUE,
            )
            enqueue(receipt.pk)
    except IntegrityError:
        if not idempotency_key:
            raise
        return JobReceipt.objects.get(owner=owner, idempotency_key=idempotency_key), False
    return receipt, True


def retry(receipts: Iterable[JobReceipt]) -> int:
    """Queue failed or dead jobs again with a fresh set of attempts; returns how many.

    Each row is moved out of failed/dead by a conditional update, so a double click or two
    admins at once queue it only once; jobs in any other state are left alone.
    """
    from .tasks import enqueue

    queued = 0
    for receipt in receipts:
        with transaction.atomic():
            moved = JobReceipt.objects.filter(
                pk=receipt.pk, status__in=JobReceipt.RETRYABLE
            ).update(
                status=Status.QUEUED,
                attempts=0,
                progress=0,
                finished_at=None,
                max_attempts=settings.JOB_MAX_ATTEMPTS,
                updated_at=timezone.now(),
            )
            if moved:
                enqueue(receipt.pk)
                queued += 1
    return queued


def expire_receipts() -> int:
    """Delete finished receipts older than JOB_RECEIPT_TTL_DAYS; returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.JOB_RECEIPT_TTL_DAYS)
    deleted, _ = JobReceipt.objects.filter(
        status__in=JobReceipt.TERMINAL, finished_at__lt=cutoff
    ).delete()
    logger.info("Expired %s job receipts finished before %s", deleted, cutoff.isoformat())
    return deleted
