"""P6: what the instrumentation costs the app; P7: what doctor itself costs.

    PYTHON312=... .venv/bin/python benchmarks/doctor_overhead.py [--rounds 3] [--seconds 8]

P6: two gunicorns serve the same generated pack-1 app on the same database, one with the
instrumentation (django-prometheus before/after middleware, the query-budget middleware and the
instrumented database engine) and one without (the same settings minus those). wrk (Debian's,
`apt-get install -y wrk`) drives each at a fixed request rate (a Lua delay between requests on
each connection) in alternating rounds, so drift of a shared machine hits both alike; the p50
of each is the median of its rounds. Target: overhead <= 2 %.

P7: `stackpacks doctor --json` against that app, PostgreSQL and the host: wall time (with the
default 10 s window, and with --window 0) and peak RSS of the process. Target: <= 15 s, 100 MB.
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
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.doctor import lab  # noqa: E402  (the repository root must be importable first)
from tests.doctor.lab import running_app, signed_in  # noqa: E402
from tests.templates import harness  # noqa: E402

STACKPACKS = Path(sys.executable).with_name("stackpacks")
UNINSTRUMENTED = '''"""The generated settings minus the instrumentation (benchmark only)."""
from config.settings import *  # noqa: F403

MIDDLEWARE = [m for m in MIDDLEWARE if "prometheus" not in m and "signals" not in m]  # noqa: F405
for _db in DATABASES.values():  # noqa: F405
    _db["ENGINE"] = _db["ENGINE"].replace("django_prometheus.db.backends.", "django.db.backends.")
'''
DELAY = "function delay()\n  return {ms}\nend\n"
P50 = re.compile(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", re.MULTILINE)
RATE = re.compile(r"Requests/sec:\s+([\d.]+)")
UNIT = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(url: str, cookie: str, seconds: int, script: Path) -> tuple[float, float]:
    """p50 latency (ms) and requests/s of one wrk round."""
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            "-c2",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            "-H",
            f"Cookie: {cookie}",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    p50 = P50.search(out)
    rate = RATE.search(out)
    if p50 is None or rate is None:
        raise RuntimeError(f"unexpected wrk output:\n{out}")
    return float(p50.group(1)) * UNIT[p50.group(2)], float(rate.group(1))


@contextlib.contextmanager
def both_apps(tmp: Path) -> Iterator[tuple[str, str, Path]]:
    variant = next(v for v in harness.variants() if v.selection.pack == 1)
    venv = harness.app_venv()
    project = harness.materialize(variant)
    harness.recreate_database(lab.DATABASE)
    env = {
        "PATH": f"{venv / 'bin'}:/usr/bin:/bin",
        "DATABASE_URL": lab.DATABASE_URL,
        "DJANGO_SECRET_KEY": "bench-" + "x" * 50,
    }
    harness.run(["python", "manage.py", "migrate", "--noinput"], project / "backend", env)
    plain = tmp / "plain"
    plain.mkdir()
    (plain / "bench_settings.py").write_text(UNINSTRUMENTED)
    (tmp / "a").mkdir()
    (tmp / "b").mkdir()
    with (
        running_app(project, venv, variant, tmp / "a", WEB_CONCURRENCY="2") as on,
        running_app(
            project,
            venv,
            variant,
            tmp / "b",
            WEB_CONCURRENCY="2",
            DJANGO_SETTINGS_MODULE="bench_settings",
            PYTHONPATH=str(plain),
        ) as off,
    ):
        yield on.url, off.url, project


def overhead(on: str, off: str, rounds: int, seconds: int, tmp: Path) -> dict[str, float]:
    script = tmp / "delay.lua"
    script.write_text(DELAY.format(ms=20))  # ~2 x 1/(20 ms + latency): a fixed, light rate
    cookies = {}
    for url in (on, off):
        client = signed_in(url)
        cookies[url] = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
        client.post("/api/reports/", json={"title": "bench", "rows": 10})
    p50s: dict[str, list[float]] = {on: [], off: []}
    rates: dict[str, list[float]] = {on: [], off: []}
    for _ in range(rounds):
        for url in (on, off):
            p50, rate = wrk(f"{url}/api/reports/", cookies[url], seconds, script)
            p50s[url].append(p50)
            rates[url].append(rate)
    with_ms, without_ms = statistics.median(p50s[on]), statistics.median(p50s[off])
    return {
        "p50_with_ms": with_ms,
        "p50_without_ms": without_ms,
        "overhead_pct": 100 * (with_ms - without_ms) / without_ms,
        "rate_with": statistics.median(rates[on]),
        "rate_without": statistics.median(rates[off]),
        "rounds_with": p50s[on],
        "rounds_without": p50s[off],
    }


def doctor_cost(url: str, window: float) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MB) of one `stackpacks doctor` process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [
            str(STACKPACKS),
            "doctor",
            "--json",
            "--url",
            url,
            "--token",
            lab.TOKEN,
            "--database-url",
            lab.DATABASE_URL,
            "--window",
            str(window),
        ],
        stdout=subprocess.DEVNULL,
        cwd=tempfile.gettempdir(),
    )
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if status not in (0, 1 << 8, 3 << 8):
        raise RuntimeError(f"doctor failed with status {status}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in kilobytes on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch, both_apps(Path(scratch)) as (on, off, _):
        p6 = overhead(on, off, args.rounds, args.seconds, Path(scratch))
        wall, rss = doctor_cost(on, 10)
        wall0, rss0 = doctor_cost(on, 0)
    print(
        f"P6 p50 with instrumentation {p6['p50_with_ms']:.2f} ms, without "
        f"{p6['p50_without_ms']:.2f} ms: overhead {p6['overhead_pct']:+.1f} % (target <= 2 %) "
        f"at {p6['rate_with']:.0f} vs {p6['rate_without']:.0f} req/s; rounds "
        f"{p6['rounds_with']} vs {p6['rounds_without']}"
    )
    print(
        f"P7 doctor: {wall:.2f} s with the 10 s window, {wall0:.2f} s with --window 0; "
        f"peak RSS {max(rss, rss0):.0f} MB (targets <= 15 s, <= 100 MB)"
    )


if __name__ == "__main__":
    main()
