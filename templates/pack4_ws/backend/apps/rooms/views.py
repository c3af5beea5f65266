"""The shared-report part of the report API: reports shared with members, the members, the
comments.

A mixin of apps.reports.views.ReportViewSet (its first base), so /api/reports/{id}/members/ and
.../comments/ are the report's own routes and share its rule: a report you may not see is a 404.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from apps.accounts.serializers import UserSerializer
from apps.reports.models import Report

from . import services
from .serializers import CommentSerializer, SharedReportSerializer, ShareSerializer

AFTER = OpenApiParameter(
    "after",
    int,
    description="Only comments with a larger id (the last one the client has; 0 for all).",
)


class SharedReports(viewsets.GenericViewSet):
    """The signed-in user's reports and those shared with them. Any other report is a 404,
    not a 403: no oracle."""

    serializer_class = SharedReportSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the types
            return Report.objects.none()
        return services.visible_reports(self.request.user).select_related("owner")

    @extend_schema(methods=["GET"], responses=UserSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=ShareSerializer,
        responses={200: UserSerializer, 201: UserSerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def members(self, request: Request, pk=None) -> Response:
        """GET: the users the report is shared with. POST (its owner only): share it with one
        more user, by username: 201, or 200 if they already were a member."""
        report = self.get_object()
        if request.method == "GET":
            users = [member.user for member in report.members.select_related("user")]
            return Response(UserSerializer(users, many=True).data)
        if report.owner_id != request.user.pk:
            raise PermissionDenied("Only the report's owner may share it.")
        serializer = ShareSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            user, created = services.share(report, serializer.validated_data["username"])
        except ValueError as exc:
            raise ValidationError({"username": [str(exc)]}) from exc
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(UserSerializer(user).data, status=code)

    @extend_schema(parameters=[AFTER], responses=CommentSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def comments(self, request: Request, pk=None) -> Response:
        """The report's comments after `after`, oldest first, at most 200: page on with the
        last id."""
        report = self.get_object()
        try:
            after = int(request.query_params.get("after", 0))
        except ValueError:
            after = -1
        if after < 0:
            raise ValidationError({"after": ["A comment id: a whole number, 0 or more."]})
        comments = services.comments_after(report.pk, after)
        return Response(CommentSerializer(comments, many=True).data)
