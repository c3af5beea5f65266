"""`make dev`'s backend, started the way a developer starts it: from pack 3 on it must serve
what the pack is for (event streams that stream; at pack 4, WebSockets), as production does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.doctor.lab import signed_in
from tests.templates import harness
from tests.templates.conftest import backend_env
from tests.templates.harness import Variant

pytestmark = pytest.mark.app

WS_FIRST_FRAME = Path(__file__).with_name("ws_first_frame.py")
# A streaming server sends the job at once; a server that buffers the stream sends nothing
# before the job ends, and a queued job with no worker never does.
FIRST_EVENT_WITHIN = 10.0


def test_make_dev_backend_streams_job_events_and_opens_websockets(
    venv: Path, variant: Variant
) -> None:
    pack = variant.selection.pack
    if pack < 3:
        pytest.skip("packs 1 and 2 serve WSGI, in development as in production")
    app = harness.materialize(variant)
    env = backend_env(venv, variant, DATABASE_URL=variant.database_url("_dev"))
    harness.recreate_database(variant.db_name + "_dev")
    harness.run(["python", "manage.py", "migrate", "--noinput"], app / "backend", env)
    port = harness.free_port()
    url = f"http://127.0.0.1:{port}"
    make_dev = ["make", "dev-backend", f"BIN={venv / 'bin'}", f"DEV_PORT={port}"]
    with harness.server(make_dev, app, env, f"{url}/api/health/", label="make-dev"):
        client = signed_in(url)
        created = client.post("/api/reports/", json={"title": "dev server"})
        assert created.status_code == 202, created.text
        job = created.json()["id"]
        event = first_job_event(client, job)
        assert (event["id"], event["status"]) == (job, "queued")
        if pack >= 4:
            frame = first_socket_frame(venv, url, client.cookies["sessionid"], job)
            assert (frame["type"], frame["job"]["id"]) == ("job", job)


def first_job_event(client: httpx.Client, job: str) -> dict[str, Any]:
    """The data of the first `event: job` of the job's event stream."""
    path = f"/api/jobs/{job}/events/"
    timeout = httpx.Timeout(30, read=FIRST_EVENT_WITHIN)
    try:
        with client.stream("GET", path, timeout=timeout) as response:
            assert response.status_code == 200, response.read()
            assert response.headers["content-type"].startswith("text/event-stream")
            lines = response.iter_lines()
            for line in lines:
                if line == "event: job":
                    data = next(lines)
                    assert data.startswith("data: "), data
                    found: dict[str, Any] = json.loads(data.removeprefix("data: "))
                    return found
    except httpx.ReadTimeout:
        pytest.fail(f"no event of {path} within {FIRST_EVENT_WITHIN:g} s: the stream is held back")
    pytest.fail(f"{path} ended without an `event: job`")


def first_socket_frame(venv: Path, url: str, session: str, job: str) -> dict[str, Any]:
    """The first frame /ws/jobs/ sends after a subscription to the job (websockets, from the
    app's venv: a real client with the session cookie and the page's Origin)."""
    python = venv / "bin" / "python"
    result = harness.run([python, WS_FIRST_FRAME, url, session, job], WS_FIRST_FRAME.parent)
    frame: dict[str, Any] = json.loads(result.stdout)
    return frame
