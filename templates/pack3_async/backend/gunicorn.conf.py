"""gunicorn settings for pack 3: uvicorn workers serving Django's ASGI application.

Run: gunicorn -c gunicorn.conf.py -k uvicorn_worker.UvicornWorker config.asgi:application

Each worker is one process with one event loop: a request waiting on a slow upstream (or an
open event stream) is set aside while the worker serves others, so a few workers hold hundreds
of concurrent requests. Sync views still work: Django runs them in a thread of their own.
The address, the logs and the Prometheus hooks are pack 1's (config/gunicorn_common.py).
"""

import os

from config.gunicorn_common import *  # noqa: F403  (gunicorn reads every name set here)
from config.gunicorn_common import cores

# Under ASGI every request's sync work runs in a thread of its own, so persistent connections
# (one per thread) would pile up: the web process pools them instead (settings component asgi).
os.environ.setdefault("DJANGO_DB_POOL", "1")

# One event loop per core: concurrency comes from the loop, not from more processes.
workers = int(os.environ.get("WEB_CONCURRENCY", min(cores(), 8)))
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
