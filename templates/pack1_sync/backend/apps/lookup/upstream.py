"""An example slow upstream for /api/lookup/: answers JSON after a delay.

Run it with `python manage.py slow_upstream`; the tests start it in a thread. GET /status/NNN
answers with that status code, to show how the backend maps upstream failures.
"""

import json
import time
from collections import deque
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class SlowUpstreamServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], delay: float) -> None:
        super().__init__(address, SlowUpstreamHandler)
        self.delay = delay
        self.paths: deque[str] = deque(maxlen=100)  # the latest requests' paths and queries


class SlowUpstreamHandler(BaseHTTPRequestHandler):
    server: SlowUpstreamServer

    def do_GET(self) -> None:
        self.server.paths.append(self.path)
        time.sleep(self.server.delay)
        url = urlsplit(self.path)
        status = HTTPStatus.OK
        if url.path.startswith("/status/"):
            status = HTTPStatus(int(url.path.removeprefix("/status/")))
        query = parse_qs(url.query).get("q", [""])[0]
        body = json.dumps({"query": query, "matches": [query.upper(), query[::-1]]}).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet: the backend's own logs and metrics tell the story."""
