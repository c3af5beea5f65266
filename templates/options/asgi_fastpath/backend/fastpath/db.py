"""Reads on the event loop: the session and the user of every request, without a thread.

apps.asyncdb reads through the ORM in the request's thread. On P3
(benchmarks/p3_async_vs_sync.py) those two reads, made in a thread, were about half of a
worker's CPU per request: the ORM, the hand-offs, and the two threads taking turns at the GIL.
In the ASGI server (Django's connection pool on) `get_by` here runs them on a small pool of
async psycopg connections owned by the worker's event loop instead, with the SQL the ORM would
send, compiled once per model. Elsewhere (the test client, whose test transaction lives on one
sync connection; management commands) it reads through apps.asyncdb like any other ORM work.

What you take on: `request_user` follows Django's `aget_user` line for line, and `get_by`
builds its statement from the ORM's compiler; tests/test_fastpath_db.py checks both agree with
Django for every kind of session and row, and must pass on every Django upgrade.
"""

import asyncio
import functools
import time
import weakref

import psycopg
from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import MultipleObjectsReturned
from django.db import connections, router
from django.utils.crypto import constant_time_compare
from psycopg_pool import AsyncConnectionPool

from apps import asyncdb
from apps.metrics.async_middleware import count_query


def _pool_options(alias: str):
    """Django's pool setting for a database: a dict of options, True, or None (no pool)."""
    return settings.DATABASES[alias].get("OPTIONS", {}).get("pool")


# The databases read on the event loop: fastpath.handler names those with Django's pool on (in
# the ASGI server) through `read_on_the_loop()`; elsewhere reads go through apps.asyncdb.
LOOP_READS: frozenset[str] = frozenset()
# Async connections per event loop and database, besides the pool of the ORM's threads.
LOOP_POOL_SIZE = 4

_loop_pools: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Future]]" = (
    weakref.WeakKeyDictionary()
)


def read_on_the_loop() -> None:
    """The ASGI server's choice: PostgreSQL databases with Django's pool are read on the loop."""
    global LOOP_READS
    LOOP_READS = frozenset(
        alias
        for alias, database in settings.DATABASES.items()
        if _pool_options(alias) and database["ENGINE"].endswith("postgresql")
    )


async def _open_pool(alias: str) -> AsyncConnectionPool:
    params = connections[alias].get_connection_params()
    # Django's own connection settings (adapters with its time-zone handling, no prepared
    # statements), with the async twin of its client-side binding cursor, and autocommit:
    # a read needs no transaction, so it is one round trip.
    params.update(cursor_factory=psycopg.AsyncClientCursor, autocommit=True)
    options = _pool_options(alias)
    pool = AsyncConnectionPool(
        kwargs=params,
        min_size=1,
        max_size=LOOP_POOL_SIZE,
        # As long as a request waits for one of the ORM's pooled connections.
        timeout=options.get("timeout", 30) if isinstance(options, dict) else 30,
        open=False,
        name=f"{alias}-event-loop",
    )
    await pool.open()
    return pool


async def _loop_pool(alias: str) -> AsyncConnectionPool:
    pools = _loop_pools.setdefault(asyncio.get_running_loop(), {})
    opening = pools.get(alias)
    if opening is None or opening.cancelled() or (opening.done() and opening.exception()):
        # One opening, however many requests ask at once; one that failed is tried again.
        opening = pools[alias] = asyncio.ensure_future(_open_pool(alias))
    elif opening.done():
        return opening.result()
    # Shielded: a request cancelled while it waits (its client went away) must not cancel
    # the opening other requests are waiting on.
    return await asyncio.shield(opening)


async def close_loop_pool() -> None:
    """Close this event loop's connections (a test's loop, before it ends)."""
    for opening in _loop_pools.pop(asyncio.get_running_loop(), {}).values():
        await (await opening).close()


