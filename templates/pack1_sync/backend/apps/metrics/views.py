"""Operations endpoints: the health check and the token-protected Prometheus metrics."""

import hmac
import logging
import os

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

logger = logging.getLogger(__name__)


class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(["ok", "error"])
    database = serializers.ChoiceField(["ok", "error"])


class HealthView(APIView):
    """Liveness and database reachability, for load balancers and container health checks."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: HealthSerializer, 503: HealthSerializer})
    def get(self, request: Request) -> Response:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            logger.exception("Health check: the database is unreachable")
            return Response({"status": "error", "database": "error"}, status=503)
        return Response({"status": "ok", "database": "ok"})


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus exposition text, for `stackpacks doctor` and Prometheus.

    A missing or wrong token gets the same 404 as an unknown URL: the endpoint is not advertised.
    """
    if not has_signals_token(request.headers.get("Authorization", "")):
        raise Http404
    # Later packs add collectors that read their figures at scrape time (job receipts, say),
    # named in SIGNALS_COLLECTORS.
    extra = [import_string(path)() for path in getattr(settings, "SIGNALS_COLLECTORS", ())]
    body = b"".join(generate_latest(registry) for registry in [_registry(), *extra])
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)


def has_signals_token(authorization: str) -> bool:
    """Whether an Authorization header's value is `Bearer <SIGNALS_TOKEN>` (and a token is set).

    Every operations endpoint checks it this way: the metrics here, and the others
    `stackpacks doctor` reads (an event-stream check, a WebSocket echo, where the app has them).
    """
    expected = settings.SIGNALS_TOKEN
    scheme, _, token = authorization.partition(" ")
    if not expected or scheme.lower() != "bearer":
        return False
    # Constant-time, so response timing does not reveal how much of a guess was right.
    return hmac.compare_digest(token.encode(), expected.encode())


def _registry() -> CollectorRegistry:
    """Several gunicorn workers: add up every worker's files. One process: its own registry."""
    if "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        return REGISTRY
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    return registry
