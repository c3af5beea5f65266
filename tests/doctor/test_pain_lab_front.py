"""The pain lab's front doors: a real generated pack-3 app (gunicorn with uvicorn workers, as
its Procfile runs it) behind its real front door (`next start` of its production build), and
doctor's runtime check that event streams reach users as they are written, through it and
through a front door that holds answers back. Loopback only; each scenario a few seconds of
streams plus the load that makes doctor's verdict count.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import pytest

from stackpacks.doctor import probe_front
from tests.doctor import lab
from tests.doctor.conftest import STREAMS_DATABASE
from tests.doctor.lab import doctor, drive, running_app
from tests.doctor.lab_front import built_frontend, holding_proxy, next_start
from tests.doctor.lab_queues import REDIS_URL
from tests.templates.harness import Variant

pytestmark = pytest.mark.app

DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{STREAMS_DATABASE}"


class Served(NamedTuple):
    app: str
    front: str


@pytest.fixture(scope="module")
def served(
    stream_project: Path,
    venv: Path,
    stream_variant: Variant,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Served]:
    """The app on the port its build's `/api/` rewrite points at, `next start` in front."""
    api_port = built_frontend(stream_project)
    tmp_path = tmp_path_factory.mktemp("front")
    with (
        running_app(
            stream_project,
            venv,
            stream_variant,
            tmp_path,
            DATABASE_URL,
            port=api_port,
            REDIS_URL=REDIS_URL,
            WEB_CONCURRENCY="2",
        ) as app,
        next_start(stream_project, app.url) as front,
    ):
        # Enough requests for a verdict (200), so the front-door finding shows in one.
        with httpx.Client(base_url=app.url) as client:
            drive(client, lambda c: c.get("/api/auth/csrf/"), 220, 4)
        yield Served(app.url, front)


def measure(tmp_path: Path, app: str, front: str) -> lab.Outcome:
    args = ("--url", app, "--token", lab.TOKEN, "--front-url", front, "--window", "0")
    return doctor(tmp_path, *args)


def streams(outcome: lab.Outcome) -> dict[str, dict[str, Any]]:
    return {s["hop"]: s for s in outcome.report["signals"]["front"]["streams"]}


def test_a_healthy_pack_3_streams_through_next_start(served: Served, tmp_path: Path) -> None:
    outcome = measure(tmp_path, served.app, served.front)
    assert outcome.report["signals"]["pack"] == 3
    said = "the app's stackpacks_pack_info (queue celery, options -)"
    assert outcome.report["signals"]["pack_source"] == said  # doctor ran outside the project
    assert "stream-buffered" not in {f["rule"] for f in outcome.report["findings"]}
    hops = streams(outcome)
    front, app = hops["front door"], hops["app"]
    assert front["url"].startswith(served.front + probe_front.FRONT_STREAM_CHECK)
    assert app["url"].startswith(served.app + probe_front.APP_STREAM_CHECK)
    for hop in (front, app):
        assert len(hop["arrivals"]) == probe_front.STREAM_EVENTS
        # The first event came well before the end: nothing on the way held it back.
        assert hop["arrivals"][0] < 0.5 * hop["ended"]
    assert outcome.verdict["direction"] == "stay", outcome.verdict
    assert outcome.exit_code == 0


def test_the_api_rewrite_of_next_start_would_have_held_the_stream(served: Served) -> None:
    """Why doctor reads the front door at /streams/: the same check through the `/api/`
    rewrite arrives whole at the end, for any client that accepts gzip (browsers do)."""
    timing = probe_front.stream_timing(
        served.front, lab.TOKEN, "front door", probe_front.APP_STREAM_CHECK
    )
    assert len(timing.arrivals) == probe_front.STREAM_EVENTS
    assert timing.first_share > 0.9, timing


def test_a_front_door_that_holds_answers_back_is_a_fix(served: Served, tmp_path: Path) -> None:
    with holding_proxy(served.front) as front:
        outcome = measure(tmp_path, served.app, front)
    found = outcome.finding("stream-buffered")
    assert found["severity"] == "fix" and found["move"] is None
    (evidence,) = found["evidence"]  # the app's own hop streamed: only the front door is named
    assert f"via the front door ({front}{probe_front.FRONT_STREAM_CHECK}" in evidence["signal"]
    assert evidence["value"] > 0.9 and evidence["n"] == probe_front.STREAM_EVENTS
    assert found["next_steps"][0].startswith("the front door buffers")
    assert streams(outcome)["app"]["arrivals"][0] < 0.5 * streams(outcome)["app"]["ended"]
    assert outcome.verdict["direction"] == "stay" and "1 smaller fix" in outcome.verdict["summary"]
