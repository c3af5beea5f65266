"""P3: the I/O-bound endpoint under load: pack 1 (sync workers), pack 3 (ASGI, Django's own
handler) and pack 3 with the option asgi-fastpath, side by side in one run.

    PYTHON312=... .venv/bin/python benchmarks/p3_async_vs_sync.py [--seconds 20]
        [--workers 2] [--connections 200] [--delay 0.2] [--runs 3]

Both apps serve GET /api/lookup/?q=... (signed in: the session is read from PostgreSQL on every
request) against the same slow upstream on loopback, which answers after `--delay` seconds: a
tiny HTTP/1.1 server on uvloop in a process of its own (benchmarks/slow_upstream.py), cheap
enough not to be the bottleneck.
Each app runs its Procfile's `web` command with the same number of gunicorn workers; wrk
(Debian's, `apt-get install -y wrk`) holds `--connections` concurrent clients for `--seconds`.
The three apps take turns, `--runs` rounds. Printed: each run's requests/s, then per app the
median with the spread (min-max), the ratios of the medians to pack 1 (target for pack 3:
>= 25x), and each against the ideal bound connections / delay (target >= 50 % of 1,000
req/s), with the machine's load average; and per app the web processes' CPU milliseconds per
request, which a machine shared with other work changes less than the rate.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.doctor.lab import signed_in  # noqa: E402
from tests.templates import harness  # noqa: E402
from tests.templates.conftest import backend_env  # noqa: E402
from tests.templates.harness import Variant  # noqa: E402

from stackpacks import project  # noqa: E402  (the repository root must be importable first)
from stackpacks.catalogue import Selection  # noqa: E402
from stackpacks.doctor.probe_processes import web_cpu  # noqa: E402

RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
DONE = re.compile(r"(\d+) requests in")
NON_2XX = re.compile(r"Non-2xx or 3xx responses: (\d+)")
ERRORS = re.compile(r"Socket errors: (.*)")


# --- the benchmark -----------------------------------------------------------------------------


@contextlib.contextmanager
def upstream(delay: float, venv: Path) -> Iterator[str]:
    port = harness.free_port()
    script = ROOT / "benchmarks" / "slow_upstream.py"
    command = [str(venv / "bin" / "python"), str(script), str(port), str(delay)]
    with harness.server(command, ROOT, {}, ready_url=None, label="upstream"):
        yield f"http://127.0.0.1:{port}/"


# What is measured: a label, and the selection it generates.
APPS = (
    ("pack 1", Selection("demo", 1, (), "celery")),
    # Queue db from pack 2 on: no Redis needed.
    ("pack 3", Selection("demo", 3, (), "db")),
    ("pack 3 + asgi-fastpath", Selection("demo", 3, ("asgi-fastpath",), "db")),
)


@contextlib.contextmanager
def app_server(
    number: int, app: Path, venv: Path, workers: int, upstream_url: str, scratch: Path
) -> Iterator[str]:
    """The generated app, migrated on a fresh database and served by its Procfile's web
    command."""
    label, selection = APPS[number]
    variant = Variant(f"p3_bench_{number}", selection)
    harness.recreate_database(variant.db_name)
    port = harness.free_port()
    metrics = Path(tempfile.mkdtemp(prefix="metrics-", dir=scratch))
    env = backend_env(
        venv,
        variant,
        DJANGO_DEBUG="0",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        WEB_CONCURRENCY=str(workers),
        PROMETHEUS_MULTIPROC_DIR=str(metrics),
        UPSTREAM_URL=upstream_url,
    )
    harness.run(["python", "manage.py", "migrate", "--noinput", "-v0"], app / "backend", env)
    url = f"http://127.0.0.1:{port}"
    command = harness.web_command(app, port)
    with harness.server(command, app, env, f"{url}/api/health/", label=label):
        yield url


def wrk(url: str, cookie: str, connections: int, seconds: int) -> tuple[float, str]:
    result = subprocess.run(
        [
            *("wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s"),
            *("-H", f"Cookie: {cookie}", f"{url}/api/lookup/?q=bench"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    rate = RATE.search(result.stdout)
    if rate is None:
        raise RuntimeError(result.stdout + result.stderr)
    return float(rate.group(1)), result.stdout


def measure(
    number: int, app: Path, args: argparse.Namespace, venv: Path, url: str, scratch: Path
) -> tuple[float, float]:
    """Requests/s, and the web processes' CPU milliseconds per request (user + system, from
    /proc, as doctor reads them): the cost of a request, which a busy machine changes less than
    the rate."""
    label = APPS[number][0]
    with app_server(number, app, venv, args.workers, url, scratch) as base:
        client = signed_in(base)
        cookie = f"sessionid={client.cookies['sessionid']}"
        assert client.get("/api/lookup/", params={"q": "warm"}).status_code == 200
        client.close()
        cpu_before, _ = web_cpu(app)
        rate, report = wrk(base, cookie, args.connections, args.seconds)
        cpu_after, _ = web_cpu(app)
    done = DONE.search(report)
    requests = int(done.group(1)) if done else 0
    cpu_ms = 1000 * (cpu_after - cpu_before) / requests if requests else float("nan")
    non_2xx = NON_2XX.search(report)
    errors = ERRORS.search(report)
    print(
        f"  {label:24} {rate:8.1f} req/s  {cpu_ms:5.2f} ms CPU/request  ({requests} requests, "
        f"non-2xx {non_2xx.group(1) if non_2xx else 0}"
        f"{', socket errors ' + errors.group(1) if errors else ''})",
        flush=True,
    )
    return rate, cpu_ms


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    venv = harness.app_venv()
    ideal = args.connections / args.delay
    print(
        f"P3: GET /api/lookup/, upstream {args.delay * 1000:.0f} ms, {args.connections} "
        f"connections, {args.seconds} s each, {args.workers} gunicorn workers each, "
        f"{args.runs} runs"
    )
    print(f"  load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rates: dict[str, list[float]] = {label: [] for label, _ in APPS}
    costs: dict[str, list[float]] = {label: [] for label, _ in APPS}
    with tempfile.TemporaryDirectory() as tmp, upstream(args.delay, venv) as url:
        scratch = Path(tmp)
        apps = [scratch / f"app{number}" for number in range(len(APPS))]
        for (_, selection), app in zip(APPS, apps, strict=True):
            project.create(selection, app)
        for run in range(1, args.runs + 1):
            print(f"run {run}:", flush=True)
            for number, (label, _) in enumerate(APPS):
                rate, cost = measure(number, apps[number], args, venv, url, scratch)
                rates[label].append(rate)
                costs[label].append(cost)
    print(f"  load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    base = statistics.median(rates[APPS[0][0]])
    for label, values in rates.items():
        median = statistics.median(values)
        ratio = f"{median / base:5.1f}x pack 1" if base else "   inf"
        print(
            f"  {label:24} median {median:7.1f} req/s (min {min(values):.1f}, max "
            f"{max(values):.1f}), {ratio}, {100 * median / ideal:3.0f} % of the ideal "
            f"{ideal:.0f} req/s"
        )
    for label, values in costs.items():
        print(
            f"  {label:24} median {statistics.median(values):5.2f} ms web CPU/request "
            f"(min {min(values):.2f}, max {max(values):.2f})"
        )
    print("  targets: pack 3 >= 25x pack 1; pack 3 >= 50 % of the ideal")


if __name__ == "__main__":
    main()
