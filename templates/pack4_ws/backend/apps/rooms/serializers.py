from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from apps.accounts.serializers import UserSerializer
from apps.reports.serializers import ReportSerializer

from .models import MAX_COMMENT_LENGTH, Comment


@extend_schema_serializer(component_name="Report")
class SharedReportSerializer(ReportSerializer):
    """A report with its owner; `shared` when it is someone else's, shared with you."""

    owner = UserSerializer(read_only=True)
    shared = serializers.SerializerMethodField()

    class Meta(ReportSerializer.Meta):
        fields = [*ReportSerializer.Meta.fields, "owner", "shared"]

    def get_shared(self, report) -> bool:
        """True when the report is someone else's, shared with the signed-in user."""
        return report.owner_id != self.context["request"].user.pk


class CommentSerializer(serializers.ModelSerializer):
    author = UserSerializer(read_only=True)
    body = serializers.CharField(max_length=MAX_COMMENT_LENGTH)

    class Meta:
        model = Comment
        fields = ["id", "author", "body", "created_at"]
        read_only_fields = ["id", "author", "created_at"]


class ShareSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
