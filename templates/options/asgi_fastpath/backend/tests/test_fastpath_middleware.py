"""The async-native middleware of fastpath/middleware.py: on the event loop, and no more work."""

import asyncio

import pytest
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.test import RequestFactory
from django.utils.deprecation import MiddlewareMixin
from django.utils.functional import empty
from django.utils.module_loading import import_string

from fastpath.middleware import MessageMiddleware
from fastpath.sessions import SessionStore


def test_the_asgi_server_runs_every_middleware_on_the_event_loop():
    """A middleware that is not async-capable sends every request below it to a thread."""
    for name in settings.MIDDLEWARE:
        loaded = import_string(settings.ASYNC_NATIVE_MIDDLEWARE.get(name, name))
        assert loaded.async_capable, f"{name} is not async-capable"
        if issubclass(loaded, MiddlewareMixin):
            assert loaded.__acall__ is not MiddlewareMixin.__acall__, f"{name} hops per hook"
        # Subclasses, so checks that look for the original (the admin's) still find it.
        assert issubclass(loaded, import_string(name))


@pytest.mark.parametrize("adds_one", [False, True])
def test_the_message_storage_is_made_only_for_a_request_that_uses_it(adds_one):
    async def view(request):
        if adds_one:
            messages.success(request, "Saved.")
        return HttpResponse()

    request = RequestFactory().get("/")
    request.session = SessionStore()
    # Called as Django calls it: with an async view the middleware answers a coroutine.
    response = asyncio.run(MessageMiddleware(view)(request))  # type: ignore[arg-type, var-annotated]
    storage = request._messages  # type: ignore[attr-defined]  # the middleware sets it
    assert (storage._wrapped is not empty) is adds_one  # made only when used
    assert ("messages" in response.cookies) is adds_one  # and then stored, in its cookie
