"""The pain lab's pack-2 tools: a copy of the generated project (so doctor runs inside it, reads
pack 2 from its state and counts only its processes), gunicorn with the Procfile's worker and
scheduler beside it, jobs submitted and polled the way the frontend does.
"""

from __future__ import annotations

import contextlib
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import redis

from stackpacks.doctor import probe_celery
from tests.doctor.lab import App, app_env, running_app
from tests.templates import harness
from tests.templates.harness import Variant

COPIED = ("backend", "Procfile", ".stackpacks")
# The lab's own Redis database: the harness gives each variant one (2 x pack + queue), but the
# matrix may run pack 2 at the same time, and its workers would take the lab's jobs (and the
# lab's theirs). 14 is beyond every variant's number.
REDIS_URL = "redis://127.0.0.1:6379/14"


def database_url(variant: Variant) -> str:
    return f"postgres://postgres@127.0.0.1:5432/sp_doctor2_{variant.id.replace('-', '_')}"


def copy_project(source: Path, dest: Path) -> Path:
    """What the app and doctor need of the project: its backend, Procfile and state."""
    dest.mkdir(parents=True)
    for name in COPIED:
        if (source / name).is_dir():
            shutil.copytree(
                source / name, dest / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy2(source / name, dest / name)
    return dest


def reset_jobs(url: str) -> None:
    """No jobs from an earlier scenario, in either queue; the queue installed just now."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("TRUNCATE jobs_jobreceipt, reports_report CASCADE")
        conn.execute("UPDATE django_migrations SET applied = now() WHERE app = 'jobs'")
        if conn.execute("SELECT to_regclass('django_tasks_db_dbtaskresult')").fetchone()[0]:
            conn.execute("TRUNCATE django_tasks_db_dbtaskresult")
    redis.Redis.from_url(REDIS_URL).flushdb()


@contextlib.contextmanager
def running_queue_app(
    project: Path, venv: Path, variant: Variant, tmp_path: Path, **settings: str
) -> Iterator[App]:
    """gunicorn, then every other Procfile process (worker, and beat or scheduler)."""
    url = database_url(variant)
    settings = {"REDIS_URL": REDIS_URL, **settings}
    with running_app(project, venv, variant, tmp_path, url, **settings) as app:
        env = app_env(venv, variant, url, **settings)
        with harness.companion_processes(project, env):
            yield app


@contextlib.contextmanager
def companions(project: Path, venv: Path, variant: Variant, **settings: str) -> Iterator[None]:
    env = app_env(venv, variant, database_url(variant), REDIS_URL=REDIS_URL, **settings)
    with harness.companion_processes(project, env):
        yield


def submit(client: httpx.Client, title: str = "lab", rows: int = 20) -> str:
    """Request a report: the job's receipt id (202 Accepted)."""
    response = client.post("/api/reports/", json={"title": title, "rows": rows})
    assert response.status_code == 202, response.text
    return str(response.json()["id"])


def poll(client: httpx.Client, job: str, etag: str) -> tuple[int, str]:
    """One poll as useJob sends it: If-None-Match with the last ETag."""
    headers = {"If-None-Match": etag} if etag else {}
    response = client.get(f"/api/jobs/{job}/", headers=headers)
    assert response.status_code in (200, 304), response.text
    return response.status_code, response.headers.get("ETag", etag)


def wait_for_workers(count: int = 1, timeout: float = 30) -> None:
    """Until `count` Celery workers answer a ping on the lab's broker (they subscribe to
    their control channel a few seconds after the process starts)."""
    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    db = int(client.connection_pool.connection_kwargs.get("db", 0))
    deadline = time.monotonic() + timeout
    while len(probe_celery.broadcast(client, db, "ping", timeout=1)) < count:
        assert time.monotonic() < deadline, f"{count} Celery workers not up after {timeout}s"
        time.sleep(0.5)


def wait_finished(client: httpx.Client, job: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while client.get(f"/api/jobs/{job}/").json()["status"] not in ("succeeded", "failed", "dead"):
        assert time.monotonic() < deadline, f"job {job} not finished after {timeout}s"
        time.sleep(0.3)


def backdate(url: str, installed: str, jobs: str) -> None:
    """As if the queue was installed `installed` ago and the jobs so far ran `jobs` ago."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "UPDATE django_migrations SET applied = now() - %s::interval WHERE app = 'jobs'",
            (installed,),
        )
        conn.execute(
            "UPDATE jobs_jobreceipt SET created_at = created_at - %(d)s::interval, "
            "started_at = started_at - %(d)s::interval, "
            "finished_at = finished_at - %(d)s::interval, "
            "updated_at = updated_at - %(d)s::interval",
            {"d": jobs},
        )
