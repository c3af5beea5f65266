"""DRF views whose handlers are `async def`.

DRF's own dispatch is sync: under ASGI Django would run it in a thread, and that thread would
wait for the whole request. `AsyncAPIView` keeps DRF's request parsing, permissions, exception
handling, renderers and OpenAPI schema, but dispatches on the event loop. The session's user
is read on the event loop in the ASGI server (fastpath/db.py), and the response is rendered
here and handed back as a plain HttpResponse, so Django does not send the rendering to a
thread either.

Authentication is the project's: Django sessions, with DRF's CSRF check on unsafe methods.
"""

import inspect

from django.http import HttpResponse
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import SAFE_METHODS
from rest_framework.views import APIView

from fastpath.db import request_user


class AsyncAPIView(APIView):
    # Async where DRF's is sync: Django sees the view is async and awaits it.
    async def dispatch(self, request, *args, **kwargs):  # type: ignore[override]
        self.args, self.kwargs = args, kwargs
        request = self.initialize_request(request, *args, **kwargs)
        self.request = request
        self.headers = self.default_response_headers
        try:
            await self.initial_async(request)
            method = request.method.lower()
            handler = getattr(self, method, None) if method in self.http_method_names else None
            response = (handler or self.http_method_not_allowed)(request, *args, **kwargs)
            if inspect.isawaitable(response):
                response = await response
        except Exception as exc:  # noqa: BLE001 - DRF's handler re-raises what it cannot answer
            response = self.handle_exception(exc)
        self.response = self.finalize_response(request, response, *args, **kwargs)
        return _rendered(self.response)

    async def initial_async(self, request) -> None:
        """`APIView.initial` with the session read without blocking the event loop."""
        self.format_kwarg = self.get_format_suffix(**self.kwargs)
        renderer, media_type = self.perform_content_negotiation(request)
        request.accepted_renderer, request.accepted_media_type = renderer, media_type
        request.version, request.versioning_scheme = self.determine_version(
            request, *self.args, **self.kwargs
        )
        user = await request_user(request._request)
        request.user, request.auth = user, None
        if user.is_authenticated:
            request._authenticator = SessionAuthentication()
            if request.method not in SAFE_METHODS:
                request._authenticator.enforce_csrf(request)
        self.check_permissions(request)
        self.check_throttles(request)


def _rendered(response) -> HttpResponse:
    """The DRF response, rendered here; Django would render it in a thread."""
    response.render()
    plain = HttpResponse(response.content, status=response.status_code)
    for header, value in response.items():
        plain[header] = value
    return plain
