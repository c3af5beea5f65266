"""gunicorn settings every pack shares: the address, the logs, Prometheus multiprocess mode.

gunicorn.conf.py imports them all and sets its pack's workers. gunicorn reads a config's every
module-level name, so what is imported from here counts as set there.
"""

import os
import shutil
import tempfile
from pathlib import Path

# What gunicorn.conf.py takes with `import *`: gunicorn settings, all of them.
__all__ = ["accesslog", "bind", "child_exit", "errorlog", "on_exit", "on_starting"]

# Prometheus multiprocess mode must be on before anything imports prometheus_client: it picks
# its storage at import time, and workers inherit the master's modules. Without it every
# scrape would show the counters of whichever single worker answered it.
_OWN_METRICS_DIR = not os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _OWN_METRICS_DIR:
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="prometheus-multiproc-")


def cores() -> int:
    """The cores this process may run on (a container's or taskset's share, not the host's)."""
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return count or 1


# Loopback unless told otherwise: the Dockerfile sets HOST=0.0.0.0 inside its container.
bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
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
    """Drop a dead worker's live gauges (such as open streams); its counters keep counting."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
