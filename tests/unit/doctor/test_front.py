"""The runtime checks of packs 3-4 against tiny loopback servers the tests start: an app that
streams events, a front door that forwards them as they come or holds them to the end, and
WebSocket handshakes answered or not."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import socketserver
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from stackpacks.doctor import recommend as rec
from stackpacks.doctor.collect import Targets, collect
from stackpacks.doctor.model import Severity
from stackpacks.doctor.probe_front import (
    APP_STREAM_CHECK,
    FRONT_STREAM_CHECK,
    WS_GUID,
    websocket_upgrade,
)


class App(BaseHTTPRequestHandler):
    """The app's stream check: `events` SSE events `interval` s apart, each flushed at once."""

    def do_GET(self) -> None:
        if not self.path.startswith(APP_STREAM_CHECK):
            self.send_error(404)
            return
        query = dict(p.split("=") for p in self.path.partition("?")[2].split("&"))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        for index in range(int(query["events"])):
            self.wfile.write(f"data: {index}\n\n".encode())
            self.wfile.flush()
            time.sleep(float(query["interval"]))

    def log_message(self, format: str, *args: object) -> None:
        pass


def front_door(upstream: str, buffering: bool) -> type[BaseHTTPRequestHandler]:
    """A proxy; like pack 3's frontend, it serves the stream check at FRONT_STREAM_CHECK."""

    class Proxy(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            path = self.path.replace(FRONT_STREAM_CHECK, APP_STREAM_CHECK, 1)
            with httpx.stream("GET", upstream + path, headers=dict(self.headers)) as answer:
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("content-type", ""))
                self.end_headers()
                chunks = list(answer.iter_raw()) if buffering else answer.iter_raw()
                for chunk in chunks:
                    self.wfile.write(chunk)
                    self.wfile.flush()

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Proxy


@contextlib.contextmanager
def serve(handler: type[socketserver.BaseRequestHandler]) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)  # type: ignore[arg-type]
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def measure(app: str, front: str | None, pack: int = 3) -> rec.Recommendation:
    targets = Targets(app, "t", None, None, 0, pack, True, front_url=front)
    return rec.recommend(collect(targets))


def finding(advice: rec.Recommendation, rule: str) -> rec.Finding | None:
    return next((f for f in advice.findings if f.rule == rule), None)


def test_a_front_door_that_forwards_events_as_they_come_passes() -> None:
    with serve(App) as app, serve(front_door(app, buffering=False)) as front:
        advice = measure(app, front)
    assert finding(advice, "stream-buffered") is None


def test_a_front_door_that_holds_the_stream_to_its_end_is_found() -> None:
    with serve(App) as app, serve(front_door(app, buffering=True)) as front:
        advice = measure(app, front)
    found = finding(advice, "stream-buffered")
    assert found is not None and found.severity is Severity.FIX and found.count == 1
    evidence = found.evidence[0]
    assert "front door" in evidence.signal and evidence.value > 0.9 and evidence.n == 3
    assert found.next_steps[0].startswith("the front door buffers")


def test_an_app_that_buffers_is_named_as_the_culprit() -> None:
    with (
        serve(App) as upstream,
        serve(front_door(upstream, buffering=True)) as app,  # an app that buffers
        serve(front_door(app, buffering=False)) as front,
    ):
        advice = measure(app, front)
    found = finding(advice, "stream-buffered")
    assert found is not None and found.count == 2
    assert found.next_steps[0].startswith("the app itself buffers")


def test_streams_are_not_checked_below_pack_3() -> None:
    with serve(App) as app, serve(front_door(app, buffering=True)) as front:
        signals = collect(Targets(app, "t", None, None, 0, 2, True, front_url=front))
    assert signals.front is None


def test_a_front_door_without_the_stream_check_is_a_skip_not_a_finding() -> None:
    with serve(App) as app:
        targets = Targets(app, "t", None, None, 0, 3, True, front_url=app + "/elsewhere")
        signals = collect(targets)
    assert signals.front is not None and signals.front.streams[0].hop == "app"
    assert any(s.probe == "front" and "HTTP 404" in s.reason for s in signals.skipped)


class Refusing(BaseHTTPRequestHandler):
    """An app whose SIGNALS_TOKEN is not the one doctor was given."""

    def do_GET(self) -> None:
        self.send_response(401)
        self.send_header("WWW-Authenticate", "Bearer")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


