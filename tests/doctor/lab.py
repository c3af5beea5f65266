"""The pain lab's tools: a real pack-1 app on gunicorn and PostgreSQL, signed-in load, a slow
upstream, and doctor run the way a person runs it (the CLI, with --json).

Built on the generated-app harness (tests/templates/harness.py): its cached project, its venv
and its server(); nothing here copies it.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from typer.testing import CliRunner

from stackpacks.cli import app as cli
from tests.templates import harness
from tests.templates.conftest import backend_env
from tests.templates.harness import Variant

TOKEN = "pain-lab-token"
DATABASE = "sp_doctor_lab"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"


@dataclass(frozen=True)
class App:
    url: str
    log: Path


@contextlib.contextmanager
def running_app(
    project: Path,
    venv: Path,
    variant: Variant,
    tmp_path: Path,
    database_url: str = DATABASE_URL,
    port: int | None = None,
    **settings: str,
) -> Iterator[App]:
    """The Procfile's `web` process (gunicorn: sync workers, uvicorn ones from pack 3) serving
    the generated backend with production settings over loopback HTTP, on `port` or any."""
    port = port or harness.free_port()
    metrics = tmp_path / "prometheus"
    metrics.mkdir(exist_ok=True)
    env = app_env(
        venv,
        variant,
        database_url,
        PORT=str(port),
        PROMETHEUS_MULTIPROC_DIR=str(metrics),
        **settings,
    )
    url = f"http://127.0.0.1:{port}"
    web = harness.web_command(project, port)
    with harness.server(web, project, env, f"{url}/api/health/") as log:
        yield App(url, log)


def app_env(venv: Path, variant: Variant, database_url: str, **settings: str) -> dict[str, str]:
    """The backend's environment in the lab: production settings, the lab's database."""
    return backend_env(
        venv,
        variant,
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        SIGNALS_TOKEN=TOKEN,
        **{"WEB_CONCURRENCY": "4", "REPORT_WORK_SECONDS": "0.01", **settings},
    )


def signed_in(url: str) -> httpx.Client:
    """A client with a fresh user's session and the CSRF header unsafe requests need."""
    client = httpx.Client(base_url=url, timeout=30)
    token = client.get("/api/auth/csrf/").json()["csrfToken"]
    name = f"lab{uuid.uuid4().hex[:10]}"
    signup = client.post(
        "/api/auth/signup/",
        json={"username": name, "password": f"Pain-lab-{uuid.uuid4().hex}"},
        headers={"X-CSRFToken": token},
    )
    assert signup.status_code == 201, signup.text
    client.headers["X-CSRFToken"] = client.get("/api/auth/csrf/").json()["csrfToken"]
    return client


def drive(
    client: httpx.Client,
    request: Callable[[httpx.Client], httpx.Response],
    count: int,
    threads: int,
) -> list[int]:
    """`count` requests from `threads` threads; their status codes."""
    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(lambda _: request(client).status_code, range(count)))


@contextlib.contextmanager
def slow_upstream(delay: float) -> Iterator[str]:
    """A loopback upstream that answers JSON after `delay` seconds."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            time.sleep(delay)
            body = b'{"matches": []}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    report: dict[str, Any]

    def finding(self, rule: str) -> dict[str, Any]:
        found = [f for f in self.report["findings"] if f["rule"] == rule]
        assert found, f"no {rule} finding in {json.dumps(self.report['findings'], indent=1)}"
        return found[0]

    @property
    def verdict(self) -> dict[str, Any]:
        return self.report["verdict"]  # type: ignore[no-any-return]


def doctor(tmp_path: Path, *args: str) -> Outcome:
    """`stackpacks doctor --json ...` in `tmp_path` (outside a project: the pack metrics show)."""
    result = CliRunner().invoke(cli, ["doctor", "--json", "--path", str(tmp_path), *args])
    return Outcome(result.exit_code, json.loads(result.stdout))
