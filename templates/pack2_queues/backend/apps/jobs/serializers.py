from rest_framework import serializers

from .models import JobReceipt


class JobSerializer(serializers.ModelSerializer):
    """A job receipt as its owner sees it: everything but the idempotency key and the owner."""

    class Meta:
        model = JobReceipt
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "subject_id",
            "input_summary",
            "error",
            "attempts",
            "max_attempts",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields
