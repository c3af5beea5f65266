"""Async-native versions of the middleware stack, so an async view never leaves the event loop.

Django runs a `MiddlewareMixin` middleware under ASGI by sending each of its hooks to a thread
(`sync_to_async`), and a middleware that is not async-capable at all (WhiteNoise) sends the
whole rest of the request to one: every request then pays several thread hops, or holds a
thread for as long as it waits on I/O. The hooks of the middleware below do no I/O (they read
headers and cookies, set attributes, count metrics), so these adapters call them inline on the
event loop. The two that may touch the database (sessions and messages saving what changed)
still go to a thread, and only when there is something to save.

ASYNC_NATIVE_MIDDLEWARE (settings component `fastpath`) names each one's original, which it
subclasses; fastpath.handler puts these in MIDDLEWARE in its place in the ASGI server only.
Under WSGI (manage.py, the test client) each is exactly the original.
"""

import types
from collections.abc import Awaitable, Callable

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.messages.storage import default_storage
from django.contrib.sessions.middleware import SessionMiddleware as _Sessions
from django.http import HttpRequest, HttpResponseBase
from django.middleware.clickjacking import XFrameOptionsMiddleware as _XFrameOptions
from django.middleware.common import CommonMiddleware as _Common
from django.middleware.csrf import CsrfViewMiddleware as _Csrf
from django.middleware.security import SecurityMiddleware as _Security
from django.utils.deprecation import MiddlewareMixin
from django.utils.functional import SimpleLazyObject, empty
from django_prometheus.middleware import PrometheusAfterMiddleware as _PrometheusAfter
from django_prometheus.middleware import PrometheusBeforeMiddleware as _PrometheusBefore
from whitenoise.middleware import WhiteNoiseMiddleware as _WhiteNoise


class InlineHooks(MiddlewareMixin):
    """Mixin for a MiddlewareMixin subclass whose hooks do no I/O: under ASGI they run on the
    event loop. Subclassing keeps the original's name checks (the admin's) passing."""

    # Under ASGI the next middleware is async.
    get_response: Callable[[HttpRequest], Awaitable[HttpResponseBase]]

    def __init__(self, get_response) -> None:
        super().__init__(get_response)
        if self.async_mode:
            # Django calls these itself: an async hook is awaited where it stands, a sync one
            # would go to a thread. Exception hooks always run sync (Django's choice).
            for hook in ("process_view", "process_template_response"):
                if hasattr(self, hook):
                    # Bound, as Django reads `hook.__self__` for its error messages.
                    on_the_loop = _on_the_loop(getattr(type(self), hook))
                    setattr(self, hook, types.MethodType(on_the_loop, self))

    async def __acall__(self, request):
        response = None
        if hasattr(self, "process_request"):
            response = self.process_request(request)
        response = response or await self.get_response(request)
        if hasattr(self, "process_response"):
            response = await self.respond(request, response)
        return response

    async def respond(self, request, response):
        # The original's hook: __acall__ calls this only when it has one.
        return self.process_response(request, response)  # type: ignore[attr-defined]


def _on_the_loop(hook):
    async def run(self, *args):
        return hook(self, *args)

    return run


class SecurityMiddleware(InlineHooks, _Security):
    pass


class CommonMiddleware(InlineHooks, _Common):
    pass


class CsrfViewMiddleware(InlineHooks, _Csrf):
    pass


class AuthenticationMiddleware(InlineHooks, _Authentication):
    """request.user stays lazy; async code reads the user with fastpath.db.request_user."""


class XFrameOptionsMiddleware(InlineHooks, _XFrameOptions):
    pass


class PrometheusBeforeMiddleware(InlineHooks, _PrometheusBefore):
    pass


class PrometheusAfterMiddleware(InlineHooks, _PrometheusAfter):
    pass


class SessionMiddleware(InlineHooks, _Sessions):
    """The session loads lazily; saving a changed one writes to the database, so only that
    goes to a thread."""

    async def respond(self, request, response):
        session = getattr(request, "session", None)
        if session is not None and (session.modified or settings.SESSION_SAVE_EVERY_REQUEST):
            return await sync_to_async(self.process_response)(request, response)
        return self.process_response(request, response)


class MessageMiddleware(InlineHooks, _Messages):
    """The message storage is made when a request first uses it: an API call never does, and
    making it costs a cookie signer per request. Messages are stored only when some were added
    or read (session storage writes)."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    async def respond(self, request, response):
        storage = getattr(request, "_messages", None)
        if isinstance(storage, SimpleLazyObject) and storage._wrapped is empty:
            return response  # never used: nothing to store
        if storage is not None and (storage.used or storage.added_new):
            return await sync_to_async(self.process_response)(request, response)
        return self.process_response(request, response)


class WhiteNoiseMiddleware(_WhiteNoise):
    """WhiteNoise is sync-only. Static files (admin CSS, a few per page) are served from a
    thread; every other request goes straight on, without one."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response=None, settings=settings) -> None:
        super().__init__(get_response, settings)
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        return super().__call__(request)

    async def _acall(self, request):
        if self.autorefresh:
            static_file = await sync_to_async(self.find_file)(request.path_info)
        else:
            static_file = self.files.get(request.path_info)
        if static_file is not None:
            return await sync_to_async(self.serve)(static_file, request)
        return await self.get_response(request)
