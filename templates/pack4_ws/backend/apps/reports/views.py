from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.jobs.serializers import JobSerializer
from apps.rooms.views import SharedReports

from .jobs import request_report
from .models import Report

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Sending the same key again returns the same job instead of a second report.",
)


class ReportViewSet(
    SharedReports,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in user's reports and those shared with them. Any other report is a 404,
    not a 403: no oracle."""

    @extend_schema(parameters=[IDEMPOTENCY_KEY], responses={202: JobSerializer})
    def create(self, request: Request) -> Response:
        """Queue the report (pack 2): 202 with the job, which GET /api/jobs/{id}/ follows."""
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        key = request.headers.get("Idempotency-Key", "").strip()
        if len(key) > 64:
            raise ValidationError({"Idempotency-Key": ["At most 64 characters."]})
        receipt = request_report(
            request.user,
            serializer.validated_data["title"],
            serializer.validated_data.get("rows", Report._meta.get_field("rows").default),
            key,
        )
        location = f"/api/jobs/{receipt.pk}/"
        return Response(
            JobSerializer(receipt).data,
            status=status.HTTP_202_ACCEPTED,
            headers={"Location": location},
        )
