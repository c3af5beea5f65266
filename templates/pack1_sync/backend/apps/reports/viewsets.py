"""Reading reports, in every pack: each pack's views.py adds how a report is created."""

from rest_framework import mixins, viewsets

from .models import Report
from .serializers import ReportSerializer


class OwnReports(
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
