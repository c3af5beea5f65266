"""fastpath/db.py: the session and the user read on the event loop, on real PostgreSQL.

The ASGI server turns on reads on the event loop (config/asgi.py); here each test turns them on
for the default database and runs in an event loop of its own, with connections of its own: the
rows they read are committed, hence `transaction=True`.
"""

import asyncio
import datetime
import threading

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import BACKEND_SESSION_KEY, get_user
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.core.exceptions import MultipleObjectsReturned
from django.db import connection, connections
from django.db.backends.signals import connection_created
from django.test import Client, RequestFactory
from django.utils import timezone

from apps.asyncdb import in_thread
from apps.metrics.async_middleware import _METER
from apps.metrics.middleware import _QueryMeter
from fastpath import db as asyncdb
from fastpath.sessions import SessionStore

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def loop_reads(monkeypatch):
    monkeypatch.setattr(asyncdb, "LOOP_READS", frozenset({"default"}))


def on_a_loop(work):
    """Run `work()` (a coroutine function) in a new event loop; close its connections after:
    the loop's own, and Django's in the thread that sync_to_async used (writes go there)."""

    async def run():
        try:
            return await work()
        finally:
            await asyncdb.close_loop_pool()
            await sync_to_async(connections.close_all)()

    return asyncio.run(run())


def signed_in(user) -> str:
    """A real login's session key (Django's own login view path: `Client.force_login`)."""
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


# Each case makes a session for `user`, spoils it the way its name says, and returns its key.
def _valid(user, settings):
    return signed_in(user)


def _password_changed(user, settings):
    key = signed_in(user)
    user.set_password("a-new-password")
    user.save()
    return key


def _signed_under_an_old_secret(user, settings):
    settings.SECRET_KEY = "the-old-secret-key-" + "x" * 40
    key = signed_in(user)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "the-new-secret-key-" + "y" * 40
    return key


def _user_deactivated(user, settings):
    key = signed_in(user)
    user.is_active = False
    user.save()
    return key


def _user_deleted(user, settings):
    key = signed_in(user)
    user.delete()
    return key


def _session_expired(user, settings):
    key = signed_in(user)
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(1))
    return key


def _backend_no_longer_listed(user, settings):
    key = signed_in(user)
    store = SessionStore(key)
    store[BACKEND_SESSION_KEY] = "apps.accounts.backends.Gone"
    store.save()
    return key


def _no_such_session(user, settings):
    return "nosuchsession" + "0" * 19


# (case, is the user signed in, does the session row stay, does the key stay)
CASES = [
    (_valid, True, True, True),
    (_password_changed, False, False, False),
    (_signed_under_an_old_secret, True, False, False),  # the session moves to a new key
    (_user_deactivated, False, True, True),
    (_user_deleted, False, True, True),
    (_session_expired, False, True, False),
    (_backend_no_longer_listed, False, True, True),
    (_no_such_session, False, False, False),
]


def outcome(read, key: str, user) -> tuple[bool, bool, bool]:
    request = RequestFactory().get("/")
    request.session = SessionStore(key)
    found = read(request)
    return (
        found.is_authenticated and found.pk == user.pk,
        Session.objects.filter(pk=key).exists(),
        request.session.session_key == key,
    )


@pytest.mark.parametrize(
    ("case", "signed", "row_stays", "key_stays"), CASES, ids=[c[0].__name__ for c in CASES]
)
def test_request_user_on_the_loop_agrees_with_djangos_get_user(
    case, signed, row_stays, key_stays, make_user, settings, loop_reads
):
    alice, bob = make_user("alice"), make_user("bob")
    django_says = outcome(get_user, case(alice, settings), alice)
    ours = outcome(
        lambda request: on_a_loop(lambda: asyncdb.request_user(request)), case(bob, settings), bob
    )
    assert django_says == (signed, row_stays, key_stays)
    assert ours == django_says


def test_sessions_written_by_djangos_db_engine_read_the_same(loop_reads):
    """Adding the fast path changes SESSION_ENGINE: nobody is signed out by it."""
    written = db.SessionStore()
    written["cart"] = [1, 2]
    written.save()
    ours = SessionStore(written.session_key)
    assert on_a_loop(lambda: ours.aget("cart")) == [1, 2]


