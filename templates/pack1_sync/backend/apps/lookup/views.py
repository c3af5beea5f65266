from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.serializers import DetailSerializer

from .client import lookup
from .serializers import LookupQuerySerializer, LookupResultSerializer


class LookupView(APIView):
    """Ask the slow upstream. A sync worker is blocked for as long as the upstream takes."""

    @extend_schema(
        parameters=[LookupQuerySerializer],
        responses={
            200: LookupResultSerializer,
            502: OpenApiResponse(DetailSerializer, description="The upstream failed."),
            504: OpenApiResponse(DetailSerializer, description="The upstream timed out."),
        },
    )
    def get(self, request: Request) -> Response:
        query = LookupQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        result = lookup(query.validated_data["q"])
        return Response(LookupResultSerializer(result).data)
