"""WebSocket metrics for `stackpacks doctor` and Prometheus (multiprocess-safe, like the event
streams' metrics: a dead worker's open sockets are dropped by gunicorn.conf.py's child_exit).

`stackpacks_ws_messages{direction="in"|"out", consumer="jobs"|"room"}`: frames received and sent.
`stackpacks_open_websockets{consumer}`: sockets open right now, added up over the processes.
"""

from prometheus_client import Counter, Gauge

WS_MESSAGES = Counter(
    "stackpacks_ws_messages",
    "WebSocket frames received (in) and sent (out), by consumer.",
    ["direction", "consumer"],
)
OPEN_WEBSOCKETS = Gauge(
    "stackpacks_open_websockets",
    "WebSockets open right now, by consumer.",
    ["consumer"],
    multiprocess_mode="livesum",
)
