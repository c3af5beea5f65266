"""Session auth for the browser: CSRF token, sign-up, sign-in, sign-out and the current user."""

from django.contrib.auth import authenticate, login, logout
from django.middleware.csrf import get_token
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from apps.serializers import DetailSerializer

from .serializers import CsrfTokenSerializer, LoginSerializer, SignupSerializer, UserSerializer


class CsrfEnforcedMixin(APIView):
    """Check CSRF on anonymous requests too.

    DRF's SessionAuthentication only checks CSRF for requests that are already signed in, which
    would leave sign-up and sign-in open to login CSRF (an attacker signing the victim in).
    """

    def initial(self, request: Request, *args, **kwargs) -> None:
        SessionAuthentication().enforce_csrf(request)
        super().initial(request, *args, **kwargs)


class CsrfView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=CsrfTokenSerializer)
    def get(self, request: Request) -> Response:
        # get_token() also makes CsrfViewMiddleware set the csrftoken cookie on the response.
        return Response({"csrfToken": get_token(request)})


class SignupView(CsrfEnforcedMixin, APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=SignupSerializer, responses={201: UserSerializer})
    def post(self, request: Request) -> Response:
        serializer = SignupSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = serializer.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return Response(UserSerializer(user).data, status=status.HTTP_201_CREATED)


class LoginView(CsrfEnforcedMixin, APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=LoginSerializer,
        responses={200: UserSerializer, 400: OpenApiResponse(DetailSerializer)},
    )
    def post(self, request: Request) -> Response:
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(request, **serializer.validated_data)
        if user is None:
            return Response(
                {"detail": "Invalid username or password."},
                status=status.HTTP_400_BAD_REQUEST,
            )
        login(request, user)
        return Response(UserSerializer(user).data)


class LogoutView(CsrfEnforcedMixin, APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request) -> Response:
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(APIView):
    @extend_schema(responses=UserSerializer)
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user).data)
