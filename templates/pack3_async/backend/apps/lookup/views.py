from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from apps.async_views import AsyncAPIView
from apps.serializers import DetailSerializer

from .client import lookup
from .serializers import LookupQuerySerializer, LookupResultSerializer


class LookupView(AsyncAPIView):
    """Ask the slow upstream. The worker serves other requests while this one waits (pack 3)."""

    @extend_schema(
        parameters=[LookupQuerySerializer],
        responses={
            200: LookupResultSerializer,
            502: OpenApiResponse(DetailSerializer, description="The upstream failed."),
            504: OpenApiResponse(DetailSerializer, description="The upstream timed out."),
        },
    )
    async def get(self, request: Request) -> Response:
        query = LookupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = await lookup(query.validated_data["q"])
        return Response(LookupResultSerializer(result).data)