def test_a_refused_token_is_a_skip_that_says_so() -> None:
    with serve(Refusing) as app, serve(front_door(app, buffering=False)) as front:
        signals = collect(Targets(app, "t", None, None, 0, 3, True, front_url=front))
    assert signals.front is not None and signals.front.streams == ()
    reasons = [s.reason for s in signals.skipped if s.probe == "front"]
    assert [FRONT_STREAM_CHECK in reasons[0], APP_STREAM_CHECK in reasons[1]] == [True, True]
    assert all("refused the token" in r for r in reasons)


class Upgrading(socketserver.StreamRequestHandler):
    """Accepts every WebSocket handshake (101 and the key's Sec-WebSocket-Accept), then echoes
    one short text frame unless `echo` is off (a front door that answers the handshake itself
    and relays nothing)."""

    echo = True

    def handle(self) -> None:
        head = b""
        while not head.endswith(b"\r\n\r\n"):
            head += self.rfile.readline()
        key = next(
            line.split(":", 1)[1].strip()
            for line in head.decode().split("\r\n")
            if line.lower().startswith("sec-websocket-key")
        )
        accept = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        self.wfile.write(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + f"Sec-WebSocket-Accept: {accept}\r\n\r\n".encode()
        )
        opcode, length = self.rfile.read(2)
        mask = self.rfile.read(4)
        text = bytes(b ^ mask[i % 4] for i, b in enumerate(self.rfile.read(length & 0x7F)))
        if self.echo:
            self.wfile.write(bytes((opcode, len(text))) + text)


class Mute(Upgrading):
    echo = False


def test_a_websocket_handshake_answered_101_passes() -> None:
    with serve(Upgrading) as front:
        upgrade = websocket_upgrade(front, "t")
        assert upgrade.accepted and upgrade.echoed
        advice = measure(front, front, pack=4)
    assert finding(advice, "websocket-upgrade") is None


def test_a_socket_that_opens_but_relays_no_frame_is_found() -> None:
    with serve(Mute) as front:
        upgrade = websocket_upgrade(front, "t", timeout=0.5)
        assert upgrade.accepted and not upgrade.echoed
        advice = measure(front, front, pack=4)
    found = finding(advice, "websocket-upgrade")
    assert found is not None and found.evidence[0].value == 0
    assert "101 Switching Protocols; a text frame" in found.evidence[0].signal


def test_a_front_door_that_does_not_forward_upgrades_is_found() -> None:
    with serve(App) as app:  # answers the handshake with a plain 404
        advice = measure(app, app, pack=4)
    found = finding(advice, "websocket-upgrade")
    assert found is not None and found.evidence[0].value == 0
    assert "404" in found.evidence[0].signal and "rfc6455" in found.evidence[0].source


class Silent(socketserver.StreamRequestHandler):
    """Reads the handshake and holds the connection without a word (`next start` does this
    for an upgrade on a path it does not rewrite)."""

    def handle(self) -> None:
        self.rfile.readline()
        time.sleep(1.5)


class Closing(socketserver.StreamRequestHandler):
    """Reads the handshake's first line and closes the connection."""

    def handle(self) -> None:
        self.rfile.readline()


def test_a_front_door_that_never_answers_the_handshake_fails_it() -> None:
    with serve(Silent) as front:
        upgrade = websocket_upgrade(front, "t", timeout=0.3)
    assert (upgrade.status, upgrade.accepted) == (0, False)
    assert upgrade.answer == "no answer to the handshake within 0.3 s"


def test_a_front_door_that_closes_the_connection_fails_the_handshake() -> None:
    with serve(Closing) as front:
        upgrade = websocket_upgrade(front, "t")
    assert (upgrade.status, upgrade.accepted) == (0, False)
    assert upgrade.answer == "the connection was closed without an answer"


def test_websockets_are_not_checked_at_pack_3() -> None:
    with serve(App) as app:
        assert finding(measure(app, app, pack=3), "websocket-upgrade") is None


def test_a_front_door_that_is_not_running_is_a_skip_not_a_failed_upgrade() -> None:
    closed = f"http://127.0.0.1:{_free_port()}"
    with serve(App) as app:
        signals = collect(Targets(app, "t", None, None, 0, 4, True, front_url=closed))
    assert signals.front is not None and signals.front.websocket is None
    reasons = [s.reason for s in signals.skipped if s.probe == "front"]
    assert len(reasons) == 2 and all("unreachable" in r for r in reasons)


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
