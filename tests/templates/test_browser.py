"""The browser test through the production servers (gunicorn behind `next start`), plus what the
running app exposes to `stackpacks doctor` under several gunicorn workers."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.templates import harness
from tests.templates.conftest import Built, backend_env
from tests.templates.harness import Variant

pytestmark = pytest.mark.app

TOKEN = "harness-signals-token"


def production_env(
    venv: Path, variant: Variant, port: int, web: str, tmp_path: Path
) -> dict[str, str]:
    metrics = tmp_path / "prometheus"
    metrics.mkdir()
    return backend_env(
        venv,
        variant,
        DATABASE_URL=variant.database_url("_e2e"),
        DJANGO_DEBUG="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",  # plain HTTP on loopback
        DJANGO_CSRF_TRUSTED_ORIGINS=web,
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        PORT=str(port),
        WEB_CONCURRENCY="3",
        PROMETHEUS_MULTIPROC_DIR=str(metrics),
        SIGNALS_TOKEN=TOKEN,
        REPORT_WORK_SECONDS="0.5",
    )


def test_browser_flow_through_production_servers(
    built: Built, venv: Path, variant: Variant, tmp_path: Path
) -> None:
    backend, frontend = built.app / "backend", built.app / "frontend"
    web_port = harness.free_port()
    api, web = built.api, f"http://127.0.0.1:{web_port}"
    env = production_env(venv, variant, built.api_port, web, tmp_path)
    harness.recreate_database(variant.db_name + "_e2e")
    harness.run(["python", "manage.py", "migrate", "--noinput"], backend, env)
    harness.run(["python", "manage.py", "collectstatic", "--noinput"], backend, env)
    web_server = harness.web_command(built.app, built.api_port)
    with (
        harness.server(web_server, built.app, env, f"{api}/api/health/"),
        harness.companion_processes(built.app, env),
    ):
        next_start = ["npm", "run", "start", "--", "-p", str(web_port), "-H", "127.0.0.1"]
        with harness.server(next_start, frontend, {"DJANGO_API_URL": api}, f"{web}/"):
            harness.run(
                ["node", "--test", "e2e/"],
                frontend,
                {"BASE_URL": web, "CHROMIUM_PATH": harness.CHROMIUM},
                timeout=300,
            )
        assert_metrics_cover_every_worker(api)


def assert_metrics_cover_every_worker(api: str) -> None:
    url = f"{api}/internal/signals/metrics"
    assert httpx.get(url).status_code == 404
    assert httpx.get(url, headers={"Authorization": "Bearer wrong"}).status_code == 404
    for _ in range(30):  # spread requests over the workers
        httpx.get(f"{api}/api/health/")
    text = httpx.get(url, headers={"Authorization": f"Bearer {TOKEN}"}).text
    health = [
        line
        for line in text.splitlines()
        if line.startswith("django_http_requests_latency_seconds_by_view_method_count")
        and "health" in line
    ]
    assert health, text[:2000]
    assert sum(float(line.rsplit(" ", 1)[1]) for line in health) >= 30