def test_a_signed_in_read_uses_only_the_event_loops_connections(make_user, loop_reads):
    alice = make_user("alice")
    request = RequestFactory().get("/")
    request.session = SessionStore(signed_in(alice))
    opened_by_django: list[threading.Thread] = []

    def opened(sender, connection, **kwargs) -> None:
        opened_by_django.append(threading.current_thread())

    async def read():
        user = await asyncdb.request_user(request)
        pool = await asyncdb._loop_pool("default")
        return user, pool.get_stats().get("requests_num", 0)

    connection_created.connect(opened)
    try:
        user, reads = on_a_loop(read)
    finally:
        connection_created.disconnect(opened)
    assert user == alice
    assert opened_by_django == []  # the ORM's way (a thread, its own connection) was not taken
    assert reads == 2  # the session, then the user: both on the loop's pool


def test_get_by_reads_what_the_orm_reads(make_user, django_user_model, loop_reads):
    alice = make_user("alice", email="alice@example.com")
    make_user("bob")
    users = django_user_model

    async def reads():
        return (
            await asyncdb.get_by(users, pk=alice.pk),
            await asyncdb.get_by(users, pk=str(alice.pk)),  # prepared by the field, as the ORM does
            await asyncdb.get_by(users, username="alice", email="alice@example.com"),
            await asyncdb.get_by(users, username="nobody"),
        )

    found, by_text, by_two_fields, missing = on_a_loop(reads)
    fresh = users.objects.get(pk=alice.pk)
    assert {f.attname: getattr(found, f.attname) for f in fresh._meta.concrete_fields} == {
        f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields
    }
    assert found.date_joined.tzinfo is not None
    assert found._state.adding is False and found._state.db == "default"
    assert by_text == by_two_fields == fresh
    assert missing is None


def test_get_by_refuses_two_rows(make_user, django_user_model, loop_reads):
    make_user("alice")
    make_user("bob")
    with pytest.raises(MultipleObjectsReturned):
        on_a_loop(lambda: asyncdb.get_by(django_user_model, is_active=True))


def test_a_request_cancelled_while_the_pool_opens_does_not_fail_the_others(
    make_user, django_user_model, loop_reads
):
    alice = make_user("alice")

    async def one_leaves_one_stays():
        leaving = asyncio.ensure_future(asyncdb.get_by(django_user_model, pk=alice.pk))
        staying = asyncio.ensure_future(asyncdb.get_by(django_user_model, pk=alice.pk))
        await asyncio.sleep(0)  # both wait for the loop's pool to open
        leaving.cancel()
        return await staying, await asyncio.gather(leaving, return_exceptions=True)

    stayed, (left,) = on_a_loop(one_leaves_one_stays)
    assert stayed == alice
    assert isinstance(left, asyncio.CancelledError)


def test_a_read_on_a_connection_the_server_cut_is_tried_again(
    make_user, django_user_model, loop_reads
):
    alice = make_user("alice")
    users = django_user_model

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (this_tests_own,) = cursor.fetchone()

    def cut_the_loops_connections() -> int:
        """As a server restart would: every connection but Django's (this thread's, the test's)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)",
                [this_tests_own],
            )
            return cursor.fetchone()[0]

    async def read_cut_read():
        first = await asyncdb.get_by(users, pk=alice.pk)
        cut = await in_thread(cut_the_loops_connections)()
        second = await asyncdb.get_by(users, pk=alice.pk)
        return first, cut, second

    first, cut, second = on_a_loop(read_cut_read)
    assert cut >= 1
    assert first == second == alice


def test_reads_on_the_loop_count_in_the_requests_query_budget(
    make_user, django_user_model, loop_reads
):
    alice = make_user("alice")
    meter = _QueryMeter()

    async def metered():
        token = _METER.set(meter)
        try:
            await asyncdb.get_by(django_user_model, pk=alice.pk)
        finally:
            _METER.reset(token)

    on_a_loop(metered)
    assert meter.count == 1
    assert meter.seconds > 0
