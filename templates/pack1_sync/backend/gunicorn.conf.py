"""gunicorn settings for pack 1: sync workers, one request at a time each.

Run: gunicorn -c gunicorn.conf.py config.wsgi:application

The address, the logs and the Prometheus hooks are config/gunicorn_common.py's; they come first,
since importing it is what turns Prometheus multiprocess mode on.
"""

import os

from config.gunicorn_common import *  # noqa: F403  (gunicorn reads every name set here)
from config.gunicorn_common import cores

# 2 x cores + 1, capped: every worker holds a database connection of its own.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * cores() + 1, 12)))
worker_class = "sync"
# A sync worker blocked longer than this is killed and restarted (the request gets a 502):
# the ceiling on any work done inside a request in pack 1.
timeout = 30
graceful_timeout = 30
# Recycle workers now and then, so a slow leak cannot grow for ever; jitter avoids all at once.
max_requests = 1000
max_requests_jitter = 100
