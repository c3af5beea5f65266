"""Run the probes over one window and gather their signals. The impure half of doctor.

With a window, the app is scraped at its start and end and the difference is used;
PostgreSQL and Redis are sampled about once a second in between. Without one (--window 0),
one scrape: totals since the app started. Every probe is optional: one that cannot measure
is skipped with its reason, and the others go on.
"""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from stackpacks import errors
from stackpacks.doctor import probe_front, probe_processes, probes, prom
from stackpacks.doctor.probe_postgres import PostgresProbe
from stackpacks.doctor.probes import ProbeFailed, RedisProbe
from stackpacks.doctor.signals import (
    AppSignals,
    CelerySignals,
    FrontSignals,
    SchedulerSignals,
    Signals,
    Skip,
    WebCPU,
    Window,
)

T = TypeVar("T")
SAMPLE_EVERY = 1.0
STREAMING_PACK, WEBSOCKET_PACK = 3, 4


@dataclass(frozen=True)
class Targets:
    """Where to measure, resolved from the options, the project's .env and its state."""

    url: str | None
    token: str
    database_url: str | None
    redis_url: str | None
    window: float
    pack: int
    pack_known: bool
    disk_paths: tuple[Path, ...] = ()
    compose_project: str | None = None
    process_root: Path | None = None  # schedulers count when their working directory is here
    options: tuple[str, ...] = ()  # the project's options, from its state
    front_url: str | None = None  # where users reach the app (runtime checks of packs 3-4)
    why_no_url: str = "no --url given"
    why_no_database: str = "no --database-url given and no DATABASE_URL in the project's .env"
    why_no_redis: str = "no --redis-url given and no REDIS_URL in the project's .env"


@dataclass(frozen=True)
class Runtime:
    """The clock, injected so tests need not wait."""

    monotonic: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep


def _library_errors() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = [ProbeFailed, OSError, ImportError]
    try:
        import psycopg

        found.append(psycopg.Error)
    except ImportError:
        pass
    try:
        import redis

        found.append(redis.RedisError)
    except ImportError:
        pass
    return tuple(found)


def _attempt(skipped: list[Skip], probe: str, action: Callable[[], T]) -> T | None:
    try:
        return action()
    except _library_errors() as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if isinstance(exc, ImportError):
            reason = f"{exc.name or 'a library'} is not installed"
        skipped.append(Skip(probe, reason))
        return None


def collect(targets: Targets, runtime: Runtime | None = None) -> Signals:
    runtime = runtime or Runtime()
    skipped: list[Skip] = []
    cumulative = targets.window <= 0
    url, token = targets.url, targets.token
    before = _start_app(skipped, url, token)
    db_url, redis_url = targets.database_url, targets.redis_url
    pg = _open(skipped, "postgres", db_url, targets.why_no_database, PostgresProbe.open)
    rd = _open(skipped, "redis", redis_url, targets.why_no_redis, RedisProbe.open)
    cpu_before = None if cumulative else _read_web_cpu(targets)
    if not cumulative:
        _wait(targets.window, runtime, pg, rd)
    web_cpu = _web_cpu(skipped, targets, cpu_before)
    app = _finish_app(skipped, targets, before, cumulative)
    pack, source = _pack(targets, app)
    postgres = _attempt(skipped, "postgres", lambda: pg.finish(cumulative)) if pg else None
    redis = _attempt(skipped, "redis", rd.finish) if rd else None
    celery, schedulers = _queues(skipped, targets, rd if redis else None)
    front = _front(skipped, targets, pack) if pack >= STREAMING_PACK else None
    host = _attempt(skipped, "host", lambda: probes.host(targets.disk_paths))
    docker = _attempt(skipped, "docker", lambda: probes.docker(targets.compose_project))
    return Signals(
        pack=pack,
        pack_known=targets.pack_known,
        pack_source=source,
        window=Window(0.0 if cumulative else targets.window, cumulative),
        app=app,
        postgres=postgres,
        redis=redis,
        host=host,
        docker=docker,
        celery=celery,
        schedulers=schedulers,
        web_cpu=web_cpu,
        front=front,
        options=targets.options,
        skipped=tuple(skipped),
    )


def _read_web_cpu(targets: Targets) -> tuple[float, int] | None:
    root = targets.process_root
    if root is None:
        return None
    with contextlib.suppress(*_library_errors()):
        return probe_processes.web_cpu(root)
    return None


def _web_cpu(
    skipped: list[Skip], targets: Targets, before: tuple[float, int] | None
) -> WebCPU | None:
    """The web server's CPU over the window: read at its start and at its end."""
    root = targets.process_root
    if root is None:
        skipped.append(Skip("web-cpu", "not inside a project: which processes are the app's"))
        return None
    if before is None:
        reason = "needs a window (--window > 0)" if targets.window <= 0 else "no process table"
        skipped.append(Skip("web-cpu", reason))
        return None
    after = _attempt(skipped, "web-cpu", lambda: probe_processes.web_cpu(root))
    if after is None:
        return None
    scope = f"web server processes on this host under {root}"
    return WebCPU(max(after[0] - before[0], 0.0), after[1], scope)


