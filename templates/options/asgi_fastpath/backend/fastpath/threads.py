"""A thread per request for its sync work, as Django wants, without starting one per request,
and without visiting it when there is nothing to do there.

Under ASGI Django runs a request's sync parts (the request_started and request_finished
signals, closing the response, sync views and middleware) in a thread of the request's own, so
they cannot block each other. By itself it starts that thread for every request and joins it
(from yet another new thread) when the request ends: two threads born and reaped per request,
even for an async view that never needs one. Measured on P3 (benchmarks/p3_async_vs_sync.py)
that is about 8 % of a worker's CPU per request.

`ReusedRequestThreads` keeps the one-thread-per-request rule but hands each request an idle
single-thread executor, kept from an earlier request, through asgiref's
`ThreadSensitiveContext(executor=...)`; Django's own per-request context then uses it. A
request that ends abnormally (cancelled, failed) may leave work queued on its thread: that
executor is shut down rather than reused, so no request ever waits behind another's work.

Each visit to that thread is a hand-off between two threads (the event loop's and the
request's). Django makes one at the start of every request, only to run its two
`request_started` receivers, which look at the database connections *of that thread*: they
close one that is broken or too old, and clear the query log. `skip_idle_request_starts()`
swaps them for one async receiver that makes that visit only when it can matter: when the
thread kept an open connection from its last request (persistent connections, no pool) or in
DEBUG (the query log). With the pool (the web process's default) every connection goes back at
the end of each request, so an async view's request makes no visit at its start. Whether a
thread kept one is recorded by the thread itself, at the end of each request.

Django makes one more visit at the end of every request, to close the response: that sends
request_finished, whose receivers close the thread's broken or old connections and its caches.
`close_response()` (fastpath/handler.py's handler calls it) makes that visit only when it can
matter; otherwise it closes the response on the event loop. It stays on the loop for a plain
(not streaming) response of a request that never visited its thread, whose thread holds no
connection, and while only the receivers named in `LOOP_SAFE_RECEIVERS` listen: with nothing
opened in the thread they have nothing to do but look. Any other receiver (a project's own, a
library's) may block, so with one connected every response is closed in its thread, as Django
does. Measured on P3: 4 to 6 % of a worker's CPU per request, and a worker whose requests
never leave the event loop no longer passes the GIL back and forth with a thread.
"""

from collections import deque
from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar

from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.conf import settings
from django.core.cache import close_caches
from django.core.handlers.base import reset_urlconf
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections, reset_queries

# Idle threads kept for later requests; above this, a finished request's thread exits.
KEEP_IDLE = 64


class RequestExecutor(ThreadPoolExecutor):
    """A request's thread; `visited` says whether the request now served has sent it work."""

    def __init__(self) -> None:
        super().__init__(1, "request")
        self.visited = False

    def submit(self, fn, /, *args, **kwargs):
        self.visited = True
        return super().submit(fn, *args, **kwargs)


class RequestThread:
    """One request's thread for its sync work, and what it kept from its last request."""

    def __init__(self) -> None:
        self.executor = RequestExecutor()
        # A new thread has opened nothing; after each request the thread says (see below).
        self.holds_connections = False


_current: ContextVar[RequestThread | None] = ContextVar("request_thread", default=None)


class ReusedRequestThreads:
    """ASGI middleware around Django's handler, for HTTP requests (lifespan passes through)."""

    def __init__(self, app, keep_idle: int = KEEP_IDLE) -> None:
        self.app = app
        self.keep_idle = keep_idle
        self.idle: deque[RequestThread] = deque()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        thread = self.idle.pop() if self.idle else RequestThread()
        thread.executor.visited = False
        token = _current.set(thread)
        try:
            async with ThreadSensitiveContext(executor=thread.executor):
                await self.app(scope, receive, send)
        except BaseException:
            thread.executor.shutdown(wait=False)
            raise
        finally:
            _current.reset(token)
        if len(self.idle) < self.keep_idle:
            self.idle.append(thread)
        else:
            thread.executor.shutdown(wait=False)


def skip_idle_request_starts() -> None:
    """Replace Django's request_started receivers (see the module's docstring); idempotent."""
    request_started.disconnect(reset_queries)
    request_started.disconnect(close_old_connections)
    request_started.connect(_request_started, dispatch_uid=__name__)
    # Connected after Django's close_old_connections, so it runs after it.
    request_finished.connect(_record_connections, dispatch_uid=__name__)


async def _request_started(**kwargs) -> None:
    thread = _current.get()
    if thread is None or thread.holds_connections or settings.DEBUG:
        await sync_to_async(_django_request_started)()


def _django_request_started() -> None:
    reset_queries()
    close_old_connections()


def _record_connections(**kwargs) -> None:
    """request_finished, in the request's thread: does it keep an open connection?"""
    thread = _current.get()
    if thread is not None:
        thread.holds_connections = any(
            connection.connection is not None
            for connection in connections.all(initialized_only=True)
        )


# Django's request_finished receivers, and this module's: with nothing opened in the request's
# thread, each only looks (at the connections, the caches, the urlconf of this request).
LOOP_SAFE_RECEIVERS = frozenset(
    {close_old_connections, close_caches, reset_urlconf, _record_connections}
)


async def close_response(response) -> None:
    """`response.close()`, on the event loop when nothing in the request's thread needs it (see
    the module's docstring), else in that thread, as Django does."""
    thread = _current.get()
    if (
        thread is None
        or thread.executor.visited
        or thread.holds_connections
        or response.streaming
        or not _only_loop_safe_receivers(response._handler_class)
    ):
        await sync_to_async(response.close)()
    else:
        response.close()


def _only_loop_safe_receivers(sender) -> bool:
    sync_receivers, async_receivers = request_finished._live_receivers(sender)
    return not async_receivers and all(r in LOOP_SAFE_RECEIVERS for r in sync_receivers)
