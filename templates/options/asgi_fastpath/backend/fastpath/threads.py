"""The request's thread (config/request_threads.py), visited only when there is something to
do there.

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

from concurrent.futures import ThreadPoolExecutor
from contextvars import ContextVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import close_caches
from django.core.handlers.base import reset_urlconf
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections, reset_queries

from config import request_threads


class RequestThread(ThreadPoolExecutor):
    """A request's thread: whether the request now served has sent it work (`visited`), and
    whether it kept an open connection from its last request."""

    def __init__(self) -> None:
        super().__init__(1, "request")
        self.visited = False
        # A new thread has opened nothing; after each request the thread says (see below).
        self.holds_connections = False

    def submit(self, fn, /, *args, **kwargs):
        self.visited = True
        return super().submit(fn, *args, **kwargs)


_current: ContextVar[RequestThread | None] = ContextVar("request_thread", default=None)


class ReusedRequestThreads(request_threads.ReusedRequestThreads):
    """config/request_threads.py's, recording each request's thread for the receivers below."""

    def new_executor(self) -> RequestThread:
        return RequestThread()

    async def serve(self, executor, scope, receive, send) -> None:
        executor.visited = False
        token = _current.set(executor)
        try:
            await self.app(scope, receive, send)
        finally:
            _current.reset(token)


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
        or thread.visited
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
