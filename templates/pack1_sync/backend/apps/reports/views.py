from rest_framework import mixins, viewsets

from .models import Report
from .serializers import ReportSerializer
from .services import build_report


class ReportViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The signed-in user's reports. Someone else's report is a 404, not a 403: no oracle."""

    serializer_class = ReportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the types
            return Report.objects.none()
        return Report.objects.filter(owner=self.request.user)

    def perform_create(self, serializer: ReportSerializer) -> None:
        report = serializer.save(owner=self.request.user)
        # Pack 1 builds the report while the user waits: simple, and fine while it is short.
        build_report(report)
