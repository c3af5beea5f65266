"""Instrumentation (every pack): Prometheus metrics and the per-request query budget.

Keep this component last: it wraps the middleware list and the database engines that the
components before it configured.
"""

import os
from pathlib import Path

INSTALLED_APPS += ["django_prometheus", "apps.metrics"]

MIDDLEWARE = [
    # First and last, so request latency covers every other middleware.
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "apps.metrics.middleware.QueryBudgetMiddleware",
    *MIDDLEWARE,
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

# django-prometheus's engines are the stock ones plus query counters and timers.
for _database in DATABASES.values():
    _database["ENGINE"] = _database["ENGINE"].replace(
        "django.db.backends.", "django_prometheus.db.backends."
    )

# In multiprocess mode prometheus_client writes to this folder from the first metric on, in every
# process: management commands (migrate in its own container) too, before gunicorn creates it.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True, exist_ok=True)

# Its migration gauges query the database at startup; nothing here reads them.
PROMETHEUS_EXPORT_MIGRATIONS = False

# Bearer token of GET /internal/signals/metrics; unset means the endpoint answers 404 to all.
SIGNALS_TOKEN = env.str("SIGNALS_TOKEN", default="")

# Queries one request may run before it is reported (a warning in development, a log line and
# a counter in production). Raise it per view, keyed by URL name, where more is deliberate.
QUERY_BUDGET_DEFAULT = env.int("QUERY_BUDGET_DEFAULT", default=15)
QUERY_BUDGET_OVERRIDES: dict[str, int] = {}