async def get_by(model, **equals):
    """`model._default_manager.get(**equals)`, or None when no row matches, for exact values
    of the model's own fields (`pk=`, `session_key=`, `owner_id=`): in the ASGI server on the
    event loop, elsewhere (or when the default manager filters) in a thread, as
    apps.asyncdb.get_by does. The
    statement is compiled once per model and set of fields, so a read costs no ORM query
    building; each value is prepared by its field and each row turned into an instance by
    Django's own converters and `Model.from_db`."""
    alias = router.db_for_read(model)
    names = tuple(sorted(equals))
    statement = _statement(model, alias, names) if alias in LOOP_READS else None
    if statement is None:
        return await asyncdb.get_by(model, **equals)
    sql, fields, compiler, attnames = statement
    connection = connections[alias]
    params = [
        field.get_db_prep_value(equals[name], connection, prepared=False)
        for name, field in zip(names, fields, strict=True)
    ]
    started = time.perf_counter()
    rows = await _fetch(alias, sql, params)
    count_query(time.perf_counter() - started)
    if len(rows) > 1:
        raise MultipleObjectsReturned(f"get_by() found more than one {model.__name__}")
    if not rows:
        return None
    (row,) = compiler.results_iter(results=[rows])
    return model.from_db(alias, attnames, row)


@functools.cache
def _statement(model, alias: str, names: tuple[str, ...]):
    """SELECT <the model's columns> FROM <its table> WHERE <each named field> = %s, with the
    compiler whose converters turn its rows into field values; None when the model's default
    manager does more than read the table (filters, joins): then get_by uses the ORM."""
    query = model._default_manager.db_manager(alias).order_by().query
    if query.where or query.select_related or query.annotation_select or query.extra_select:
        return None
    compiler = query.get_compiler(alias)
    select, _ = compiler.as_sql()  # no parameters: no WHERE yet
    fields = [model._meta.pk if name == "pk" else model._meta.get_field(name) for name in names]
    quote = connections[alias].ops.quote_name
    table = quote(model._meta.db_table)
    where = " AND ".join(f"{table}.{quote(field.column)} = %s" for field in fields)
    attnames = [column[0].target.attname for column in compiler.select]
    return f"{select} WHERE {where} LIMIT 2", fields, compiler, attnames


async def _fetch(alias: str, sql: str, params) -> list[tuple]:
    pool = await _loop_pool(alias)
    # Connections are not checked before each read (that is a round trip of its own). A read
    # whose connection turns out broken (the server restarted, a proxy cut it) has the pool
    # check all its idle connections, replacing the broken ones, and is tried once more.
    # getconn/putconn rather than pool.connection(), which also commits on the way out: a call
    # that autocommit makes pointless.
    for last_try in (False, True):
        connection = await pool.getconn()
        try:
            cursor = await connection.execute(sql, params)
            return await cursor.fetchall()
        except psycopg.OperationalError:
            if last_try or not connection.broken:
                raise
        finally:
            await pool.putconn(connection)  # a broken connection is discarded, not reused
        await pool.check()
    raise AssertionError("unreachable: the last try returns or raises")


# --- the request's user -------------------------------------------------------------------------


async def request_user(request):
    """The signed-in user of the request's session (or AnonymousUser).

    Django's `aget_user` (django.contrib.auth, Django 6.0) line for line, with one change: when
    the session's backend reads users the way Django's ModelBackend does, the user's row is read
    with get_by, so in the ASGI server on the event loop rather than in a thread. The
    session itself is read there too (SESSION_ENGINE fastpath.sessions).
    tests/test_fastpath_db.py checks this agrees with Django's `get_user` for every kind of session.
    """
    user = None
    session = request.session
    user_model = get_user_model()
    user_id = await session.aget(SESSION_KEY)
    if user_id is not None:
        user_id = user_model._meta.pk.to_python(user_id)
    backend_path = await session.aget(BACKEND_SESSION_KEY)
    if user_id is not None and backend_path in settings.AUTHENTICATION_BACKENDS:
        backend = load_backend(backend_path)
        if isinstance(backend, ModelBackend) and type(backend).aget_user is ModelBackend.aget_user:
            user = await get_by(user_model, pk=user_id)
            if user is not None and not backend.user_can_authenticate(user):
                user = None
        else:
            user = await backend.aget_user(user_id)
        # Verify the session (Django's code from here on).
        if user is not None and hasattr(user, "get_session_auth_hash"):
            session_hash = await session.aget(HASH_SESSION_KEY)
            if not session_hash:
                session_hash_verified = False
            else:
                session_auth_hash = user.get_session_auth_hash()
                session_hash_verified = constant_time_compare(session_hash, session_auth_hash)
            if not session_hash_verified:
                if session_hash and any(
                    constant_time_compare(session_hash, fallback_auth_hash)
                    for fallback_auth_hash in user.get_session_auth_fallback_hash()
                ):
                    await session.acycle_key()
                    await session.aset(HASH_SESSION_KEY, session_auth_hash)
                else:
                    await session.aflush()
                    user = None
    return user or AnonymousUser()
