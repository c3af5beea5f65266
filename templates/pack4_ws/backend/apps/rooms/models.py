"""Who a report is shared with, and the comments on it: stored here before any socket hears."""

from django.conf import settings
from django.db import models

from apps.reports.models import Report

MAX_COMMENT_LENGTH = 2000


class ReportMember(models.Model):
    """A user the owner shared the report with: they may view it, join its room, comment."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_memberships"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["report", "user"], name="report_member_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.report}"


class Comment(models.Model):
    """A comment in a report's room. One report's comments commit in id order
    (services.add_comment), so `after=<id>` is a reconnecting client's cursor; consumers.py
    says which id a client may use as one."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="report_comments"
    )
    body = models.TextField(max_length=MAX_COMMENT_LENGTH)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["report", "id"], name="comment_report_id_idx")]

    def __str__(self) -> str:
        return f"{self.author} on {self.report}: {self.body[:40]}"
