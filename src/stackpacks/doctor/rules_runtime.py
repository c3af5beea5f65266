"""Rules over the running queue of packs 2+ (is it used; does exactly one scheduler run) and
the runtime checks of packs 3-4 (streams reach the client unbuffered, WebSockets upgrade
through the front door). Thresholds as data; the checks are in `checks_queues` and
`checks_front`."""

from __future__ import annotations

from stackpacks.doctor.model import Move, Severity, Threshold
from stackpacks.doctor.rules import ProbeRule, Rule

CELERY_PERIODIC = (
    "Celery: 'You have to ensure only a single scheduler is running for a schedule at a time, "
    "otherwise you'd end up with duplicate tasks' (https://docs.celeryq.dev/en/stable/"
    "userguide/periodic-tasks.html)"
)
QUEUED = (2, 3, 4, 5, 6)

RUNTIME_RULES: tuple[Rule, ...] = (
    ProbeRule(
        id="queue-idle",
        title="the job queue is installed but idle",
        severity=Severity.IDLE,
        move=Move(1),
        threshold=Threshold(
            1.0,
            "jobs per hour",
            "proposed by stackpacks (< 1 job/hour over a day and nothing scheduled besides "
            "housekeeping); read from the job receipts and Celery's `inspect stats` "
            "(https://docs.celeryq.dev/en/stable/userguide/workers.html#statistics); a day is "
            "the minimum so a quiet night is not read as disuse (proposed)",
            above=False,
        ),
        next_steps=(
            "nothing uses the queue: pack 1 runs the same app with fewer services to keep "
            "(the worker, the scheduler and, with Celery, Redis)",
        ),
        packs=QUEUED,
        check="queue_idle",
    ),
    ProbeRule(
        id="scheduler-duplicated",
        title="more than one scheduler (Beat) runs: scheduled jobs run twice",
        severity=Severity.FIX,
        move=None,
        threshold=Threshold(1, "schedulers", CELERY_PERIODIC),
        next_steps=(
            "stop all but one: exactly one `beat` process per app (not `worker -B` beside "
            "it), one `scheduler` with --queue db",
        ),
        packs=QUEUED,
        check="schedulers_duplicated",
    ),
    ProbeRule(
        id="scheduler-missing",
        title="workers run but no scheduler (Beat) does: scheduled jobs never run",
        severity=Severity.FIX,
        move=None,
        threshold=Threshold(1, "schedulers", CELERY_PERIODIC, above=False),
        next_steps=(
            "start the Procfile's `beat` (or `scheduler`) process: without it job receipts "
            "never expire (and with --queue db, jobs of a dead worker are never queued again)",
        ),
        packs=QUEUED,
        check="schedulers_missing",
    ),
    ProbeRule(
        id="web-cpu-per-request",
        title="the web workers spend much CPU per request while busy",
        severity=Severity.FIX,
        move=None,
        threshold=Threshold(
            5.0,
            "ms of web server CPU per request",
            "proposed by stackpacks from benchmarks/p3_async_vs_sync.py (an async view awaiting "
            "a slow upstream, 2 cores): Django's own ASGI handler, middleware and session read "
            "cost about 6-8 ms per request, the asgi-fastpath option about 2.5-3 ms",
        ),
        extra=(
            Threshold(
                0.5,
                "share of the web processes' cores busy",
                "proposed by stackpacks (half of each core the web processes can use): below "
                "it the workers wait rather than compute, and CPU per request costs no latency",
            ),
        ),
        next_steps=(
            "profile the busiest views first (py-spy): CPU a view spends itself "
            "(serializers, rendering, queries) is not what the handler's overhead is",
            "then, if the handler's thread hops dominate: `stackpacks upgrade --with "
            "asgi-fastpath` (Django's request handling tuned past its public APIs; its README "
            "section says what you take on)",
        ),
        packs=(3, 4),
        check="web_cpu_per_request",
    ),
    ProbeRule(
        id="stream-buffered",
        title="event streams are held back on the way to the client",
        severity=Severity.FIX,
        move=None,
        threshold=Threshold(
            0.5,
            "share of the stream before its first event arrived",
            "proposed by stackpacks (the first event later than half the stream); events are "
            "meant to be dispatched as each arrives (https://html.spec.whatwg.org/multipage/"
            "server-sent-events.html); nginx buffers proxied responses unless proxy_buffering "
            "is off or the response says X-Accel-Buffering: no (https://nginx.org/en/docs/"
            "http/ngx_http_proxy_module.html#proxy_buffering)",
        ),
        next_steps=(
            "{culprit} buffers: no compression of text/event-stream (GZipMiddleware, Next.js "
            "`compress`), proxy_buffering off (or X-Accel-Buffering: no) in the proxy",
        ),
        packs=(3, 4, 5, 6),
        check="stream_buffered",
    ),
    ProbeRule(
        id="websocket-upgrade",
        title="WebSocket handshakes fail through the front door",
        severity=Severity.FIX,
        move=None,
        threshold=Threshold(
            1,
            "handshakes accepted, then echoing a frame",
            "a server accepts with 101 Switching Protocols and the Sec-WebSocket-Accept of "
            "the key (RFC 6455 section 4.2.2, https://www.rfc-editor.org/rfc/rfc6455"
            "#section-4.2.2); pack 4's echo socket then sends back a text frame",
            above=False,
        ),
        next_steps=(
            "make the front door forward upgrades to the ASGI server: nginx needs "
            "`proxy_http_version 1.1` and the Upgrade/Connection headers set "
            "(https://nginx.org/en/docs/http/websocket.html)",
        ),
        packs=(4, 5, 6),
        check="websocket_upgrade",
    ),
)
