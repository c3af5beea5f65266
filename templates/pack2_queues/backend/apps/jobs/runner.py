"""One attempt of a job, whatever queue delivered it: claim the receipt, run, record the outcome.

Queues deliver a job at least once (a redelivery after a lost worker, a duplicate message), so
the receipt decides: a finished job is not run again, and only the latest attempt may finish it
(`attempts` is its fencing token). A kind's side effects belong inside `Job.completing()`, in the
same transaction that marks the receipt succeeded: they happen once, whatever the deliveries.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from .events import changed
from .models import JobReceipt

logger = logging.getLogger(__name__)
Status = JobReceipt.Status


class PermanentJobError(Exception):
    """Retrying cannot help (the input is wrong, the subject is gone): the job fails at once."""


class Superseded(Exception):
    """A later attempt owns the receipt (this one was presumed lost): stop without a trace."""


class JobKind(Protocol):
    """What JOB_KINDS names: the work, and what to do when the job will never succeed."""

    @staticmethod
    def run(job: "Job") -> None: ...

    @staticmethod
    def gave_up(receipt: JobReceipt) -> None: ...


@dataclass
class Job:
    """The handle a kind's `run` gets: its receipt, progress reports, and the completing step."""

    receipt: JobReceipt
    completed: bool = field(default=False, init=False)

    @property
    def attempt(self) -> int:
        return self.receipt.attempts

    def _mine(self):
        return JobReceipt.objects.filter(
            pk=self.receipt.pk, status=Status.RUNNING, attempts=self.attempt
        )

    def progress(self, percent: int) -> None:
        if not self._mine().update(progress=min(max(percent, 0), 99), updated_at=timezone.now()):
            raise Superseded
        changed(self.receipt.pk)

    @contextmanager
    def completing(self) -> Iterator[None]:
        """Do the job's side effects inside this block: they commit with the receipt, or not."""
        with transaction.atomic():
            if self._mine().select_for_update().first() is None:
                raise Superseded
            yield
            self._mine().update(
                status=Status.SUCCEEDED,
                progress=100,
                error="",
                finished_at=timezone.now(),
                updated_at=timezone.now(),
            )
            changed(self.receipt.pk)
        self.completed = True


def backoff_seconds(attempt: int) -> float:
    """Exponential: base x 2^(attempt-1), capped."""
    base = settings.JOB_RETRY_BACKOFF_SECONDS
    return min(base * 2 ** (attempt - 1), settings.JOB_RETRY_BACKOFF_MAX_SECONDS)


def kind_of(receipt: JobReceipt) -> JobKind:
    return import_string(settings.JOB_KINDS[receipt.kind])


def run(receipt_id) -> float | None:
    """Run one attempt. Returns the seconds to wait before the next attempt, or None when the
    job needs no more (finished, failed for good, dead, or owned by another attempt)."""
    job = _claim(receipt_id)
    if job is None:
        return None
    try:
        kind = kind_of(job.receipt)
    except (KeyError, ImportError) as exc:  # an unknown kind: no retry will find it
        _give_up(job, Status.FAILED, f"Unknown job kind {job.receipt.kind!r}: {_describe(exc)}")
        return None
    try:
        kind.run(job)
        if not job.completed:
            with job.completing():
                pass
    except Superseded:
        logger.warning("Job %s attempt %s was superseded by a later one", receipt_id, job.attempt)
        return None
    except PermanentJobError as exc:
        _give_up(job, Status.FAILED, _describe(exc))
        return None
    except Exception as exc:
        logger.exception("Job %s attempt %s failed", receipt_id, job.attempt)
        if job.attempt >= job.receipt.max_attempts:
            _give_up(job, Status.DEAD, _describe(exc))
            return None
        job._mine().update(status=Status.QUEUED, error=_describe(exc), updated_at=timezone.now())
        changed(receipt_id)
        return backoff_seconds(job.attempt)
    return None


def _claim(receipt_id) -> Job | None:
    with transaction.atomic():
        receipt = JobReceipt.objects.select_for_update().filter(pk=receipt_id).first()
        if receipt is None or receipt.is_terminal:
            return None  # a redelivery of finished work, or a receipt expired meanwhile
        if receipt.attempts >= receipt.max_attempts:
            # Queued or running with no attempt left: the last one never came back.
            lost = "Gave up: the last attempt never finished (its worker died or timed out)."
            _mark_given_up(receipt, Status.DEAD, lost)
            return None
        now = timezone.now()
        receipt.status = Status.RUNNING
        receipt.attempts += 1
        receipt.progress = 0
        receipt.started_at = receipt.started_at or now
        receipt.save(update_fields=["status", "attempts", "progress", "started_at", "updated_at"])
        changed(receipt.pk)
    return Job(receipt)


def _give_up(job: Job, status: str, error: str) -> None:
    with transaction.atomic():
        receipt = job._mine().select_for_update().first()
        if receipt is not None:
            _mark_given_up(receipt, status, error)


def _mark_given_up(receipt: JobReceipt, status: str, error: str) -> None:
    receipt.status = status
    receipt.error = error
    receipt.finished_at = timezone.now()
    receipt.save(update_fields=["status", "error", "finished_at", "updated_at"])
    changed(receipt.pk)
    try:
        kind_of(receipt).gave_up(receipt)
    except (KeyError, ImportError):
        logger.exception("Job %s: no kind %r to tell it gave up", receipt.pk, receipt.kind)


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]
