"""The web process's HTTP application: Django's ASGI handler, set up for a long-running server.

`http_application()` is what config/asgi.py serves (pack 4 routes HTTP to it). It does what
only the long-running ASGI server should do:
- the middleware is swapped for its async-native equivalents (ASYNC_NATIVE_MIDDLEWARE, in
  config/settings/components/asgi.py; manage.py, the test client and WSGI keep Django's own
  classes, which those subclass);
- the threads that run each request's sync work are reused, and visited only when there is
  something to do there (config/request_threads.py);
- each worker keeps its HTTP client to the upstream open for its whole life
  (apps/lookup/client.py);
- with the pool on (PostgreSQL), each request's session and user are read on the event loop
  (apps/asyncdb.py).

`tune_garbage_collector()`, called once everything is loaded, sets the worker's garbage
collector for a process holding hundreds of requests at once (see its docstring).

`ASGIHandler` is Django's, with two changes: the response is closed by
`request_threads.close_response`, on the event loop when nothing in the request's thread needs
it, instead of always in that thread; and the handler lets go of its tasks at the end, so a
request is not kept in a reference cycle (see the `del`). `handle()` below restates Django
6.0's statement for statement around those (its two `try/except: pass` written as
`contextlib.suppress`); tests/test_request_threads.py fails when Django's own `handle()`
changes, so an upgrade of Django cannot drift from it unnoticed.
"""

import asyncio
import contextlib
import gc

from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import asgi
from django.urls import get_resolver, set_script_prefix

from config.request_threads import ReusedRequestThreads, close_response, skip_idle_request_starts


class ASGIHandler(asgi.ASGIHandler):
    async def handle(self, scope, receive, send):  # noqa: C901  (Django's, kept as it is)
        """Django 6.0's `ASGIHandler.handle`; only the two `close_response` calls and the
        `del` at the end differ."""
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        set_script_prefix(asgi.get_script_prefix(scope))
        await signals.request_started.asend(sender=self.__class__, scope=scope)
        request, error_response = self.create_request(scope, body_file)
        if request is None:
            body_file.close()
            await self.send_response(error_response, send)
            await close_response(error_response)
            return

        async def process_request(request, send):
            response = await self.run_get_response(request)
            # Client disconnected during send_response (ignore exception).
            with contextlib.suppress(asyncio.CancelledError):
                await self.send_response(response, send)
            return response

        # Try to catch a disconnect while getting response.
        tasks = [
            asyncio.create_task(self.listen_for_disconnect(receive)),
            asyncio.create_task(process_request(request, send)),
        ]
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        # Now wait on both tasks (they may have both finished by now).
        for task in tasks:
            if task.done():
                try:
                    task.result()
                except RequestAborted:
                    # Ignore client disconnects.
                    pass
                except AssertionError:
                    body_file.close()
                    raise
            else:
                # Allow views to handle cancellation.
                task.cancel()
                # Task re-raises the CancelledError as expected.
                with contextlib.suppress(asyncio.CancelledError):
                    await task

        try:
            response = tasks[1].result()
        except asyncio.CancelledError:
            await signals.request_finished.asend(sender=self.__class__)
        else:
            await close_response(response)
        # Not in Django's: once the response is sent, the server answers the listener with a
        # disconnect, so it ends with RequestAborted, whose traceback holds this frame, which
        # holds the listener's task, which holds the exception: a cycle, with the whole request
        # in it, that only the garbage collector would free. Without these references the
        # request is freed when it ends.
        del tasks, task

        body_file.close()


def http_application() -> ReusedRequestThreads:
    """The HTTP application of the web process (see the module's docstring); call it once,
    after django.setup()."""
    from apps import asyncdb
    from apps.lookup import client

    settings.MIDDLEWARE = [settings.ASYNC_NATIVE_MIDDLEWARE.get(m, m) for m in settings.MIDDLEWARE]
    skip_idle_request_starts()
    client.SHARE_CLIENTS = True
    asyncdb.read_on_the_loop()
    return ReusedRequestThreads(ASGIHandler())


# Container objects allocated (net of those freed) between two collections of the youngest
# generation; Python's default is 700. See tune_garbage_collector().
YOUNG_THRESHOLD = 20_000
# Young collections between two collections of the middle generation (Python's default: 10).
MIDDLE_THRESHOLD = 5


def tune_garbage_collector() -> None:
    """Set the worker's garbage collector for many requests in flight; call it last, once the
    application is loaded.

    Much of what a Django request allocates is freed only by the garbage collector, not when
    the request ends: the request and its lazy user, DRF's view, request and response, and each
    serializer and its fields point at each other (a few hundred objects per request). With
    Python's default thresholds a young collection runs every few requests and finds most of
    them still in flight (an upstream call takes its time), so they are moved to older
    generations and freed later by full collections, which walk every object in the process,
    the application's own included. Measured on P3 (100 requests in flight per worker): 15 %
    of the worker's CPU in the collector, a full collection about every 3 s taking about
    150 ms.

    So: what is loaded by now (the URLconf, and through it every view, serializer and library
    they import) is frozen, out of every later collection; and the young generation is
    collected after 20,000 new objects rather than 700, so most of a request's garbage is
    already garbage when it is first looked at, and is freed young. Measured: 9 % of the
    worker's CPU in the collector, no full collection in a 20 s run, young collections of
    about 15 ms and middle ones of about 90 ms. Garbage awaiting collection: a few MB.
    """
    get_resolver().url_patterns  # noqa: B018  (imports the URLconf and every view it routes to)
    gc.collect()
    gc.freeze()
    gc.set_threshold(YOUNG_THRESHOLD, MIDDLE_THRESHOLD, gc.get_threshold()[2])
