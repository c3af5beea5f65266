"""A browser's WebSockets in tests: its session cookie and Origin, JSON frames in and out."""

import json

import pytest
from django.conf import settings
from django.test import Client
from websockets.exceptions import InvalidStatus
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Origin

# Long enough for a message that is on its way; a message that never comes costs this.
QUIET = 1.0


def session_of(user) -> str:
    browser = Client()
    browser.force_login(user)
    return browser.cookies[settings.SESSION_COOKIE_NAME].value


def open_socket(server: str, path: str, user=None, origin: str | None = "same") -> ClientConnection:
    """A browser's socket: the session cookie of `user`, the page's Origin."""
    headers = {}
    if user is not None:
        headers["Cookie"] = f"{settings.SESSION_COOKIE_NAME}={session_of(user)}"
    if origin == "same":
        origin = server
    return connect(
        server.replace("http", "ws", 1) + path,
        additional_headers=headers,
        origin=None if origin is None else Origin(origin),
        open_timeout=10,
    )


def refused(server: str, path: str, **kwargs) -> int:
    with pytest.raises(InvalidStatus) as rejection:
        open_socket(server, path, **kwargs)
    return rejection.value.response.status_code


def frames(socket: ClientConnection, timeout: float = 5):
    while True:
        yield json.loads(socket.recv(timeout=timeout))


def next_frame(socket: ClientConnection, kind: str, timeout: float = 5) -> dict:
    """The next frame of this type (others, such as presence, are skipped)."""
    return next(f for f in frames(socket, timeout) if f["type"] == kind)


def send(socket: ClientConnection, frame: dict) -> None:
    socket.send(json.dumps(frame))


def nothing_arrives(socket: ClientConnection) -> bool:
    try:
        socket.recv(timeout=QUIET)
    except TimeoutError:
        return True
    return False
