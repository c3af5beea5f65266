"""Job receipts: what happened to every piece of background work, readable without the queue."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class JobReceipt(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"  # an error retrying cannot fix (bad input): not retried
        DEAD = "dead", "Dead"  # every attempt failed or was lost: the dead-letter state

    TERMINAL = (Status.SUCCEEDED, Status.FAILED, Status.DEAD)
    RETRYABLE = (Status.FAILED, Status.DEAD)

    # Random, so a job's URL reveals nothing about how many jobs exist.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=64, help_text="What the job does, e.g. report.build.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_receipts"
    )
    status = models.CharField(max_length=16, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="0-100.")
    queue = models.CharField(max_length=64, default="default")
    subject_id = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="What the job works on (report.build: the report's id)."
    )
    input_summary = models.CharField(max_length=255, blank=True)
    # The client's Idempotency-Key: the same key from the same owner is the same job.
    idempotency_key = models.CharField(max_length=64, blank=True)
    error = models.TextField(blank=True, help_text="The last attempt's error.")
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=4)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True, help_text="The first attempt's start.")
    finished_at = models.DateTimeField(null=True, blank=True)
    # Moves with every change, progress included: a running job that stops moving lost its worker.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="job_receipt_idempotency_key",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="job_receipt_progress"),
        ]
        indexes = [
            models.Index(fields=["status", "updated_at"], name="job_receipt_status_idx"),
            models.Index(fields=["finished_at"], name="job_receipt_finished_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def is_terminal(self) -> bool:
        return self.status in self.TERMINAL
