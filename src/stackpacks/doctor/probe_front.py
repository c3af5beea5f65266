"""Runtime checks through the front door (the URL users reach: Next.js, a proxy, a CDN).

- Pack 3+: an event stream must reach the client as it is written. Doctor reads the app's
  stream check (a few SSE events sent `interval` apart, then the end) through the front door
  and, when it can, straight from the app, and records when each event arrived. A buffering
  hop (gzip, nginx `proxy_buffering`, a serverless response) holds them all to the end of the
  stream.

  The two hops are read at different paths, each the one a real stream takes there. Django
  answers `APP_STREAM_CHECK`. Through the front door, browsers follow streams under
  `/streams/` (pack 3's Next.js route handlers, which pass Django's body on as it comes), not
  under `/api/`: `next start`'s `/api/` rewrite gzips, and so buffers, any response a client
  accepts gzip for. Timing the check through `/api/` would fail every healthy pack-3 app for
  a path its streams never take; `FRONT_STREAM_CHECK` (the frontend's proxy of the same
  check) fails exactly when something on the browser's real stream path buffers: a proxy in
  front of Next.js, compression added on `/streams/`, a rewrite used in place of the route.
- Pack 4+: a WebSocket handshake through the front door must be answered `101 Switching
  Protocols` with the right `Sec-WebSocket-Accept` (RFC 6455 4.2.2), and a text frame sent
  over the socket must come back (pack 4's echo socket); a front door that does not forward
  upgrades answers something else or nothing.

Both endpoints are the contract packs 3 and 4 export, protected by SIGNALS_TOKEN like the
metrics; an app without them is skipped with that reason, never judged.
"""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import ssl
import time
from urllib.parse import urlsplit

from stackpacks.doctor.probes import ProbeFailed
from stackpacks.doctor.signals import StreamTiming, Upgrade

APP_STREAM_CHECK = "/api/signals/stream-check/"
FRONT_STREAM_CHECK = "/streams/signals/stream-check"
STREAM_EVENTS = 3
STREAM_INTERVAL = 0.5
WEBSOCKET_CHECK = "/ws/signals/echo/"
WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 section 1.3
ECHO_TEXT = b"stackpacks doctor"  # under 126 bytes: one frame with a 7-bit length
TIMEOUT = 10.0


def stream_timing(base: str, token: str, hop: str, path: str) -> StreamTiming:
    """Read the stream check at `path` of `base`; when each event arrived, from the request's
    start. Sent the way httpx sends anything, accepting gzip: as browsers do."""
    import httpx

    url = f"{base.rstrip('/')}{path}?events={STREAM_EVENTS}&interval={STREAM_INTERVAL}"
    headers = {"Accept": "text/event-stream", "Authorization": f"Bearer {token}"}
    start, arrivals = time.monotonic(), list[float]()
    try:
        with httpx.stream("GET", url, headers=headers, timeout=TIMEOUT) as response:
            if response.status_code == 401:
                raise ProbeFailed(f"{url} refused the token: pass the app's SIGNALS_TOKEN")
            if response.status_code != 200:
                raise ProbeFailed(
                    f"{url} answered HTTP {response.status_code}: no stream check there "
                    f"(pack 3's Django answers {APP_STREAM_CHECK} behind SIGNALS_TOKEN, its "
                    f"frontend proxies it at {FRONT_STREAM_CHECK})"
                )
            # A generator: each arrival is timed as its line is read, not after the stream.
            arrivals.extend(
                time.monotonic() - start
                for line in response.iter_lines()
                if line.startswith("data:")
            )
            ended = time.monotonic() - start
    except httpx.HTTPError as exc:
        raise ProbeFailed(f"{url} unreachable ({type(exc).__name__}: {exc})") from exc
    return StreamTiming(hop, url, tuple(round(t, 3) for t in arrivals), round(ended, 3))


def websocket_upgrade(base: str, token: str, timeout: float = TIMEOUT) -> Upgrade:
    """One WebSocket opening handshake through `base`; what answered it. Once connected, an
    HTTP answer that is not 101, or none at all (silence, a closed connection), is a failed
    upgrade; a front door that cannot be reached is not measured (ProbeFailed)."""
    parts = urlsplit(base)
    secure = parts.scheme in ("https", "wss")
    host, port = parts.hostname or "127.0.0.1", parts.port or (443 if secure else 80)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {WEBSOCKET_CHECK} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Authorization: Bearer {token}\r\n\r\n"
    )
    url = f"{base.rstrip('/')}{WEBSOCKET_CHECK}"
    with _connect(url, host, port, secure, timeout) as sock:
        try:
            sock.sendall(request.encode())
            head, received = _read_head(sock)
        except TimeoutError:  # Next.js without a rewrite for the path holds it like this
            return Upgrade(url, 0, f"no answer to the handshake within {timeout:g} s", False)
        except OSError as exc:
            return Upgrade(url, 0, f"the connection broke ({type(exc).__name__})", False)
        if not head:
            return Upgrade(url, 0, "the connection was closed without an answer", False)
        status_line, _, fields = head.partition("\r\n")
        words = status_line.split(" ", 2)
        status = int(words[1]) if len(words) > 1 and words[1].isdigit() else 0
        expected = base64.b64encode(hashlib.sha1((key + WS_GUID).encode()).digest()).decode()
        accepted = status == 101 and f"sec-websocket-accept: {expected.lower()}" in fields.lower()
        echoed = accepted and _echoes(sock, received)
        return Upgrade(url, status, status_line.strip()[:120], accepted, echoed)


def _echoes(sock: socket.socket, received: bytes) -> bool:
    """Whether a text frame sent over the opened socket comes back: the proof that frames
    cross the front door, not only the handshake. The frame is masked, as a client's must be
    (RFC 6455 section 5.3); the echo comes back unmasked, in one frame (section 5.2)."""
    mask = os.urandom(4)
    masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(ECHO_TEXT))
    wanted = bytes((0x81, len(ECHO_TEXT))) + ECHO_TEXT  # FIN, text; short length, no mask
    data = received
    try:
        sock.sendall(bytes((0x81, 0x80 | len(ECHO_TEXT))) + mask + masked)
        while len(data) < len(wanted) and (chunk := sock.recv(4096)):
            data += chunk
    except OSError:  # silence or a reset: nothing came back
        return False
    return data[: len(wanted)] == wanted


def _connect(url: str, host: str, port: int, secure: bool, timeout: float) -> socket.socket:
    """A connection to the front door; one that cannot be made is not measured (ProbeFailed),
    rather than a failed upgrade."""
    try:
        raw = socket.create_connection((host, port), timeout=timeout)
    except OSError as exc:
        raise ProbeFailed(f"{url} unreachable ({type(exc).__name__}: {exc})") from exc
    if not secure:
        return raw
    try:
        return ssl.create_default_context().wrap_socket(raw, server_hostname=host)
    except OSError as exc:
        raw.close()
        raise ProbeFailed(f"{url}: no TLS connection ({type(exc).__name__}: {exc})") from exc


def _read_head(sock: socket.socket) -> tuple[str, bytes]:
    """The answer's status line and fields, and whatever arrived after them."""
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 16384:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, after = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), after
