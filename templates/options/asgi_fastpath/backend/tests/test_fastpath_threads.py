"""fastpath/threads.py: a request's thread visited at its start only when it kept a database
connection, and at its end only when closing the response needs it (fastpath/handler.py).

A tiny ASGI app stands in for Django's handler and does what Django does: it opens its own
per-request ThreadSensitiveContext and sends sync work there with `sync_to_async`.
"""

import asyncio
import gc
import hashlib
import inspect
import threading

import httpx
import pytest
from asgiref.sync import ThreadSensitiveContext, sync_to_async
from django.core.handlers import asgi
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection, connections, reset_queries
from django.http import HttpResponse, StreamingHttpResponse
from django.urls import path as route

from fastpath import threads as request_threads
from fastpath.handler import ASGIHandler
from fastpath.threads import ReusedRequestThreads, skip_idle_request_starts


class CountingThread(request_threads.RequestThread):
    """A real request thread that counts the work it is handed."""

    def __init__(self) -> None:
        super().__init__()
        self.handed = 0

    def submit(self, fn, /, *args, **kwargs):
        self.handed += 1
        return super().submit(fn, *args, **kwargs)


class SignalsApp:
    """Does what Django's handler does around a request: request_started on the event loop, the
    request's own sync work (for /query: it opens the database connection), then
    request_finished in the request's thread (Django sends it from `response.close()`)."""

    def __init__(self) -> None:
        self.visits_at_start: list[int] = []

    async def __call__(self, scope, receive, send):
        async with ThreadSensitiveContext():
            thread = request_threads._current.get()
            assert isinstance(thread, CountingThread)
            before = thread.handed
            await request_started.asend(sender=None)
            self.visits_at_start.append(thread.handed - before)
            if scope["path"] == "/query":
                await sync_to_async(open_connection)()
            await sync_to_async(request_finished.send)(sender=None)


def open_connection() -> None:
    connection.ensure_connection()  # the connection of the thread this runs in


def close_connection() -> None:
    connection.close()


@pytest.fixture
def lean_request_starts(settings):
    """skip_idle_request_starts() for one test; Django's own receivers are back after it (the
    test client relies on them)."""
    settings.DEBUG = False
    skip_idle_request_starts()
    yield
    request_started.disconnect(dispatch_uid="fastpath.threads")
    request_finished.disconnect(dispatch_uid="fastpath.threads")
    request_started.connect(reset_queries)
    request_started.connect(close_old_connections)


def test_django_request_started_receivers_are_replaced_by_an_async_one(lean_request_starts):
    sync_receivers, async_receivers = request_started._live_receivers(None)
    assert sync_receivers == []
    assert [receiver.__name__ for receiver in async_receivers] == ["_request_started"]


@pytest.mark.django_db(transaction=True)
def test_a_request_start_visits_the_thread_only_when_it_kept_a_connection(
    lean_request_starts, monkeypatch
):
    monkeypatch.setattr(request_threads, "RequestThread", CountingThread)
    inner = SignalsApp()
    app = ReusedRequestThreads(inner)

    def idle_thread() -> request_threads.RequestThread:
        thread = app.idle[0]
        assert isinstance(thread, request_threads.RequestThread)
        return thread

    def run(*paths: str) -> None:
        async def one_by_one():
            for path in paths:
                await app({"type": "http", "path": path}, None, None)

        asyncio.run(one_by_one())

    # A persistent connection outlives its request: the next request's start must look at it
    # (the server may have dropped it). A thread with no open connection is not visited.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 60)
    run("/plain", "/plain", "/query", "/plain")
    assert inner.visits_at_start == [0, 0, 0, 1]
    assert len(app.idle) == 1 and idle_thread().holds_connections

    # The pool's way (CONN_MAX_AGE = 0): every connection goes back at the end of its request.
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)
    idle_thread().submit(close_connection).result()
    idle_thread().holds_connections = False
    run("/query", "/query", "/plain")
    assert inner.visits_at_start[4:] == [0, 0, 0]
    assert not idle_thread().holds_connections


