"""P3: the I/O-bound endpoint under load, a generated pack-1 app (sync workers) vs pack 3 (ASGI).

    PYTHON312=... .venv/bin/python benchmarks/p3_async_vs_sync.py [--seconds 20]
        [--workers 2] [--connections 200] [--delay 0.2]

Both apps serve GET /api/lookup/?q=... (signed in: the session is read from PostgreSQL on every
request) against the same slow upstream on loopback, which answers after `--delay` seconds: a
tiny HTTP/1.1 server on uvloop in a process of its own (benchmarks/slow_upstream.py), cheap
enough not to be the bottleneck.
Each app runs its Procfile's `web` command with the same number of gunicorn workers; wrk
(Debian's, `apt-get install -y wrk`) holds `--connections` concurrent clients for `--seconds`.
Printed: requests/s of each, the ratio (target >= 25x), and pack 3 against the ideal bound
connections / delay (target >= 50 % of 1,000 req/s), with the machine's load average.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
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


@contextlib.contextmanager
def app_server(
    pack: int, venv: Path, workers: int, upstream_url: str, scratch: Path
) -> Iterator[str]:
    """The generated app of `pack` (queue db for pack >= 2: no Redis needed), migrated on a
    fresh database and served by its Procfile's web command."""
    selection = Selection("demo", pack, (), "db" if pack >= 2 else "celery")
    app = scratch / f"pack{pack}"
    project.create(selection, app)
    variant = Variant(f"pack3_bench_p{pack}", selection)
    harness.recreate_database(variant.db_name)
    port = harness.free_port()
    metrics = scratch / f"metrics{pack}"
    metrics.mkdir()
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
    with harness.server(command, app, env, f"{url}/api/health/", label=f"pack{pack}"):
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


def measure(pack: int, args: argparse.Namespace, venv: Path, url: str, scratch: Path) -> float:
    with app_server(pack, venv, args.workers, url, scratch) as base:
        client = signed_in(base)
        cookie = f"sessionid={client.cookies['sessionid']}"
        assert client.get("/api/lookup/", params={"q": "warm"}).status_code == 200
        client.close()
        rate, report = wrk(base, cookie, args.connections, args.seconds)
    done = DONE.search(report)
    non_2xx = NON_2XX.search(report)
    errors = ERRORS.search(report)
    print(
        f"  pack {pack}: {rate:8.1f} req/s  ({done.group(1) if done else '?'} requests, "
        f"non-2xx {non_2xx.group(1) if non_2xx else 0}"
        f"{', socket errors ' + errors.group(1) if errors else ''})",
        flush=True,
    )
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2)
    args = parser.parse_args()
    venv = harness.app_venv()
    ideal = args.connections / args.delay
    print(
        f"P3: GET /api/lookup/, upstream {args.delay * 1000:.0f} ms, {args.connections} "
        f"connections, {args.seconds} s each, {args.workers} gunicorn workers each"
    )
    print(f"  load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory() as tmp, upstream(args.delay, venv) as url:
        scratch = Path(tmp)
        sync = measure(1, args, venv, url, scratch)
        asgi = measure(3, args, venv, url, scratch)
    print(f"  load average after:  {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    ratio = asgi / sync if sync else float("inf")
    print(f"  ratio pack 3 / pack 1: {ratio:.1f}x (target >= 25x)")
    print(f"  pack 3 vs the ideal {ideal:.0f} req/s: {100 * asgi / ideal:.0f} % (target >= 50 %)")


if __name__ == "__main__":
    main()
