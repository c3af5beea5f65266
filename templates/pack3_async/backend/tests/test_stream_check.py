"""The stream check `stackpacks doctor` times (apps/metrics/stream_check.py), on the production
server: gunicorn with uvicorn workers, as the Procfile runs it."""

import json
import time

import httpx
import pytest

from tests.test_gunicorn import TOKEN, gunicorn  # noqa: F401  (the server, as a fixture)

CHECK = "/api/signals/stream-check/"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def client(gunicorn):  # noqa: F811
    port, _ = gunicorn
    # httpx accepts gzip, as browsers do: nothing on this server may buffer the stream for it.
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        yield client


def test_events_leave_one_by_one_then_the_stream_ends(client):
    events, arrived = [], []
    params = {"events": 3, "interval": 0.5}
    with client.stream("GET", CHECK, params=params, headers=BEARER) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        assert response.headers["cache-control"] == "no-cache"
        assert response.headers["x-accel-buffering"] == "no"
        assert "content-encoding" not in response.headers
        for line in response.iter_lines():
            if line.startswith("data:"):
                arrived.append(time.time())  # the server's clock: same machine
                events.append(json.loads(line.removeprefix("data:")))
    assert [(e["event"], e["of"]) for e in events] == [(1, 3), (2, 3), (3, 3)]
    # The first event was read before the last one was even written: a server that held the
    # stream back to its end could not do that, however fast or slow this machine is.
    assert arrived[0] < events[-1]["sent_at"]


@pytest.mark.parametrize(
    "header",
    [None, "Bearer wrong-token", f"Token {TOKEN}", f"Bearer {TOKEN}x"],
    ids=["missing", "wrong", "wrong-scheme", "longer"],
)
def test_without_the_token_the_answer_is_401(client, header):
    headers = {"Authorization": header} if header is not None else {}
    response = client.get(CHECK, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert response.content == b""


@pytest.mark.parametrize(
    "params",
    [
        {"events": 0},
        {"events": 11},
        {"events": "many"},
        {"interval": 2.5},
        {"interval": -1},
        {"interval": "nan"},
    ],
    ids=["no-events", "too-many", "not-a-number", "too-slow", "negative", "nan"],
)
def test_a_check_beyond_its_bounds_is_refused(client, params):
    response = client.get(CHECK, params=params, headers=BEARER)
    assert response.status_code == 400
    assert "events: 1 to 10" in response.json()["detail"]
