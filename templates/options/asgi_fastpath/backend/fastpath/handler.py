"""The web process's HTTP application: Django's ASGI handler, set up for a long-running server.

`http_application()` is what config/asgi.py serves over HTTP in place of Django's
`get_asgi_application()`. It does what only the long-running ASGI server should do:
- the middleware is swapped for its async-native equivalents (ASYNC_NATIVE_MIDDLEWARE, in
  config/settings/components/fastpath.py; manage.py, the test client and WSGI keep Django's
  own classes, which those subclass);
- the threads that run each request's sync work are reused, and visited only when there is
  something to do there (fastpath/threads.py);
- with the pool on (PostgreSQL), each request's session and user are read on the event loop
  (fastpath/db.py).

`ASGIHandler` is Django's, with two changes: the response is closed by
`request_threads.close_response`, on the event loop when nothing in the request's thread needs
it, instead of always in that thread; and the handler lets go of its tasks at the end, so a
request is not kept in a reference cycle (see the `del`). `handle()` below restates Django
6.0's statement for statement around those (its two `try/except: pass` written as
`contextlib.suppress`); tests/test_fastpath_threads.py fails when Django's own `handle()`
changes, so an upgrade of Django cannot drift from it unnoticed.
"""

import asyncio
import contextlib

from django.conf import settings
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import asgi
from django.urls import set_script_prefix

from fastpath.threads import ReusedRequestThreads, close_response, skip_idle_request_starts


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
            # create_request answers with an error response whenever it makes no request.
            await self.send_response(error_response, send)  # type: ignore[arg-type]
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
    from fastpath import db

    settings.MIDDLEWARE = [settings.ASYNC_NATIVE_MIDDLEWARE.get(m, m) for m in settings.MIDDLEWARE]
    skip_idle_request_starts()
    db.read_on_the_loop()
    return ReusedRequestThreads(ASGIHandler())
