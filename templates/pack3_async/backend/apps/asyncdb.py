"""Database work from async code that gives its connection back as soon as it is done.

The ORM is sync: from async code it runs in the request's thread (`sync_to_async`, as Django's
own `aget`, `afirst`, ... do). Django closes that thread's connection only when the request
ends: for a slow upstream call that is 200 ms of holding a pooled connection doing nothing,
for an event stream it is minutes. `in_thread` runs a short piece of ORM work the same way and
hands the connection back to the pool at once, so a worker holding hundreds of requests needs
only a handful of connections. Inside a transaction (tests) the connection is left alone.
"""

import functools

from asgiref.sync import sync_to_async
from django.contrib.auth import get_user
from django.db import connections


def in_thread(func):
    @functools.wraps(func)
    def run(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        finally:
            for connection in connections.all(initialized_only=True):
                if not connection.in_atomic_block:
                    connection.close_if_unusable_or_obsolete()

    return sync_to_async(run)


@in_thread
def request_user(request):
    """The signed-in user of the request's session (or AnonymousUser)."""
    return get_user(request)
