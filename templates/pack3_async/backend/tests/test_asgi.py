"""The ASGI app against a real server: gunicorn with one uvicorn worker, on the test database.

Event streams arrive as the job changes (not in one buffered chunk at the end), resume with
Last-Event-ID, and are the owner's only; one worker serves many slow upstream calls at once.
"""

import asyncio
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from apps.jobs.models import JobReceipt
from apps.lookup import client as lookup_client
from tests.gunicorn_app import APPLICATION
from tests.test_gunicorn import free_port
from tests.test_lookup import CookieSettingUpstreamHandler, NotingUpstreamServer

pytestmark = pytest.mark.django_db(transaction=True)
Status = JobReceipt.Status
TOKEN = "asgi-test-signals-token"
UPSTREAM_DELAY = 0.5
CONCURRENT_CALLS = 50
AT_ONCE = 10  # of them, at least, waiting on the upstream at the same moment


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


class CountingUpstreamServer(NotingUpstreamServer):
    """The upstream, with a count of the calls it is answering and the most at one moment."""

    def __init__(self, address: tuple[str, int], delay: float) -> None:
        super().__init__(address, delay)
        self.counting = threading.Lock()
        self.in_flight = 0
        self.peak = 0


class CountingUpstreamHandler(CookieSettingUpstreamHandler):
    """The slow upstream, counting the calls it is answering at the same moment (and, as
    tests/test_lookup.py's, setting a cookie in every answer and noting the cookies it is sent)."""

    server: CountingUpstreamServer

    def do_GET(self) -> None:
        with self.server.counting:
            self.server.in_flight += 1
            self.server.peak = max(self.server.peak, self.server.in_flight)
        try:
            super().do_GET()
        finally:
            with self.server.counting:
                self.server.in_flight -= 1


@pytest.fixture(scope="module")
def slow_upstream():
    server = CountingUpstreamServer(("127.0.0.1", 0), delay=UPSTREAM_DELAY)
    server.RequestHandlerClass = CountingUpstreamHandler
    server.request_queue_size = 128  # every concurrent call of the test connects at once
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def upstream(slow_upstream):
    return f"http://127.0.0.1:{slow_upstream.server_address[1]}/"


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker, upstream, tmp_path_factory):
    """One uvicorn worker under gunicorn, as the Procfile runs it, on the test database."""
    tmp = tmp_path_factory.mktemp("asgi")
    port = free_port()
    with django_db_blocker.unblock():
        database_url = _database_url()
    env = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "DATABASE_URL": database_url,
        "PROMETHEUS_MULTIPROC_DIR": str(tmp / "metrics"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": settings.SECRET_KEY,
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_SECURE_COOKIES": "False",
        "SIGNALS_TOKEN": TOKEN,
        "SSE_HEARTBEAT_SECONDS": "0.5",
        "UPSTREAM_URL": upstream,
        # The stand-in upstream is a thread per call in this test process: fifty at once can keep
        # one waiting past the default 5 s on a busy machine, which is not what these tests ask.
        "UPSTREAM_TIMEOUT_SECONDS": "20",
    }
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", *APPLICATION]
    log = tmp / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=settings.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(url, process, log)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the ASGI server exited:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(httpx.HTTPError):
            httpx.get(f"{url}/internal/signals/metrics", timeout=1)
            return
        time.sleep(0.2)
    pytest.fail(f"the ASGI server did not start:\n{log.read_text()[-3000:]}")


@pytest.fixture
def signed_in(server):
    """Clients with a session of a user (the server shares this process's SECRET_KEY)."""
    clients = []

    def sign_in(user) -> httpx.Client:
        browser = Client()
        browser.force_login(user)
        session = browser.cookies[settings.SESSION_COOKIE_NAME].value
        client = httpx.Client(
            base_url=server, timeout=10, cookies={settings.SESSION_COOKIE_NAME: session}
        )
        clients.append(client)
        return client

    yield sign_in
    for client in clients:
        client.close()


class Stream:
    """An open event stream, read event by event with a deadline for each."""

    def __init__(self, client: httpx.Client, job_id, last_event_id: str = "") -> None:
        headers = {"Accept": "text/event-stream"}
        if last_event_id:
            headers["Last-Event-ID"] = last_event_id
        self._context = client.stream("GET", f"/api/jobs/{job_id}/events/", headers=headers)
        self.response = self._context.__enter__()
        self._lines = self.response.iter_lines()

    def next(self) -> dict:
        """The next event or comment: {"id", "event", "data", "comment"}."""
        event: dict = {}
        for line in self._lines:
            if not line:
                if event:
                    return event
                continue
            field, _, value = line.partition(":")
            value = value.removeprefix(" ")
            if field == "":
                return {"comment": value}
            event[field] = json.loads(value) if field == "data" else value
        return {"closed": True}

    def next_job(self) -> dict:
        while True:
            event = self.next()
            if event.get("event") == "job" or event.get("closed"):
                return event

    def close(self) -> None:
        self._context.__exit__(None, None, None)


def advance(receipt: JobReceipt, **fields) -> None:
    """What the worker does: update the receipt (a committed UPDATE, as Job.progress does)."""
    JobReceipt.objects.filter(pk=receipt.pk).update(updated_at=timezone.now(), **fields)


@pytest.fixture
def job(alice) -> JobReceipt:
    return JobReceipt.objects.create(owner=alice, kind="report.build", status=Status.RUNNING)


