"""Doctor's rules as data: what each one measures, its threshold and that threshold's source.

Rules over the app's metrics are records of a few kinds (a percentile per label group, a share
of two sums, a count), so a pack that adds a metric adds a record here, not
code. Rules over PostgreSQL, Redis, the host and containers name a check in `checks_infra`.
Figures without an authoritative source say "proposed by stackpacks" in their source.

Metric names of packs 2-4 (polls, WebSocket messages, job waits, Beat entries)
are the contract those packs' instrumentation is expected to export.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from stackpacks.doctor.model import Move, Severity, Threshold
from stackpacks.doctor.prom import Labels

LATENCY = "django_http_requests_latency_seconds_by_view_method"
OUTBOUND = "stackpacks_outbound_http_seconds"
QUERIES = "stackpacks_db_queries_per_request"
POLLS = "stackpacks_poll_answers"
WS_MESSAGES = "stackpacks_ws_messages"
JOB_WAIT = "stackpacks_job_wait_seconds"
JOB_RUN = "stackpacks_job_run_seconds"
BEAT_ENTRIES = "stackpacks_beat_schedule_entries"

# Requests doctor makes itself, and views that are not the product.
OPERATIONS: Labels = (
    ("view", "signals-metrics"),
    ("view", "health"),
    ("view", "signals-stream-check"),  # pack 3: a stream doctor times, 1 s long on purpose
)

NNGROUP = (
    "1 s is the limit for the user's flow of thought to stay uninterrupted "
    "(https://www.nngroup.com/articles/response-times-3-important-limits/); Heroku advises "
    "< 500 ms and cuts requests at 30 s (https://devcenter.heroku.com/articles/request-timeout)"
)


@dataclass(frozen=True)
class Measure:
    """A number read from a MetricSet: a counter/gauge total, or a histogram's count, sum, or
    count of observations above `bound`; `where` keeps, `exclude` drops label values."""

    family: str
    stat: str = "value"  # value | max | count | sum | above
    where: Labels = ()
    exclude: Labels = ()
    bound: float = math.inf


# The product's requests: every request a view answered, doctor's own left out.
REQUESTS = Measure(LATENCY, "count", exclude=OPERATIONS)


@dataclass(frozen=True, kw_only=True)
class Rule:
    id: str
    title: str
    severity: Severity
    move: Move | None
    threshold: Threshold
    next_steps: tuple[str, ...]
    packs: tuple[int, ...] = (1, 2, 3, 4, 5, 6)  # current packs the rule applies at


@dataclass(frozen=True, kw_only=True)
class PercentileRule(Rule):
    """The highest of `quantiles` the samples support, per group of `by` labels."""

    family: str
    by: tuple[str, ...]
    quantiles: tuple[float, ...] = (0.95, 0.5)
    exclude: Labels = OPERATIONS
    glance: str = ""  # named, the worst group's figure heads the report whatever the verdict


@dataclass(frozen=True, kw_only=True)
class ShareRule(Rule):
    part: Measure
    whole: Measure
    samples: Measure  # the n behind the share
    min_n: int
    min_source: str


@dataclass(frozen=True, kw_only=True)
class CountRule(Rule):
    measure: Measure


@dataclass(frozen=True, kw_only=True)
class ProbeRule(Rule):
    check: str  # the name of a function in checks_infra.CHECKS
    extra: tuple[Threshold, ...] = ()


PROPOSED_TRAFFIC = (
    "proposed by stackpacks: 100 requests before a share means anything (a minimum-traffic "
    "guard as in https://sre.google/workbook/alerting-on-slos/)"
)

APP_RULES: tuple[Rule, ...] = (
    PercentileRule(
        id="slow-view",
        title="users wait on slow views",
        severity=Severity.ACT,
        move=Move(2),
        threshold=Threshold(1.0, "s", NNGROUP),
        next_steps=(
            "{command}: build {view}'s work in a job; the request answers at once with a "
            "receipt the page polls",
        ),
        packs=(1,),
        family=LATENCY,
        by=("view", "method"),
        glance="slowest view",
    ),
    CountRule(
        id="near-timeout",
        title="requests close to the 30 s worker timeout",
        severity=Severity.ACT,
        move=Move(2),
        threshold=Threshold(
            1,
            "requests",
            "more than once: gunicorn kills a sync worker after `timeout` (30 s in the "
            "generated gunicorn.conf.py; https://docs.gunicorn.org/en/stable/settings.html"
            "#timeout), Heroku answers H12 at 30 s, nginx proxy_read_timeout is 60 s",
        ),
        next_steps=("{command}: work that can take this long belongs in a job",),
        packs=(1,),
        measure=Measure(LATENCY, "above", exclude=OPERATIONS, bound=25.0),
    ),
    ShareRule(
        id="blocked-on-upstream",
        title="sync workers wait on outbound HTTP",
        severity=Severity.ACT,
        move=Move(3),
        threshold=Threshold(
            0.5,
            "share of request time",
            "proposed by stackpacks (50 %); basis: gunicorn's design doc lists 'applications "
            "making long blocking calls (ie, external web services)' as needing async workers "
            "(https://docs.gunicorn.org/en/stable/design.html#choosing-a-worker-type)",
        ),
        next_steps=(
            "{command}: async views on httpx free the worker while the upstream answers",
            "smaller first, if one upstream is the cause: a shorter UPSTREAM_TIMEOUT_SECONDS "
            "or a cache in front of it",
        ),
        packs=(1, 2),
        part=Measure(OUTBOUND, "sum"),
        whole=Measure(LATENCY, "sum", exclude=OPERATIONS),
        samples=Measure(LATENCY, "count", exclude=OPERATIONS),
        min_n=100,
        min_source=PROPOSED_TRAFFIC,
    ),
    PercentileRule(
        id="queries-per-request",
        title="views run many queries per request (N+1)",
        severity=Severity.FIX,
        move=Move(5),
        threshold=Threshold(
            20,
            "queries",
            "the seeds' per-view budget of 10-20 queries; Sentry's N+1 detector flags >= 5 "
            "repeated similar queries over 50 ms (https://docs.sentry.io/product/issues/"
            "performance-issues/n-one-queries/); django-querycount defaults 50/200",
        ),
        next_steps=(
            "fix {view} before any replica: select_related/prefetch_related, then hold it "
            "with QUERY_BUDGET_OVERRIDES (the query budget)",
        ),
        family=QUERIES,
        by=("view",),
        glance="queries per request",
    ),
    ShareRule(
        id="polling-unchanged",
        title="polls mostly answer 'nothing new'",
        severity=Severity.ACT,
        move=Move(3),
        threshold=Threshold(
            0.8,
            "share of polls",
            "proposed by stackpacks (80 % unchanged); background: RFC 6202 on polling vs "
            "streaming (https://www.rfc-editor.org/rfc/rfc6202)",
        ),
        next_steps=("{command}: stream job progress over SSE instead of polling",),
        packs=(2,),
        part=Measure(POLLS, where=(("outcome", "unchanged"),)),
        whole=Measure(POLLS),
        samples=Measure(POLLS),
        min_n=100,
        min_source=PROPOSED_TRAFFIC.replace("requests", "polls"),
    ),
    ShareRule(
        id="websocket-one-way",
        title="WebSockets carry (almost) nothing from the client: jumped ahead",
        severity=Severity.IDLE,
        move=Move(3),
        threshold=Threshold(
            0.01,
            "share client->server",
            "proposed by stackpacks (< 1 %); SSE is one-way by design and does the job "
            "(https://developer.mozilla.org/en-US/docs/Web/API/EventSource)",
            above=False,
        ),
        next_steps=("server-to-client only: pack 3's SSE does it with less to run",),
        packs=(4,),
        part=Measure(WS_MESSAGES, where=(("direction", "in"),)),
        whole=Measure(WS_MESSAGES),
        samples=Measure(WS_MESSAGES),
        min_n=100,
        min_source=PROPOSED_TRAFFIC.replace("requests", "messages"),
    ),
    PercentileRule(
        id="queue-starvation",
        title="jobs wait long in their queue (long jobs starve short ones)",
        severity=Severity.ACT,
        move=Move(5),
        threshold=Threshold(
            10.0,
            "s",
            "proposed by stackpacks (p95 wait 10 s); Celery's optimizing guide: route long and "
            "short tasks to separate workers, prefetch multiplier 1 for long tasks "
            "(https://docs.celeryq.dev/en/stable/userguide/optimizing.html)",
        ),
        next_steps=(
            "smaller first: route long tasks of queue {queue} to their own worker with "
            "worker_prefetch_multiplier=1",
            "{command}: priority queues high/default/low with their own worker pools",
        ),
        packs=(2, 3, 4),
        family=JOB_WAIT,
        by=("queue",),
        exclude=(),
        glance="queue wait",
    ),
)
