"""Database work from async code that gives its connection back as soon as it is done.

The ORM is sync: from async code it runs in a thread. Django's async ORM (`aget`, `afirst`, ...)
uses a thread of the request's own, and its connection stays taken until the request ends:
for a slow upstream call that is 200 ms of holding a pooled connection doing nothing, for an
event stream it is minutes. `in_thread` runs a short piece of ORM work and hands the connection
back to the pool at once, so a worker holding hundreds of requests needs only a handful.

In the ASGI server (the connection pool is on) that work runs in a few shared threads, as many
as the pool has connections, instead of a new thread per request. Elsewhere (the test client,
whose test transaction lives on one connection) it runs in the request's thread, like
Django's async ORM; a connection inside a transaction is left alone.
"""

import asyncio
import contextvars
import functools
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user
from django.db import connections


@functools.cache
def _shared_threads() -> ThreadPoolExecutor | None:
    pool = settings.DATABASES["default"].get("OPTIONS", {}).get("pool")
    if not pool:
        return None
    return ThreadPoolExecutor(max_workers=pool["max_size"], thread_name_prefix="orm")


def in_thread(func):
    @functools.wraps(func)
    def run(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        finally:
            for connection in connections.all(initialized_only=True):
                if not connection.in_atomic_block:
                    connection.close_if_unusable_or_obsolete()

    @functools.wraps(func)
    async def call(*args, **kwargs):
        executor = _shared_threads()
        if executor is None:
            return await sync_to_async(run)(*args, **kwargs)
        # Straight to the shared threads, with the caller's context: what sync_to_async would do
        # here, without its per-call set-up (thread-sensitive bookkeeping this does not use).
        # So work run this way must not call async_to_sync: it would get a loop of its own.
        work = functools.partial(contextvars.copy_context().run, run, *args, **kwargs)
        return await asyncio.get_running_loop().run_in_executor(executor, work)

    return call


@in_thread
def request_user(request):
    """The signed-in user of the request's session (or AnonymousUser)."""
    return get_user(request)
