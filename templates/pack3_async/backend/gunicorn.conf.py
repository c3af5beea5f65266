"""gunicorn settings for pack 3: uvicorn workers serving Django's ASGI application.

Run: gunicorn -c gunicorn.conf.py -k uvicorn_worker.UvicornWorker config.asgi:application

Each worker is one process with one event loop: a request waiting on a slow upstream (or an
open event stream) is set aside while the worker serves others, so a few workers hold hundreds
of concurrent requests. Sync views still work: Django runs them in a thread of their own.
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

# Under ASGI every request's sync work runs in a thread of its own, so persistent connections
# (one per thread) would pile up: the web process pools them instead (settings component asgi).
os.environ.setdefault("DJANGO_DB_POOL", "1")


def _default_workers() -> int:
    """One event loop per core: concurrency comes from the loop, not from more processes."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return min(cores or 1, 8)


# Loopback unless told otherwise: the Dockerfile sets HOST=0.0.0.0 inside its container.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", _default_workers()))
worker_class = "uvicorn_worker.UvicornWorker"
# The worker's heartbeat, not a request limit: a long event stream is fine, a blocked event
# loop (sync I/O in async code) is killed after this long.
timeout = 30
# Open event streams are cut on restart; browsers reconnect with Last-Event-ID.
graceful_timeout = 30
# uvicorn keeps connections alive (sync workers close them): idle ones must outlive the
# client's own idle timeout, or the client reuses one the server is closing ("other side
# closed"). Next.js's fetch keeps idle connections 4 s; load balancers often 60 s.
keepalive = 75
# Recycle workers now and then, so a slow leak cannot grow for ever; jitter avoids all at once.
max_requests = 10000
max_requests_jitter = 1000
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
    """Drop a dead worker's live gauges (open streams); its counters keep counting."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