def test_progress_arrives_as_it_happens_and_the_stream_ends_with_the_job(
    server, signed_in, alice, job
):
    client = signed_in(alice)
    stream = Stream(client, job.pk)
    assert stream.response.status_code == 200
    assert stream.response.headers["content-type"].startswith("text/event-stream")
    assert stream.response.headers["cache-control"] == "no-cache"
    assert stream.response.headers["x-accel-buffering"] == "no"
    assert stream.next() == {"retry": "2000"}
    first = stream.next_job()
    assert (first["data"]["status"], first["data"]["progress"]) == ("running", 0)
    for percent in (20, 50):
        advance(job, progress=percent)
        event = stream.next_job()
        # Pushed, and read while the job still runs: the stream is not buffered to its end.
        assert event["data"]["progress"] == percent
        assert int(event["id"]) > int(first["id"])
    advance(job, status=Status.SUCCEEDED, progress=100, finished_at=timezone.now())
    assert stream.next_job()["data"]["status"] == "succeeded"
    assert stream.next() == {"closed": True}


def test_heartbeats_keep_an_idle_stream_open(server, signed_in, alice, job):
    stream = Stream(signed_in(alice), job.pk)
    stream.next_job()
    assert stream.next() == {"comment": "heartbeat"}
    stream.close()


def test_a_resumed_stream_sends_only_what_changed_since_the_last_event(
    server, signed_in, alice, job
):
    client = signed_in(alice)
    stream = Stream(client, job.pk)
    seen = stream.next_job()["id"]
    stream.close()
    # Nothing changed: the resumed stream does not repeat the job, it waits (heartbeats).
    resumed = Stream(client, job.pk, last_event_id=seen)
    resumed.next()  # retry
    assert resumed.next() == {"comment": "heartbeat"}
    resumed.close()
    advance(job, progress=70)  # while disconnected
    resumed = Stream(client, job.pk, last_event_id=seen)
    event = resumed.next_job()
    assert event["data"]["progress"] == 70 and event["id"] != seen
    advance(job, status=Status.FAILED, finished_at=timezone.now(), error="boom")
    last = resumed.next_job()
    assert resumed.next() == {"closed": True}
    # It ended and the browser saw the end: 204 tells EventSource to stop reconnecting.
    again = client.get(f"/api/jobs/{job.pk}/events/", headers={"Last-Event-ID": last["id"]})
    assert again.status_code == 204


def test_only_the_owner_may_follow_a_job(server, signed_in, job, make_user):
    with httpx.Client(timeout=5) as client:
        anonymous = client.get(f"{server}/api/jobs/{job.pk}/events/")
    assert anonymous.status_code == 403
    mallory = signed_in(make_user("mallory"))
    assert mallory.get(f"/api/jobs/{job.pk}/events/").status_code == 404


def open_streams(server: str) -> float:
    with httpx.Client(timeout=5) as client:
        headers = {"Authorization": f"Bearer {TOKEN}"}
        text = client.get(f"{server}/internal/signals/metrics", headers=headers).text
    for line in text.splitlines():
        if line.startswith("stackpacks_open_streams "):
            return float(line.split()[1])
    return 0.0


def test_a_client_that_goes_away_releases_its_stream(server, signed_in, alice, job):
    stream = Stream(signed_in(alice), job.pk)
    stream.next_job()
    assert open_streams(server) == 1
    stream.close()
    deadline = time.monotonic() + 5
    while open_streams(server) != 0 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert open_streams(server) == 0


def test_one_worker_serves_many_slow_upstream_calls_at_once(
    server, signed_in, alice, slow_upstream
):
    cookies = signed_in(alice).cookies
    slow_upstream.peak = 0

    async def call_all() -> list[httpx.Response]:
        limits = httpx.Limits(max_connections=CONCURRENT_CALLS)
        async with httpx.AsyncClient(
            base_url=server, cookies=cookies, timeout=30, limits=limits
        ) as client:
            calls = [
                client.get("/api/lookup/", params={"q": f"q{i}"}) for i in range(CONCURRENT_CALLS)
            ]
            return await asyncio.gather(*calls)

    responses = asyncio.run(call_all())
    assert [r.status_code for r in responses] == [200] * CONCURRENT_CALLS
    assert all(r.json()["elapsed_ms"] >= UPSTREAM_DELAY * 1000 for r in responses)
    # A sync worker holds one upstream call at a time; one event loop holds many at once.
    # (How many depends on how fast the calls arrive, not on a clock: no timing is asserted.)
    assert slow_upstream.peak >= AT_ONCE, f"the upstream saw at most {slow_upstream.peak} at once"


def test_upstream_cookies_do_not_go_with_other_calls(
    server, signed_in, alice, make_user, slow_upstream
):
    """The worker's one upstream client serves every user: what the upstream sets in answer to
    one call must not be sent with the next, whoever makes it."""
    slow_upstream.cookies_sent.clear()
    for user in (alice, make_user("bob"), alice):
        assert signed_in(user).get("/api/lookup/", params={"q": "abc"}).status_code == 200
    assert slow_upstream.cookies_sent == [None, None, None]


def test_the_upstream_client_keeps_no_cookies_from_a_named_host(slow_upstream):
    """The same for a host name: cookie jars keep cookies set by a name, and some (aiohttp's)
    refuse those of an IP address, as the server above calls."""
    url = f"http://localhost:{slow_upstream.server_address[1]}/"

    async def two_calls() -> None:
        async with lookup_client._new_client() as shared:
            for _ in range(2):
                assert (await shared.get(url)).status_code == 200

    slow_upstream.cookies_sent.clear()
    asyncio.run(two_calls())
    assert slow_upstream.cookies_sent == [None, None]