# --- closing the response: fastpath/handler.py's handler with close_response ---------------


async def async_view(request):
    return HttpResponse("async")


def sync_view(request):
    return HttpResponse("sync")


async def streaming_view(request):
    async def chunks():
        yield b"streamed"

    return StreamingHttpResponse(chunks())


urlpatterns = [
    route("async", async_view),
    route("sync", sync_view),
    route("stream", streaming_view),
]


class Closing:
    """The real handler behind ReusedRequestThreads, with no middleware (each of Django's own
    sends its hooks to the request's thread). `finished_in`: the thread each request_finished
    ran in, as seen by a receiver counted among the loop-safe ones."""

    def __init__(self) -> None:
        self.finished_in: list[threading.Thread] = []
        self.app = ReusedRequestThreads(ASGIHandler())

    def record(self, **kwargs) -> None:
        self.finished_in.append(threading.current_thread())

    def get(self, url: str) -> str:
        async def call():
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
                response = await c.get(url)
                assert response.status_code == 200
                return response.text

        return asyncio.run(call())


@pytest.fixture
def closing(lean_request_starts, settings, monkeypatch):
    settings.MIDDLEWARE = []
    settings.ROOT_URLCONF = __name__
    monkeypatch.setattr(request_threads, "RequestThread", CountingThread)
    closing = Closing()
    safe = request_threads.LOOP_SAFE_RECEIVERS | {closing.record}
    monkeypatch.setattr(request_threads, "LOOP_SAFE_RECEIVERS", safe)
    request_finished.connect(closing.record)
    yield closing
    request_finished.disconnect(closing.record)


def test_an_async_views_response_is_closed_on_the_event_loop(closing):
    assert closing.get("/async") == "async"
    assert closing.finished_in == [threading.current_thread()]  # asyncio.run's loop: this one
    assert [thread.handed for thread in closing.app.idle] == [0]  # its thread never visited


def test_a_sync_views_response_is_closed_in_its_requests_thread(closing):
    assert closing.get("/sync") == "sync"
    (finished_in,) = closing.finished_in
    assert finished_in is not threading.current_thread()
    assert finished_in.name.startswith("request")


def test_a_streaming_response_is_closed_in_its_requests_thread(closing):
    assert closing.get("/stream") == "streamed"
    (finished_in,) = closing.finished_in
    assert finished_in.name.startswith("request")


def test_any_other_receiver_sends_every_close_to_the_requests_thread(closing):
    """A receiver the handler does not know may block: Django's way, in the thread."""
    seen = []

    def other(**kwargs) -> None:
        seen.append(threading.current_thread())

    request_finished.connect(other)
    try:
        assert closing.get("/async") == "async"
    finally:
        request_finished.disconnect(other)
    assert seen == closing.finished_in
    assert closing.finished_in[0].name.startswith("request")


def test_a_request_leaves_nothing_for_the_garbage_collector(closing):
    """Objects in reference cycles wait for the collector, which walks every young object each
    time it runs (fastpath/handler.py: the listener's exception held the whole request)."""
    closing.get("/async")  # the first request loads what later ones reuse
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        closing.get("/async")
        gc.collect()
        left = [type(o).__qualname__ for o in gc.garbage if not isinstance(o, (dict, list, tuple))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
    assert "ASGIRequest" not in left, sorted(left)


def test_the_handler_restates_djangos_own():
    """fastpath/handler.py restates Django 6.0's ASGIHandler.handle. When Django's changes,
    this fails: bring the restatement in line with the new one, then record its hash here."""
    source = inspect.getsource(asgi.ASGIHandler.handle)
    digest = hashlib.sha256(source.encode()).hexdigest()
    assert digest == "98faeb5bef800331e6a8002fbc96b30e4122a23438ae45a047190a531ea11323", source
