"""Reading reports, in every pack: each pack's views.py adds how a report is created."""

from django.db.models import QuerySet
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

    def get_queryset(self) -> QuerySet[Report]:
        user = self.request.user
        # drf-spectacular reads the types with no request of a user's.
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return Report.objects.none()
        return Report.objects.filter(owner=user)
