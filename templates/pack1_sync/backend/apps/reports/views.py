from rest_framework import mixins

from .serializers import ReportSerializer
from .services import build_report
from .viewsets import OwnReports


class ReportViewSet(mixins.CreateModelMixin, OwnReports):
    __doc__ = OwnReports.__doc__  # the API's description of the reports (DRF's mixin comes first)

    def perform_create(self, serializer: ReportSerializer) -> None:
        report = serializer.save(owner=self.request.user)
        # Pack 1 builds the report while the user waits: simple, and fine while it is short.
        build_report(report)
