"""The app's own processes for the WebSocket tests, started as the Procfile starts them (the
web server of this project: uvicorn workers or Daphne; its Celery or db worker), on a free port
and this test run's database, and stopped with their whole process group."""

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from django.conf import settings
from django.db import connection
from django.utils.encoding import force_str
from prometheus_client.parser import text_string_to_metric_families

from tests.test_gunicorn import free_port

TOKEN = "ws-test-signals-token"
BINDS = ("127.0.0.1:{port}", "--bind 127.0.0.1 --port {port}")


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    return f"postgres://{db['USER']}{password}@{host}:{db['PORT'] or 5432}/{db['NAME']}"


def procfile_command(name: str) -> str:
    for line in (settings.BASE_DIR.parent / "Procfile").read_text().splitlines():
        process, _, command = line.partition(":")
        if process.strip() == name:
            return command.strip()
    raise LookupError(f"no {name} process in the Procfile")


def web_command(port: int) -> str:
    command = procfile_command("web")
    for bind in BINDS:
        if bind.format(port=8000) in command:
            return command.replace(bind.format(port=8000), bind.format(port=port))
    raise LookupError(f"the web process does not bind 127.0.0.1:8000: {command}")


@contextlib.contextmanager
def started(command: str, env: dict[str, str], log: Path) -> Iterator[subprocess.Popen]:
    with log.open("w") as out:
        process = subprocess.Popen(  # noqa: S603
            ["bash", "-c", command],  # noqa: S607
            cwd=settings.BASE_DIR.parent,
            env={**os.environ, "PATH": _with_this_venv(os.environ.get("PATH", "")), **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _with_this_venv(path: str) -> str:
    """PATH with the virtualenv running these tests first: the Procfile names its commands
    (gunicorn, celery, daphne) as an activated venv or `make up` finds them."""
    return os.pathsep.join([str(Path(sys.executable).parent), path])


def app_env(tmp: Path, **extra: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url(),
        "PROMETHEUS_MULTIPROC_DIR": str(tmp / "metrics"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": force_str(settings.SECRET_KEY),
        "DJANGO_SECURE_SSL_REDIRECT": "False",
        "DJANGO_SECURE_COOKIES": "False",
        "SIGNALS_TOKEN": TOKEN,
        "WEB_CONCURRENCY": "2",
        **extra,
    }


@contextlib.contextmanager
def web_server(tmp: Path, **extra: str) -> Iterator[str]:
    """The Procfile's web process on a free port; yields its http:// URL."""
    port = free_port()
    (tmp / "metrics").mkdir(exist_ok=True)
    log = tmp / "web.log"
    with started(web_command(port), app_env(tmp, **extra), log) as process:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"the web server exited:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(f"{url}/internal/signals/metrics", timeout=1)
                break
            if time.monotonic() > deadline:
                pytest.fail(f"the web server did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield url


def metric(server: str, name: str, **labels: str) -> float:
    """One sample of the server's metrics (0 when absent)."""
    headers = {"Authorization": f"Bearer {TOKEN}"}
    text = httpx.get(f"{server}/internal/signals/metrics", headers=headers, timeout=5).text
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return 0.0
