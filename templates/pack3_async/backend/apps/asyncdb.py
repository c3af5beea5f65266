"""Database work from async code that gives its connection back as soon as it is done.

The ORM is sync: from async code it runs in a thread, the request's own (Django's async ORM,
`aget`, `afirst`, ..., does the same), and the connection that thread takes stays taken until
the request ends. For a view that then waits 200 ms on a slow upstream, that is 200 ms of
holding one of the worker's few pooled connections doing nothing; for an event stream it is
minutes. `in_thread` runs a short piece of ORM work and hands the connection back to the pool
at once, so a worker holding hundreds of requests needs only a handful of connections.

A connection inside a transaction is left alone: the tests' transaction, or an `atomic()`
block of the caller's, keeps its connection until it ends.
"""

import functools

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user
from django.db import connections


def in_thread(func):
    """`sync_to_async(func)`, giving back the connections `func` used when it returns."""

    @functools.wraps(func)
    def run(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        finally:
            release_connections()

    return sync_to_async(run)


def release_connections() -> None:
    """Give this thread's connections back to the pool (those outside a transaction)."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()


async def get_by(model, **equals):
    """`model._default_manager.get(**equals)`, or None when no row matches."""
    return await _get(model, equals)


@in_thread
def _get(model, equals: dict):
    try:
        return model._default_manager.get(**equals)
    except model.DoesNotExist:
        return None


# The signed-in user of the request's session (or AnonymousUser): Django's own `get_user`,
# the session and the user read in one trip to the request's thread.
request_user = in_thread(get_user)
