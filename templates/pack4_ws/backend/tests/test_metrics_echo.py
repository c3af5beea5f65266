"""The echo socket `stackpacks doctor` opens through the front door (apps/metrics/consumers.py),
on the production server as the Procfile runs it."""

import pytest
from django.conf import settings
from websockets.exceptions import ConnectionClosedError, InvalidStatus
from websockets.sync.client import connect

from tests.test_gunicorn import TOKEN, gunicorn  # noqa: F401  (the server, as a fixture)

ECHO = "/ws/signals/echo/"
BEARER = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def url(gunicorn):  # noqa: F811
    port, _ = gunicorn
    return f"ws://127.0.0.1:{port}{ECHO}"


def test_text_frames_come_back(url):
    with connect(url, additional_headers=BEARER, open_timeout=10) as socket:
        for text in ("ping", "é" * 100):
            socket.send(text)
            assert socket.recv(timeout=5) == text


def test_any_origin_is_accepted_with_the_token(url):
    # Browsers cannot send Authorization on a WebSocket: the Origin protects nothing here.
    headers = {**BEARER, "Origin": "https://elsewhere.example"}
    with connect(url, additional_headers=headers, open_timeout=10) as socket:
        socket.send("hello")
        assert socket.recv(timeout=5) == "hello"


@pytest.mark.parametrize(
    "header",
    [None, "Bearer wrong-token", f"Token {TOKEN}", f"Bearer {TOKEN}x"],
    ids=["missing", "wrong", "wrong-scheme", "longer"],
)
def test_without_the_token_the_handshake_is_refused(url, header):
    headers = {"Authorization": header} if header is not None else {}
    with pytest.raises(InvalidStatus) as refused:
        connect(url, additional_headers=headers, open_timeout=10)
    assert refused.value.response.status_code == 403


def test_a_frame_over_the_limit_closes_the_socket(url):
    with connect(url, additional_headers=BEARER, open_timeout=10) as socket:
        socket.send("x" * (settings.WS_MAX_FRAME_BYTES + 1))
        with pytest.raises(ConnectionClosedError) as closed:
            socket.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


def test_a_binary_frame_closes_the_socket(url):
    with connect(url, additional_headers=BEARER, open_timeout=10) as socket:
        socket.send(b"\x00\x01")
        with pytest.raises(ConnectionClosedError) as closed:
            socket.recv(timeout=5)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1003
