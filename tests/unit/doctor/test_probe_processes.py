"""Schedulers and workers from a process table (a fake /proc tree)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stackpacks.doctor.probe_processes import WORKER, kind_of, schedulers, web_cpu
from stackpacks.doctor.probes import ProbeFailed

PY = "/srv/venv/bin/python3.12"
CELERY = "/srv/venv/bin/celery"


@pytest.mark.parametrize(
    ("argv", "kind"),
    [
        ([PY, CELERY, "-A", "config", "beat", "--loglevel", "INFO"], "celery beat"),
        ([PY, "-m", "celery", "-A", "config", "beat"], "celery beat"),
        ([PY, CELERY, "-A", "config", "worker", "-B"], "celery worker -B"),
        ([PY, CELERY, "-A", "config", "worker", "--concurrency", "2"], WORKER),
        ([PY, "manage.py", "db_worker", "--interval", "1"], WORKER),
        ([PY, "manage.py", "run_periodic_jobs", "--every", "60"], "run_periodic_jobs"),
        (["bash", "-c", "cd backend && exec celery -A config beat"], ""),
        ([PY, "-m", "gunicorn", "config.wsgi:application"], ""),
    ],
    ids=["beat", "python-m", "worker-B", "worker", "db-worker", "db-scheduler", "bash", "web"],
)
def test_what_a_command_line_runs(argv: list[str], kind: str) -> None:
    assert kind_of(argv) == kind


def fake_proc(tmp_path: Path, processes: dict[int, tuple[list[str], int, Path]]) -> Path:
    proc = tmp_path / "proc"
    (proc / "self").mkdir(parents=True)
    (proc / "self" / "cmdline").write_bytes(b"doctor\0")
    for pid, (argv, parent, cwd) in processes.items():
        entry = proc / str(pid)
        entry.mkdir()
        (entry / "cmdline").write_bytes("\0".join(argv).encode() + b"\0")
        (entry / "stat").write_text(f"{pid} (celery beat) S {parent} 1 1 0")
        (entry / "cwd").symlink_to(cwd)
    return proc


def test_one_beat_and_a_worker_with_its_pool_under_the_project(tmp_path: Path) -> None:
    app, other = tmp_path / "app", tmp_path / "other"
    worker = [PY, CELERY, "-A", "config", "worker"]
    proc = fake_proc(
        tmp_path,
        {
            10: ([PY, CELERY, "-A", "config", "beat"], 1, app / "backend"),
            11: (worker, 1, app / "backend"),
            12: (worker, 11, app / "backend"),  # pool processes: forked, same command line
            13: (worker, 11, app / "backend"),
            20: ([PY, CELERY, "-A", "config", "beat"], 1, other / "backend"),
        },
    )
    found = schedulers(app, proc)
    assert [(s.pid, s.kind) for s in found.found] == [(10, "celery beat")]
    assert found.workers == 1 and str(app) in found.scope


def test_outside_a_project_every_scheduler_on_the_host_counts(tmp_path: Path) -> None:
    beat = [PY, CELERY, "beat"]
    proc = fake_proc(tmp_path, {5: (beat, 1, tmp_path), 6: (beat, 1, Path("/"))})
    found = schedulers(None, proc)
    assert len(found.found) == 2 and found.scope == "every process on this host"


def test_no_process_table_is_a_skip(tmp_path: Path) -> None:
    with pytest.raises(ProbeFailed, match="no process table"):
        schedulers(None, tmp_path)


# Burns half a second of CPU, says so in a file named after its marker, then waits.
BUSY = """
import sys, time
end = time.process_time() + 0.5
while time.process_time() < end:
    pass
open(sys.argv[1], "w").close()
time.sleep(120)
"""


def _as(name: str, cwd: Path, done: Path) -> subprocess.Popen[bytes]:
    """A real process whose command line starts with `name`."""
    script = f'exec -a {name} "$0" -c "$1" "$2"'
    return subprocess.Popen(["bash", "-c", script, sys.executable, BUSY, str(done)], cwd=cwd)


def test_web_cpu_adds_up_the_web_servers_under_the_project(tmp_path: Path) -> None:
    """Real processes on this host's /proc: a gunicorn and a uvicorn under the project count, a
    gunicorn elsewhere and a celery under the project do not."""
    project, elsewhere = tmp_path / "project" / "backend", tmp_path / "other"
    project.mkdir(parents=True)
    elsewhere.mkdir()
    runs = [("gunicorn", project), ("uvicorn", project)]
    runs += [("gunicorn", elsewhere), ("celery", project)]
    done = [tmp_path / f"done-{number}" for number in range(len(runs))]
    started = [_as(name, cwd, marker) for (name, cwd), marker in zip(runs, done, strict=True)]
    try:
        deadline = time.monotonic() + 60
        while not all(marker.exists() for marker in done) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert all(marker.exists() for marker in done), "the processes did not burn their CPU"
        seconds, count = web_cpu(tmp_path / "project")
    finally:
        for process in started:
            process.kill()
            process.wait()
    assert count == 2
    ticks = os.sysconf("SC_CLK_TCK")
    assert 2 * 0.5 - 2 / ticks <= seconds < 4 * 0.5  # the two under the project, not all four


def test_web_cpu_without_a_process_table_is_a_skip(tmp_path: Path) -> None:
    with pytest.raises(ProbeFailed):
        web_cpu(tmp_path, proc=tmp_path / "nowhere")
