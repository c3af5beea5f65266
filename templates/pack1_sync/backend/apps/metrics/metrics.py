"""The app's own Prometheus metrics, beside django-prometheus's request and database ones.

Under gunicorn, prometheus_client's multiprocess mode (PROMETHEUS_MULTIPROC_DIR, set up by
gunicorn.conf.py) keeps one file per worker, and the metrics view adds them up.
"""

from prometheus_client import Counter, Histogram

QUERY_BUCKETS = (0, 1, 2, 3, 5, 8, 10, 15, 20, 30, 50, 100, 200)
SECONDS_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

QUERIES_PER_REQUEST = Histogram(
    "stackpacks_db_queries_per_request",
    "Database queries run by one request, by view.",
    ["view"],
    buckets=QUERY_BUCKETS,
)
DB_SECONDS_PER_REQUEST = Histogram(
    "stackpacks_db_seconds_per_request",
    "Time one request spent waiting on the database, by view.",
    ["view"],
    buckets=SECONDS_BUCKETS,
)
QUERY_BUDGET_EXCEEDED = Counter(
    "stackpacks_query_budget_exceeded",
    "Requests that ran more queries than their view's budget, by view.",
    ["view"],
)
OUTBOUND_HTTP_SECONDS = Histogram(
    "stackpacks_outbound_http_seconds",
    "Outbound HTTP calls, from sending the request to closing the response, by host and outcome.",
    ["host", "outcome"],
    buckets=SECONDS_BUCKETS,
)
