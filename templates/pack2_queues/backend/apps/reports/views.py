from django.conf import settings
from django.utils.module_loading import import_string
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.jobs.serializers import JobSerializer

from .jobs import request_report
from .models import Report
from .viewsets import OwnReports

IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Sending the same key again returns the same job instead of a second report.",
)


class QueuedReports(OwnReports):
    # No docstring of its own: the API describes the reports with OwnReports' docstring.

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


def _mixins() -> tuple[type, ...]:
    """What later packs add to the report API, named in REPORT_VIEW_MIXINS (pack 4: reports
    shared with members, their members and comments). Each comes before QueuedReports, so its
    queryset, serializer and docstring win."""
    return tuple(import_string(path) for path in getattr(settings, "REPORT_VIEW_MIXINS", ()))


class ReportViewSet(*_mixins(), QueuedReports):
    # No docstring of its own: the API's description of the list and of one report is the
    # first docstring up the class's bases, a mixin's if there is one, else OwnReports'.
    pass
