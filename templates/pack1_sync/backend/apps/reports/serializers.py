from rest_framework import serializers

from .models import Report


class ReportResultSerializer(serializers.Serializer):
    """The summary a ready report holds."""

    # Declared field by field, so the frontend's generated client knows its shape.

    rows = serializers.IntegerField()
    total = serializers.IntegerField()
    mean = serializers.FloatField()
    minimum = serializers.IntegerField()
    maximum = serializers.IntegerField()


class ReportSerializer(serializers.ModelSerializer):
    result = ReportResultSerializer(read_only=True, allow_null=True)
    duration_ms = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = Report
        fields = [
            "id",
            "title",
            "status",
            "rows",
            "result",
            "error",
            "created_at",
            "started_at",
            "finished_at",
            "duration_ms",
        ]
        read_only_fields = [
            "status",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