# Outside a project, the app's metrics say which pack it runs: the app says so itself
# (PACK_INFO, exported since it was added), or else the families only a pack's
# instrumentation exports tell, highest pack first.
PACK_INFO = "stackpacks_pack_info"
PACK_MARKERS = (
    (4, "stackpacks_ws_messages"),
    (3, "stackpacks_open_streams"),
    (2, "stackpacks_beat_schedule_entries"),
)


def _pack(targets: Targets, app: AppSignals | None) -> tuple[int, str]:
    if targets.pack_known:
        return targets.pack, "the project's state"
    declared = (
        [s for s in app.since_start.get(PACK_INFO) if s.label("pack").isdigit()] if app else []
    )
    if declared:  # several only if processes of two versions write one metrics folder
        info = max(declared, key=lambda s: int(s.label("pack")))
        said = ", ".join(f"{name} {info.label(name) or '-'}" for name in ("queue", "options"))
        return int(info.label("pack")), f"the app's {PACK_INFO} ({said})"
    for pack, family in PACK_MARKERS:
        if app is not None and app.since_start.get(family):
            return pack, f"inferred: the app exports {family}"
    return targets.pack, "assumed (no later pack's metrics seen)"


def _queues(
    skipped: list[Skip], targets: Targets, rd: RedisProbe | None
) -> tuple[CelerySignals | None, SchedulerSignals | None]:
    """Celery's workers through the broker; schedulers and workers among this host's
    processes that run in the project."""
    if rd is None:
        skipped.append(Skip("celery", "no Redis to ask Celery's workers through"))
    celery = _attempt(skipped, "celery", rd.celery) if rd else None
    root = targets.process_root
    if root is None:  # every Beat on the host is not the app's: nothing to count
        skipped.append(Skip("schedulers", "not inside a project: which processes are the app's"))
        return celery, None
    schedulers = _attempt(skipped, "schedulers", lambda: probe_processes.schedulers(root))
    return celery, schedulers


def _start_app(skipped: list[Skip], url: str | None, token: str) -> prom.MetricSet | None:
    if url is None:
        return None
    return _attempt(skipped, "app", lambda: _first_scrape(url, token))


def _first_scrape(url: str, token: str) -> prom.MetricSet:
    """Before anything waits: an app that is not running is worth one line now, not a
    report after the whole window. Other failures (a wrong token) are skipped as usual."""
    try:
        return probes.scrape(url, token)
    except probes.NothingAnswers:
        raise errors.AppNotAnswering(
            f"nothing answers at {url}: start the app (make up) or pass --url"
        ) from None


def _open(
    skipped: list[Skip], probe: str, url: str | None, why_not: str, opener: Callable[[str], T]
) -> T | None:
    if not url:
        skipped.append(Skip(probe, why_not))
        return None
    return _attempt(skipped, probe, lambda: opener(url))


def _wait(
    seconds: float, runtime: Runtime, pg: PostgresProbe | None, rd: RedisProbe | None
) -> None:
    deadline = runtime.monotonic() + seconds
    while (left := deadline - runtime.monotonic()) > 0:
        runtime.sleep(min(SAMPLE_EVERY, left))
        with contextlib.suppress(*_library_errors()):  # finish() reports a lost connection
            if pg is not None:
                pg.sample()
            if rd is not None:
                rd.sample()


def _finish_app(
    skipped: list[Skip], targets: Targets, before: prom.MetricSet | None, cumulative: bool
) -> AppSignals | None:
    url, token = targets.url, targets.token
    if url is None:
        skipped.append(Skip("app", targets.why_no_url))
        return None
    if before is None:
        return None
    if cumulative:
        return AppSignals(url, before, before)
    after = _attempt(skipped, "app", lambda: probes.scrape(url, token))
    if after is None:
        return None
    return AppSignals(url, prom.window(before, after), after)


def _front(skipped: list[Skip], targets: Targets, pack: int) -> FrontSignals | None:
    """The stream check through the front door and straight from the app; at pack 4, one
    WebSocket handshake through the front door."""
    front, token = targets.front_url, targets.token
    if not front:
        skipped.append(Skip("front", "no front door URL: pass --front-url"))
        return None
    hops = [("front door", front, probe_front.FRONT_STREAM_CHECK)]
    if targets.url and targets.url.rstrip("/") != front.rstrip("/"):
        hops.append(("app", targets.url, probe_front.APP_STREAM_CHECK))
    streams = []
    for hop, base, path in hops:
        read = functools.partial(probe_front.stream_timing, base, token, hop, path)
        if (timing := _attempt(skipped, "front", read)) is not None:
            streams.append(timing)
    upgrade = None
    if pack >= WEBSOCKET_PACK:
        shake = functools.partial(probe_front.websocket_upgrade, front, token)
        upgrade = _attempt(skipped, "front", shake)
    return FrontSignals(front, tuple(streams), upgrade)
