"""gunicorn settings for pack 1: sync workers, one request at a time each.

Run: gunicorn -c gunicorn.conf.py config.wsgi:application
"""

import os
import shutil
import tempfile
from pathlib import Path

# Prometheus multiprocess mode must be on before anything imports prometheus_client: it picks
# its storage at import time, and workers inherit the master's modules. Without it every
# scrape would show the counters of whichever single worker answered it.
_OWN_METRICS_DIR = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _OWN_METRICS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="prometheus-multiproc-")


def _default_workers() -> int:
    """2 x cores + 1, capped: every worker holds a database connection of its own."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(2 * (cores or 1) + 1, 12)


# Loopback unless told otherwise: the Dockerfile sets HOST=0.0.0.0 inside its container.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", _default_workers()))
worker_class = "sync"
# A sync worker blocked longer than this is killed and restarted (the request gets a 502):
# the ceiling on any work done inside a request in pack 1.
timeout = 30
graceful_timeout = 30
# Recycle workers now and then, so a slow leak cannot grow for ever; jitter avoids all at once.
max_requests = 1000
max_requests_jitter = 100
accesslog = "-"
errorlog = "-"


def on_starting(server) -> None:
    """Start from empty metric files: old workers' values would otherwise be added forever."""
    directory = Path(os.environ["PROMETHEUS_MULTIPROC_DIR"])
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def on_exit(server) -> None:
    """Remove the metrics folder if this config made it up; a configured one is left as it is."""
    if _OWN_METRICS_DIR:
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)


def child_exit(server, worker) -> None:
    """Drop a dead worker's live gauges; its counters and histograms keep counting."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
