"""Pack 2 benchmark: 1,000 jobs, `kill -9` one of two workers mid-run, count what was lost.

    PYTHON312=... .venv/bin/python benchmarks/pack2_kill9.py [--queue celery|db] [--jobs 1000]
        [--venv .cache/app-venv-...] [--redis-db 14]

Generates a pack-2 project (`--queue`), migrates a fresh PostgreSQL database
(`sp_pack2_bench_<queue>`), starts two workers (their own process groups), submits the jobs
through the app's own `apps.jobs.services.submit`, and once a third of them have succeeded
kills one worker's whole process group with SIGKILL. The surviving worker (plus, for
`--queue db`, the scheduler loop that queues stale jobs again) must finish everything.

Each job is a benchmark-only kind whose side effect is one row in `bench_effect`, written in
`Job.completing()`; that table has no unique constraint, so a job completed twice shows twice.
Prints: jobs lost (receipts not succeeded at the end), side effects duplicated, side effects
missing, attempts beyond the first (redeliveries), and the wall time. Both lost and duplicated
must be 0. For Celery the killed worker's unacknowledged jobs come back when Redis's
visibility timeout (set short here: 20 s) expires; for the db queue when their receipts go
stale (5 s here).
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import psycopg

from stackpacks.catalogue import Selection
from stackpacks.project import create

PG = "postgres://postgres@127.0.0.1:5432"

BENCH_SETTINGS = """
from config.settings import *  # noqa: F403

JOB_KINDS = {**JOB_KINDS, "bench.effect": "bench_kind.Effect"}  # noqa: F405
"""

BENCH_KIND = """
import time

from django.db import connection


class Effect:
    @staticmethod
    def run(job):
        for step in range(1, 5):
            time.sleep(0.02)
            job.progress(step * 25)
        with job.completing():
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO bench_effect (job_id) VALUES (%s)", [job.receipt.pk])

    @staticmethod
    def gave_up(receipt):
        pass
"""

SUBMIT = """
import django
django.setup()
from django.contrib.auth import get_user_model
from django.db import connection
from apps.jobs.services import submit

with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS bench_effect (job_id uuid NOT NULL)")
owner, _ = get_user_model().objects.get_or_create(username="bench")
for n in range({jobs}):
    submit(owner=owner, kind="bench.effect", summary=str(n), create_subject=lambda: None)
"""

COUNT = """
SELECT
  (SELECT count(*) FROM jobs_jobreceipt WHERE status = 'succeeded'),
  (SELECT count(*) FROM jobs_jobreceipt WHERE status IN ('succeeded', 'failed', 'dead')),
  (SELECT count(*) FROM jobs_jobreceipt),
  (SELECT count(*) - count(DISTINCT job_id) FROM bench_effect),
  (SELECT count(*) FROM jobs_jobreceipt r WHERE r.status = 'succeeded'
     AND NOT EXISTS (SELECT 1 FROM bench_effect e WHERE e.job_id = r.id)),
  (SELECT coalesce(sum(attempts - 1), 0) FROM jobs_jobreceipt)
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--queue", choices=["celery", "db"], default="celery")
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--venv", type=Path, required=True, help="a venv with pack 2's deps")
    parser.add_argument("--redis-db", type=int, default=14)
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()

    database = f"sp_pack2_bench_{args.queue}"
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{database}"')
    scratch = Path(tempfile.mkdtemp(prefix="pack2-kill9-"))
    backend = create(Selection("bench", 2, (), args.queue), scratch / "bench").path / "backend"
    (backend / "bench_settings.py").write_text(textwrap.dedent(BENCH_SETTINGS))
    (backend / "bench_kind.py").write_text(textwrap.dedent(BENCH_KIND))
    python = str(args.venv / "bin" / "python")
    env = {
        **os.environ,
        "PATH": f"{args.venv / 'bin'}:{os.environ['PATH']}",
        "DATABASE_URL": f"{PG}/{database}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
        "JOB_SOFT_TIME_LIMIT_SECONDS": "8",
        "JOB_TIME_LIMIT_SECONDS": "10",
        "JOB_RETRY_BACKOFF_SECONDS": "0.5",
        "JOB_RETRY_BACKOFF_MAX_SECONDS": "5",
        "CELERY_VISIBILITY_TIMEOUT": "20",
        "JOB_STALE_AFTER_SECONDS": "5",
    }

    def run(*command: str) -> None:
        subprocess.run(command, cwd=backend, env=env, check=True, capture_output=True)

    run(python, "manage.py", "migrate", "--noinput")
    if args.queue == "celery":
        run(python, "-m", "celery", "-A", "config", "purge", "-f")
        worker = [python, "-m", "celery", "-A", "config", "worker", "--concurrency", "2"]
        workers = [
            [*worker, "-n", f"bench{n}@%h", "--without-gossip", "--without-mingle"] for n in (1, 2)
        ]
        helpers: list[list[str]] = []
    else:
        workers = [[python, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"]] * 2
        helpers = [[python, "manage.py", "run_periodic_jobs", "--every", "2"]]
    logs = scratch / "logs"
    logs.mkdir()
    procs = [
        subprocess.Popen(
            command,
            cwd=backend,
            env=env,
            start_new_session=True,
            stdout=(logs / f"p{n}.log").open("w"),
            stderr=subprocess.STDOUT,
        )
        for n, command in enumerate([*workers, *helpers])
    ]
    started = time.monotonic()
    try:
        run(python, "-c", SUBMIT.format(jobs=args.jobs))
        with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
            killed = False
            while time.monotonic() - started < args.timeout:
                succeeded, finished, total, duplicated, missing, redelivered = conn.execute(
                    COUNT
                ).fetchone()
                if not killed and succeeded >= args.jobs // 3:
                    os.killpg(procs[0].pid, signal.SIGKILL)
                    killed = True
                    print(f"kill -9 worker 1 at {succeeded} succeeded", flush=True)
                if finished == total == args.jobs:
                    break
                time.sleep(0.5)
        elapsed = time.monotonic() - started
    finally:
        for proc in procs[1:]:
            os.killpg(proc.pid, signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=30)
    lost = args.jobs - succeeded
    print(
        f"queue={args.queue} jobs={args.jobs} lost={lost} duplicated={duplicated} "
        f"missing_effects={missing} redelivered_attempts={redelivered} wall={elapsed:.1f}s"
    )
    return 0 if lost == duplicated == missing == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
