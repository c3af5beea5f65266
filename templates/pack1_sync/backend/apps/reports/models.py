"""The example feature: a report a user requests, built by deliberately slow work."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

MAX_ROWS = 100_000


class Report(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    title = models.CharField(max_length=200)
    rows = models.PositiveIntegerField(
        default=1_000,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_ROWS)],
        help_text="How much work building the report takes.",
    )
    status = models.CharField(max_length=16, choices=Status, default=Status.PENDING)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The API lists one owner's reports, newest first.
            models.Index(fields=["owner", "-created_at"], name="report_owner_created_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def duration_ms(self) -> int | None:
        """How long the build took, once it has finished."""
        if self.started_at is None or self.finished_at is None:
            return None
        return round((self.finished_at - self.started_at).total_seconds() * 1000)
