"""Real Prometheus exposition text for tests, written by prometheus_client itself.

The metric names and buckets are the generated app's (django-prometheus and apps/metrics), plus
the names packs 2-4 are expected to export.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from stackpacks.doctor import rules

DJANGO_BUCKETS = (
    0.01,
    0.025,
    0.05,
    0.075,
    0.1,
    0.25,
    0.5,
    0.75,
    1.0,
    2.5,
    5.0,
    7.5,
    10.0,
    25.0,
    50.0,
    75.0,
)
QUERY_BUCKETS = (0, 1, 2, 3, 5, 8, 10, 15, 20, 30, 50, 100, 200)
SECONDS_BUCKETS = (0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


@dataclass
class AppLoad:
    """What the app served: latencies per (view, method), outbound calls, queries per view..."""

    latency: Mapping[tuple[str, str], Iterable[float]] = field(default_factory=dict)
    outbound: Iterable[float] = ()
    queries: Mapping[str, Iterable[int]] = field(default_factory=dict)
    polls: Mapping[str, int] = field(default_factory=dict)  # outcome -> count
    ws_messages: Mapping[str, int] = field(default_factory=dict)  # direction -> count
    job_wait: Mapping[str, Iterable[float]] = field(default_factory=dict)  # queue -> seconds
    jobs_run: int = 0
    beat_entries: int | None = None


def exposition(load: AppLoad) -> str:
    registry = CollectorRegistry()
    latency = Histogram(
        rules.LATENCY, "latency", ["view", "method"], buckets=DJANGO_BUCKETS, registry=registry
    )
    for (view, method), values in load.latency.items():
        for value in values:
            latency.labels(view, method).observe(value)
    outbound = Histogram(
        rules.OUTBOUND, "outbound", ["host", "outcome"], buckets=SECONDS_BUCKETS, registry=registry
    )
    for value in load.outbound:
        outbound.labels("upstream.test", "2xx").observe(value)
    queries = Histogram(
        rules.QUERIES, "queries", ["view"], buckets=QUERY_BUCKETS, registry=registry
    )
    for view, counts in load.queries.items():
        for count in counts:
            queries.labels(view).observe(count)
    _later_packs(load, registry)
    return generate_latest(registry).decode()


def _later_packs(load: AppLoad, registry: CollectorRegistry) -> None:
    if load.polls:
        polls = Counter(rules.POLLS, "polls", ["view", "outcome"], registry=registry)
        for outcome, count in load.polls.items():
            polls.labels("job-detail", outcome).inc(count)
    if load.ws_messages:
        messages = Counter(rules.WS_MESSAGES, "ws", ["direction"], registry=registry)
        for direction, count in load.ws_messages.items():
            messages.labels(direction).inc(count)
    _jobs(load, registry)


def _jobs(load: AppLoad, registry: CollectorRegistry) -> None:
    if load.job_wait:
        wait = Histogram(
            rules.JOB_WAIT, "wait", ["queue"], buckets=SECONDS_BUCKETS, registry=registry
        )
        for queue, values in load.job_wait.items():
            for value in values:
                wait.labels(queue).observe(value)
    if load.jobs_run:
        run = Histogram(rules.JOB_RUN, "run", ["queue"], buckets=SECONDS_BUCKETS, registry=registry)
        for _ in range(load.jobs_run):
            run.labels("default").observe(0.2)
    if load.beat_entries is not None:
        Gauge(rules.BEAT_ENTRIES, "beat", registry=registry).set(load.beat_entries)
