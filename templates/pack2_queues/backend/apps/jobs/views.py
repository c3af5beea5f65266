"""GET /api/jobs/{id}/: what the frontend polls every 2 s until the job is finished.

Conditional: the answer carries an ETag, and a poll sending it back in If-None-Match gets an
empty 304 while nothing changed. Each answer is counted as changed or unchanged
(stackpacks_poll_answers_total), the figure that says when streaming would pay off.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.utils.http import parse_etags, quote_etag
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from apps.serializers import DetailSerializer

from .metrics import POLL_ANSWERS
from .models import JobReceipt
from .serializers import JobSerializer

UNCHANGED = POLL_ANSWERS.labels("unchanged")
CHANGED = POLL_ANSWERS.labels("changed")


class JobView(generics.RetrieveAPIView):
    """One of the signed-in user's jobs; someone else's is a 404, as if it did not exist."""

    serializer_class = JobSerializer

    def get_queryset(self) -> QuerySet[JobReceipt]:
        user = self.request.user
        # drf-spectacular reads the types with no request of a user's.
        if getattr(self, "swagger_fake_view", False) or not user.is_authenticated:
            return JobReceipt.objects.none()
        return JobReceipt.objects.filter(owner=user)

    @extend_schema(
        responses={
            200: JobSerializer,
            304: OpenApiResponse(description="Not modified since the ETag sent in If-None-Match"),
            404: DetailSerializer,
        }
    )
    def get(self, request: Request, *args, **kwargs) -> Response:
        data = self.get_serializer(self.get_object()).data
        body = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder).encode()
        etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
        # Revalidate every time: the job moves on its own, so no copy is fresh for long.
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
        sent = parse_etags(request.headers.get("If-None-Match", ""))
        if etag in sent or f"W/{etag}" in sent:
            UNCHANGED.inc()
            return Response(status=304, headers=headers)
        CHANGED.inc()
        return Response(data, headers=headers)
