"""Which schedulers run: Celery Beat (or a worker started with -B) or the db queue's scheduler
loop, and whether queue workers run beside them; and the CPU the web server's processes use.

Beat is not a worker: it answers no `inspect` and leaves no mark in Redis, and the
`stackpacks_beat_schedule_entries` gauge is computed by the web process from the schedule
table, so it says what is scheduled, not whether anything sends it. What a Beat does leave is
a process. Doctor reads this host's process table (`/proc/<pid>/cmdline`), and inside a
project keeps the processes whose working directory is in it, so other apps on the same host
do not count. Forked children of a match (a pool) are one scheduler with their parent.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from stackpacks.doctor.probes import ProbeFailed
from stackpacks.doctor.signals import Scheduler, SchedulerSignals

WORKER = "worker"
WEB_SERVERS = frozenset({"gunicorn", "uvicorn", "daphne"})


def kind_of(argv: list[str]) -> str:
    """What a command line runs: a scheduler's kind, WORKER for a queue worker, or ""."""
    words = [Path(arg).name for arg in argv]
    if "run_periodic_jobs" in words:
        return "run_periodic_jobs"
    if "db_worker" in words:
        return WORKER
    if "celery" not in words[:3]:
        return ""
    if "beat" in words:
        return "celery beat"
    if "worker" in words:
        return "celery worker -B" if "-B" in argv or "--beat" in argv else WORKER
    return ""


def schedulers(root: Path | None, proc: Path = Path("/proc")) -> SchedulerSignals:
    """The schedulers running on this host (under `root`, when given)."""
    if not (proc / "self" / "cmdline").exists():
        raise ProbeFailed(f"{proc} has no process table: not Linux, or not mounted")
    found: dict[int, tuple[Scheduler, int]] = {}
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):  # gone, or not ours to read
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            kind = kind_of([arg for arg in argv if arg])
            if not kind:
                continue
            cwd = _cwd(entry)
            if root is not None and not _inside(cwd, root):
                continue
            parent = int((entry / "stat").read_text().rpartition(")")[2].split()[1])
            found[int(entry.name)] = (Scheduler(int(entry.name), kind, cwd), parent)
    own = sorted((s for s, parent in found.values() if parent not in found), key=lambda s: s.pid)
    scope = f"processes on this host under {root}" if root else "every process on this host"
    beats = tuple(s for s in own if s.kind != WORKER)
    return SchedulerSignals(beats, workers=len(own) - len(beats), scope=scope)


def web_cpu(root: Path, proc: Path = Path("/proc")) -> tuple[float, int]:
    """CPU seconds (user + system) the web server processes under `root` have used so far, and
    how many there are: gunicorn's master and workers, uvicorn, Daphne."""
    if not (proc / "self" / "stat").exists():
        raise ProbeFailed(f"{proc} has no process table: not Linux, or not mounted")
    ticks = os.sysconf("SC_CLK_TCK")
    seconds, count = 0.0, 0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):  # gone, or not ours to read
            argv = (entry / "cmdline").read_bytes().decode(errors="replace").split("\0")
            if not WEB_SERVERS & {Path(arg).name for arg in argv[:3] if arg}:
                continue
            if not _inside(_cwd(entry), root):
                continue
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
            seconds += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            count += 1
    return seconds, count


def _cwd(entry: Path) -> str:
    try:
        return str((entry / "cwd").readlink())
    except OSError:
        return ""


def _inside(cwd: str, root: Path) -> bool:
    return bool(cwd) and Path(cwd).is_relative_to(root.resolve())
