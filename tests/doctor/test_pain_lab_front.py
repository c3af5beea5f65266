"""The pain lab's front doors: real generated apps (gunicorn with uvicorn workers, as their
Procfile runs them) behind their real front door (`next start` of the production build), and
doctor's runtime checks through it and through a front door that holds answers back and does
not forward upgrades: at pack 3, event streams reach users as they are written; at pack 4,
WebSocket handshakes are answered. Loopback only; each scenario a few seconds of streams plus
the load that makes doctor's verdict count.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import pytest

from stackpacks.doctor import probe_front
from tests.doctor import lab
from tests.doctor.conftest import SOCKETS_DATABASE, STREAMS_DATABASE
from tests.doctor.lab import doctor, drive, running_app
from tests.doctor.lab_front import built_frontend, holding_proxy, next_start
from tests.doctor.lab_queues import REDIS_URL
from tests.templates.harness import Variant

pytestmark = pytest.mark.app


class Served(NamedTuple):
    app: str
    front: str


@contextlib.contextmanager
def serve(project: Path, venv: Path, variant: Variant, tmp_path: Path, db: str) -> Iterator[Served]:
    """The app on the port its build's rewrites point at, `next start` in front of it, and
    enough requests for a verdict (200), so front-door findings show in one."""
    database_url = f"postgres://postgres@127.0.0.1:5432/{db}"
    port = built_frontend(project)
    settings = {"REDIS_URL": REDIS_URL, "WEB_CONCURRENCY": "2"}
    with (
        running_app(project, venv, variant, tmp_path, database_url, port=port, **settings) as app,
        next_start(project, app.url) as front,
    ):
        with httpx.Client(base_url=app.url) as client:
            drive(client, lambda c: c.get("/api/auth/csrf/"), 220, 4)
        yield Served(app.url, front)


@pytest.fixture(scope="module")
def pack3(
    stream_project: Path,
    venv: Path,
    stream_variant: Variant,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    tmp_path = tmp_path_factory.mktemp("pack3")
    with serve(stream_project, venv, stream_variant, tmp_path, STREAMS_DATABASE) as served:
        yield served


@pytest.fixture(scope="module")
def pack4(
    socket_project: Path,
    venv: Path,
    socket_variant: Variant,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    tmp_path = tmp_path_factory.mktemp("pack4")
    with serve(socket_project, venv, socket_variant, tmp_path, SOCKETS_DATABASE) as served:
        yield served


def measure(tmp_path: Path, app: str, front: str) -> lab.Outcome:
    args = ("--url", app, "--token", lab.TOKEN, "--front-url", front, "--window", "0")
    return doctor(tmp_path, *args)


def streams(outcome: lab.Outcome) -> dict[str, dict[str, Any]]:
    return {s["hop"]: s for s in outcome.report["signals"]["front"]["streams"]}


def rules(outcome: lab.Outcome) -> set[str]:
    return {f["rule"] for f in outcome.report["findings"]}


def assert_streamed(outcome: lab.Outcome, served: Served) -> None:
    """Both hops read, each at its path, the first event well before the end of the stream."""
    hops = streams(outcome)
    front, app = hops["front door"], hops["app"]
    assert front["url"].startswith(served.front + probe_front.FRONT_STREAM_CHECK)
    assert app["url"].startswith(served.app + probe_front.APP_STREAM_CHECK)
    for hop in (front, app):
        assert len(hop["arrivals"]) == probe_front.STREAM_EVENTS
        assert hop["arrivals"][0] < 0.5 * hop["ended"]


def test_a_healthy_pack_3_streams_through_next_start(pack3: Served, tmp_path: Path) -> None:
    outcome = measure(tmp_path, pack3.app, pack3.front)
    assert outcome.report["signals"]["pack"] == 3
    said = "the app's stackpacks_pack_info (queue celery, options -)"
    assert outcome.report["signals"]["pack_source"] == said  # doctor ran outside the project
    assert "stream-buffered" not in rules(outcome)
    assert_streamed(outcome, pack3)
    assert outcome.verdict["direction"] == "stay", outcome.verdict
    assert outcome.exit_code == 0


def test_the_api_rewrite_of_next_start_would_have_held_the_stream(pack3: Served) -> None:
    """Why doctor reads the front door at /streams/: the same check through the `/api/`
    rewrite arrives whole at the end, for any client that accepts gzip (browsers do)."""
    timing = probe_front.stream_timing(
        pack3.front, lab.TOKEN, "front door", probe_front.APP_STREAM_CHECK
    )
    assert len(timing.arrivals) == probe_front.STREAM_EVENTS
    assert timing.first_share > 0.9, timing


def test_a_front_door_that_holds_answers_back_is_a_fix(pack3: Served, tmp_path: Path) -> None:
    with holding_proxy(pack3.front) as front:
        outcome = measure(tmp_path, pack3.app, front)
    found = outcome.finding("stream-buffered")
    assert found["severity"] == "fix" and found["move"] is None
    (evidence,) = found["evidence"]  # the app's own hop streamed: only the front door is named
    assert f"via the front door ({front}{probe_front.FRONT_STREAM_CHECK}" in evidence["signal"]
    assert evidence["value"] > 0.9 and evidence["n"] == probe_front.STREAM_EVENTS
    assert found["next_steps"][0].startswith("the front door buffers")
    assert streams(outcome)["app"]["arrivals"][0] < 0.5 * streams(outcome)["app"]["ended"]
    assert outcome.verdict["direction"] == "stay" and "1 smaller fix" in outcome.verdict["summary"]


def test_a_healthy_pack_4_upgrades_websockets_through_next_start(
    pack4: Served, tmp_path: Path
) -> None:
    outcome = measure(tmp_path, pack4.app, pack4.front)
    assert outcome.report["signals"]["pack"] == 4
    upgrade = outcome.report["signals"]["front"]["websocket"]
    assert upgrade is not None, outcome.report["skipped"]
    assert upgrade["url"] == pack4.front + probe_front.WEBSOCKET_CHECK
    # 101 with the key's accept, then the echo socket sent a text frame back through Next.js
    assert (upgrade["status"], upgrade["accepted"], upgrade["echoed"]) == (101, True, True)
    assert not {"websocket-upgrade", "stream-buffered"} & rules(outcome)
    assert_streamed(outcome, pack4)  # pack 3's stream check is still there at pack 4
    assert outcome.verdict["direction"] == "stay", outcome.verdict


def test_a_front_door_that_does_not_forward_upgrades_is_a_fix(
    pack4: Served, tmp_path: Path
) -> None:
    with holding_proxy(pack4.front) as front:  # drops Upgrade/Connection, like bare nginx
        outcome = measure(tmp_path, pack4.app, front)
    found = outcome.finding("websocket-upgrade")
    (evidence,) = found["evidence"]
    assert found["severity"] == "fix" and evidence["value"] == 0
    upgrade = outcome.report["signals"]["front"]["websocket"]
    assert upgrade["status"] != 101 and not upgrade["accepted"]
    assert (
        f"at {front}{probe_front.WEBSOCKET_CHECK} (answer: {upgrade['answer']})"
        in (evidence["signal"])
    )
    assert "proxy_http_version 1.1" in found["next_steps"][0]
