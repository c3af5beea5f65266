"""P5: 1,000 WebSocket clients of a generated pack-4 app follow one job a Celery task runs.

    PYTHON312=... .venv/bin/python benchmarks/p5_ws_fanout.py [--clients 1000]
        [--processes 2] [--seconds 10]

The generated app (pack 4, queue celery) runs as in production, from its Procfile: gunicorn
with its uvicorn workers (WEB_CONCURRENCY, 2 here), a Celery worker and Beat, on a fresh
PostgreSQL database and a Redis database of its own. `--clients` sockets of one signed-in user
connect to /ws/jobs/ (from `--processes` Node.js processes, benchmarks/ws-client/); then the
user requests a report, whose Celery task reports progress ten times in `--seconds`, and every
socket subscribes to its job. Each change of the job is one group_send
to the owner's group from the worker; each socket should receive every change after its
subscription answer, up to the end of the job.

Printed: the delivery latency, from the change's `updated_at` in PostgreSQL (read back by an
observer polling the receipt every 5 ms; it stamps what the worker wrote, so the clock is the
machine's) to the client reading the frame, p50/p99/max over all (socket, change) pairs; the
changes each socket missed (lost: a change some socket received after its subscription answer
and this one did not; and sockets that never saw the job end). Client-side queueing counts in
the latency: a client process reading 500 sockets stamps its last frame after the first.
Targets (issue 7): p99 <= 100 ms, 0 lost.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import redis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.receipts import receipt_states  # noqa: E402
from tests.doctor.lab import signed_in  # noqa: E402
from tests.templates import harness  # noqa: E402
from tests.templates.conftest import backend_env  # noqa: E402
from tests.templates.harness import Variant  # noqa: E402

from stackpacks.catalogue import Selection  # noqa: E402  (the repository root comes first)

TERMINAL = ("succeeded", "failed", "dead")
REDIS_URL = "redis://127.0.0.1:6379/13"
# Per socket, every job frame it read: [status, progress, unix time read].
Frames = list[list[list[Any]]]

# The load client: Node.js and `ws` (benchmarks/ws-client/, pinned), which reads a frame in a
# few microseconds; a Python client would spend as much CPU per frame as the server does, on
# the same two cores, and its own queueing would count as delivery latency.
CLIENT = ROOT / "benchmarks" / "ws-client"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def run(args: argparse.Namespace) -> tuple[Frames, dict[tuple[str, int], float]]:
    venv = harness.app_venv()
    # A project, database and Redis database of its own: the test matrix may run meanwhile.
    variant = Variant("p5-ws-fanout", Selection("demo", 4, (), "celery"))
    app = harness.materialize(variant)
    database = "sp_p5_ws_fanout"
    harness.recreate_database(database)
    redis.Redis.from_url(REDIS_URL).flushdb()
    database_url = f"postgres://postgres@127.0.0.1:5432/{database}"
    port = harness.free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as metrics:
        env = backend_env(
            venv,
            variant,
            DATABASE_URL=database_url,
            REDIS_URL=REDIS_URL,
            DJANGO_DEBUG="0",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_SECURE_COOKIES="0",
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            PROMETHEUS_MULTIPROC_DIR=metrics,
            REPORT_WORK_SECONDS=str(args.seconds),
            WEB_CONCURRENCY=str(args.workers),
        )
        harness.run(["python", "manage.py", "migrate", "--noinput", "-v0"], app / "backend", env)
        with (
            harness.server(harness.web_command(app, port), app, env, f"{base}/api/health/"),
            harness.companion_processes(app, env),
        ):
            client = signed_in(base)
            cookie = f"sessionid={client.cookies['sessionid']}"
            clients = start_clients(args, port, cookie)
            try:
                for process in clients:
                    assert process.stdout is not None
                    if process.stdout.readline().strip() != "ready":
                        raise RuntimeError("a client process could not connect its sockets")
                print(f"  {args.clients} sockets open; requesting the report", flush=True)
                with receipt_states(database_url, every=0.005) as states:
                    answer = client.post("/api/reports/", json={"title": "P5", "rows": 10})
                    answer.raise_for_status()
                    job = answer.json()["id"]
                    for process in clients:
                        assert process.stdin is not None
                        process.stdin.write(job + "\n")
                        process.stdin.flush()
                    frames = [
                        socket
                        for process in clients
                        for socket in json.loads(process.communicate(timeout=900)[0])
                    ]
                    time.sleep(0.1)
            finally:
                for process in clients:
                    process.kill()
            client.close()
    changes: dict[tuple[str, int], float] = {}
    for state in states:
        changes.setdefault((state.status, state.progress), state.updated)
    return frames, changes


def start_clients(args: argparse.Namespace, port: int, cookie: str) -> list[subprocess.Popen[str]]:
    if not (CLIENT / "node_modules" / "ws").is_dir():
        harness.run(["npm", "ci", "--no-audit", "--no-fund"], CLIENT)
    share, extra = divmod(args.clients, args.processes)
    return [
        subprocess.Popen(
            [
                "node",
                str(CLIENT / "client.mjs"),
                f"ws://127.0.0.1:{port}/ws/jobs/",
                f"http://127.0.0.1:{port}",
                cookie,
                str(share + (index < extra)),
                ",".join(TERMINAL),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for index in range(args.processes)
    ]


def report(frames: Frames, changes: dict[tuple[str, int], float]) -> None:
    delays: list[float] = []
    lost = unfinished = others = 0
    broadcast = {
        (status, progress) for socket in frames for status, progress, _ in socket[1:]
    }  # every change some socket received after its subscription answer
    for socket in frames:
        others += sum(1 for status, _, _ in socket if status.startswith("frame:"))
        if not socket or socket[-1][0] not in TERMINAL:
            unfinished += 1
        if not socket:
            continue
        answer_key = (socket[0][0], socket[0][1])
        got = {(status, progress) for status, progress, _ in socket}
        lost += sum(
            1
            for key in broadcast
            if key not in got and changes.get(key, 0) > changes.get(answer_key, 0)
        )
        for status, progress, at in socket[1:]:
            if (status, progress) in changes:
                delays.append(1000 * (at - changes[(status, progress)]))
    print(
        f"  {len(frames)} sockets, {len(broadcast)} changes broadcast after the subscriptions, "
        f"{len(delays)} deliveries timed"
    )
    if delays:
        print(
            f"  delivery latency: p50 {statistics.median(delays):.1f} ms, "
            f"p99 {percentile(delays, 0.99):.1f} ms, max {max(delays):.1f} ms "
            "(target p99 <= 100 ms)"
        )
    print(
        f"  lost: {lost} changes missed, {unfinished} sockets never saw the job end, "
        f"{others} other frames (errors) (target 0)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print(
        f"P5: {args.clients} WebSocket clients ({args.processes} processes) follow one job "
        f"of {args.seconds:.0f} s; {args.workers} web workers"
    )
    print(f"  load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    frames, changes = run(args)
    report(frames, changes)
    print(f"  load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
