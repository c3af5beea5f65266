"""The production server: metrics add up across gunicorn workers; the container health check."""

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings

from tests.gunicorn_app import APPLICATION

TOKEN = "a-long-random-signals-token"
REQUESTS = 20


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def gunicorn(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("gunicorn")
    port = free_port()
    env = {
        **os.environ,
        "PORT": str(port),
        "WEB_CONCURRENCY": "2",
        "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "metrics"),
        # The health check's SELECT 1 needs a database, not this test run's one.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'health.sqlite3'}",
        "DJANGO_ALLOWED_HOSTS": ".example.com,127.0.0.1",
        "SIGNALS_TOKEN": TOKEN,
        "DJANGO_DEBUG": "False",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SECURE_SSL_REDIRECT": "False",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", *APPLICATION],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_serving(port)
        yield port, tmp_path / "metrics"
    finally:
        process.terminate()
        process.wait(timeout=30)


def wait_until_serving(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            get(port, "/internal/signals/metrics")  # 404 without the token: touches no metric
            return
        except OSError:
            time.sleep(0.1)
    raise TimeoutError("gunicorn did not start")


def worker_pids(metric_files) -> set[str]:
    """The workers that wrote metrics: each writes files of its own, named by process id."""
    return {path.stem.rsplit("_", 1)[-1] for path in metric_files.glob("*.db")}


def test_a_scrape_adds_up_every_workers_requests(gunicorn):
    port, metric_files = gunicorn
    # Requests go on until both workers have answered some: the first may answer while the
    # second is still booting (seen on a loaded machine), and then it takes them all.
    sent, deadline = 0, time.monotonic() + 30
    while sent < REQUESTS or len(worker_pids(metric_files)) < 2:
        assert time.monotonic() < deadline, f"one worker answered all {sent} requests"
        assert get(port, "/api/auth/csrf/")[0] == 200
        sent += 1
    status, text = get(port, "/internal/signals/metrics", {"Authorization": f"Bearer {TOKEN}"})
    assert status == 200
    total = re.search(
        r'^django_http_requests_total_by_view_transport_method_total\{[^}]*view="auth-csrf"[^}]*\}'
        r" (\S+)$",
        text,
        re.MULTILINE,
    )
    assert total is not None, text
    assert float(total.group(1)) == sent


def healthcheck(port: int) -> int:
    env = {**os.environ, "PORT": str(port), "DJANGO_ALLOWED_HOSTS": ".example.com,127.0.0.1"}
    command = [sys.executable, "healthcheck.py"]
    return subprocess.run(command, cwd=settings.BASE_DIR, env=env, check=False).returncode


def test_the_container_health_check(gunicorn):
    port, _ = gunicorn
    assert healthcheck(port) == 0
    assert healthcheck(free_port()) == 1
