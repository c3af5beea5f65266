"""Stream metrics for `stackpacks doctor` and Prometheus.

`stackpacks_open_streams`: event streams open right now, added up over the worker processes
(a dead worker's share is dropped by gunicorn.conf.py's child_exit).
"""

from prometheus_client import Counter, Gauge

OPEN_STREAMS = Gauge(
    "stackpacks_open_streams",
    "Server-sent event streams open right now.",
    multiprocess_mode="livesum",
)
STREAM_EVENTS = Counter(
    "stackpacks_stream_events",
    "Job updates sent over event streams.",
)
