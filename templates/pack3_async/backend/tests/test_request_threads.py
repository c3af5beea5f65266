"""config/request_threads.py: each request's sync work in one thread of its own, threads reused.

A tiny ASGI app stands in for Django's handler and does what Django does: it opens its own
per-request ThreadSensitiveContext and sends sync work there with `sync_to_async`.
"""

import asyncio
import threading

import pytest
from asgiref.sync import ThreadSensitiveContext, sync_to_async

from config.request_threads import ReusedRequestThreads


class RecordingApp:
    """Runs two sync calls per request, records their threads (the objects: an ident may be
    reused once a thread has ended); `hold` keeps a request open between the two."""

    def __init__(self) -> None:
        self.threads: dict[str, list[threading.Thread]] = {}
        self.hold: dict[str, asyncio.Event] = {}

    async def __call__(self, scope, receive, send):
        name = scope["path"]
        async with ThreadSensitiveContext():  # as Django's ASGIHandler does
            seen = self.threads.setdefault(name, [])
            seen.append(await sync_to_async(threading.current_thread)())
            if name in self.hold:
                await self.hold[name].wait()
            seen.append(await sync_to_async(threading.current_thread)())


def request(app, path: str):
    return app({"type": "http", "path": path}, None, None)


def test_sequential_requests_reuse_one_thread():
    inner = RecordingApp()
    app = ReusedRequestThreads(inner)

    async def three_requests():
        for path in ("/a", "/b", "/c"):
            await request(app, path)

    asyncio.run(three_requests())
    threads = {ident for seen in inner.threads.values() for ident in seen}
    assert len(threads) == 1
    assert threading.current_thread() not in threads  # sync work never runs on the event loop
    assert len(app.idle) == 1


def test_concurrent_requests_each_get_their_own_thread():
    inner = RecordingApp()
    app = ReusedRequestThreads(inner)

    async def two_at_once():
        inner.hold = {"/a": asyncio.Event(), "/b": asyncio.Event()}
        first, second = (asyncio.create_task(request(app, p)) for p in ("/a", "/b"))
        await asyncio.sleep(0.1)
        for event in inner.hold.values():
            event.set()
        await asyncio.gather(first, second)

    asyncio.run(two_at_once())
    a, b = set(inner.threads["/a"]), set(inner.threads["/b"])
    assert len(a) == 1 and len(b) == 1, "one request's sync work stays in one thread"
    assert a != b
    assert len(app.idle) == 2


def test_a_cancelled_request_does_not_hand_its_thread_on():
    inner = RecordingApp()
    app = ReusedRequestThreads(inner)

    async def cancelled_then_next():
        inner.hold = {"/gone": asyncio.Event()}
        gone = asyncio.create_task(request(app, "/gone"))
        await asyncio.sleep(0.1)
        gone.cancel()
        with pytest.raises(asyncio.CancelledError):
            await gone
        assert not app.idle
        await request(app, "/next")

    asyncio.run(cancelled_then_next())
    assert set(inner.threads["/next"]).isdisjoint(inner.threads["/gone"])


def test_idle_threads_are_capped():
    inner = RecordingApp()
    app = ReusedRequestThreads(inner, keep_idle=1)

    async def two_at_once():
        inner.hold = {"/a": asyncio.Event(), "/b": asyncio.Event()}
        tasks = [asyncio.create_task(request(app, p)) for p in ("/a", "/b")]
        await asyncio.sleep(0.1)
        for event in inner.hold.values():
            event.set()
        await asyncio.gather(*tasks)

    asyncio.run(two_at_once())
    assert len(app.idle) == 1


def test_other_scopes_pass_through():
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["type"])

    wrapped = ReusedRequestThreads(app)
    asyncio.run(wrapped({"type": "lifespan"}, None, None))
    assert seen == ["lifespan"]
    assert not wrapped.idle
