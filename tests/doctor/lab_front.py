"""The pain lab's front doors (packs 3-4): the generated frontend's `next start` in front of the
app, as users reach it, and a proxy that holds every answer until it has all of it.

Built on the generated-app harness: the variant's cached project and its `node_modules`, and
its production build when there is one (the matrix makes it); built here only when missing.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from tests.templates import harness

# Hop-by-hop fields (RFC 9110 section 7.6.1): a proxy does not pass them on. Dropping Upgrade
# and Connection is also what a proxy not set up for WebSockets does (nginx by default).
HOP_BY_HOP = {"connection", "upgrade", "keep-alive", "transfer-encoding", "te", "trailer"}


def built_frontend(project: Path) -> int:
    """The project's production build (made once if missing); the port of the Django its
    rewrites point at, which `next build` fixed in .next/routes-manifest.json."""
    frontend = project / "frontend"
    harness.npm_install(project)
    if not (frontend / ".next" / "BUILD_ID").is_file():
        api = f"http://127.0.0.1:{harness.free_port()}"
        env = {"NEXT_TELEMETRY_DISABLED": "1", "DJANGO_API_URL": api}
        harness.run(["npm", "run", "build"], frontend, env)
    manifest = json.loads((frontend / ".next" / "routes-manifest.json").read_text())
    rewrites = manifest["rewrites"]
    if isinstance(rewrites, dict):
        rewrites = [r for phase in rewrites.values() for r in phase]
    api_rewrite = next(r for r in rewrites if r["source"].startswith("/api/"))
    port = urlsplit(api_rewrite["destination"]).port
    assert port is not None, api_rewrite
    return port


@contextlib.contextmanager
def next_start(project: Path, api: str) -> Iterator[str]:
    """`next start` of the built frontend (the Procfile's `frontend`), talking to `api`."""
    port = harness.free_port()
    url = f"http://127.0.0.1:{port}"
    command = ["npm", "run", "start", "--", "-p", str(port), "-H", "127.0.0.1"]
    env = {"DJANGO_API_URL": api, "NEXT_TELEMETRY_DISABLED": "1"}
    with harness.server(command, project / "frontend", env, f"{url}/", label="next"):
        yield url


@contextlib.contextmanager
def holding_proxy(upstream: str) -> Iterator[str]:
    """A proxy that reads each answer whole before sending any of it: nginx with
    `proxy_buffering on` that ignores X-Accel-Buffering, a serverless function returning a
    body, a CDN that compresses whole responses. Like an unconfigured nginx it also drops the
    Upgrade header, so WebSocket handshakes reach the upstream as plain GETs."""

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
            with httpx.Client(timeout=30) as client:
                answer = client.get(upstream + self.path, headers=headers)
                body = answer.content  # all of it, then the client gets it
            self.send_response(answer.status_code)
            for name, value in answer.headers.items():
                if name.lower() not in HOP_BY_HOP | {"content-length", "content-encoding"}:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
