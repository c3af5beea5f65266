"""What doctor measured: one frozen record per probe, and the probes it had to skip (and why)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from stackpacks.doctor.prom import MetricSet


def _no_counts() -> Mapping[str, int]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Window:
    """Two scrapes `seconds` apart (their difference), or one scrape: cumulative since start."""

    seconds: float
    cumulative: bool

    def describe(self) -> str:
        if self.cumulative:
            return "one scrape (totals since the app started)"
        return f"a {self.seconds:g} s window (two scrapes)"


@dataclass(frozen=True)
class Skip:
    probe: str
    reason: str


@dataclass(frozen=True)
class AppSignals:
    url: str
    metrics: MetricSet  # over the window (or cumulative with one scrape)
    since_start: MetricSet  # the last scrape as it is: totals since the app started


@dataclass(frozen=True)
class Statement:
    query: str
    calls: int
    mean_ms: float
    total_ms: float


@dataclass(frozen=True)
class TableScans:
    table: str
    rows: int
    seq_scans: int  # over the window
    seq_rows_read: int
    index_scans: int
    like_queries: tuple[str, ...] = ()  # LIKE '%…' statements seen against this table


@dataclass(frozen=True)
class OpenTransaction:
    pid: int
    seconds: float
    state: str
    query: str


@dataclass(frozen=True)
class JobHistory:
    """Pack 2's job receipts as PostgreSQL has them."""

    installed_hours: float  # since the jobs app's first migration was applied
    jobs_last_day: int  # receipts created in the last 24 h (kept >= 1 day by the TTL)
    scheduled_entries: int | None  # enabled django-celery-beat entries besides housekeeping
    queued_now: int = 0  # receipts waiting for a worker: the backlog, whichever the queue
    dead_last_day: int = 0  # jobs of the last day that exhausted their attempts (or were lost)


@dataclass(frozen=True)
class PostgresSignals:
    connections: tuple[int, ...]  # client connections at each sample
    max_connections: int
    reserved_connections: int
    by_state: Mapping[str, int] = field(default_factory=_no_counts)
    lock_waits: int = 0
    open_transactions: tuple[OpenTransaction, ...] = ()  # each at the oldest age seen
    statements: tuple[Statement, ...] = ()
    statements_note: str = ""  # why pg_stat_statements was not read, when it was not
    tables: tuple[TableScans, ...] = ()
    jobs: JobHistory | None = None  # pack 2's receipts, when this database has them


@dataclass(frozen=True)
class RedisSignals:
    queues: Mapping[str, tuple[int, ...]]  # LLEN of each Celery queue at each sample
    connected_clients: int
    maxclients: int
    rejected_connections: int
    used_memory: int
    maxmemory: int
    ops_per_sec: float = 0.0  # INFO stats instantaneous_ops_per_sec at the end of the window


@dataclass(frozen=True)
class CeleryWorker:
    """One worker's answer to `inspect stats`, `active` and `reserved`."""

    name: str
    uptime: float  # seconds since the worker started
    tasks_by_name: Mapping[str, int]  # tasks it received since it started, by task name
    concurrency: int
    prefetch_count: int
    active: tuple[str, ...] = ()  # the queue of each task it runs now
    reserved: tuple[str, ...] = ()  # the queue of each task it holds, waiting for a process

    def tasks(self, ignored: frozenset[str] = frozenset()) -> int:
        return sum(n for name, n in self.tasks_by_name.items() if name not in ignored)


@dataclass(frozen=True)
class CelerySignals:
    workers: tuple[CeleryWorker, ...]  # the workers that replied within the timeout
    timeout: float


@dataclass(frozen=True)
class Scheduler:
    """A process that sends scheduled jobs: Celery Beat, or pack 2's db scheduler loop."""

    pid: int
    kind: str  # "celery beat", "celery worker -B" or "run_periodic_jobs"
    cwd: str


@dataclass(frozen=True)
class SchedulerSignals:
    found: tuple[Scheduler, ...]
    workers: int  # queue worker processes seen in the same scope (Celery or db_worker)
    scope: str  # where doctor looked: this host's processes, in which directory


@dataclass(frozen=True)
class WebCPU:
    """CPU the web server's processes (gunicorn and its workers, uvicorn, Daphne) used over the
    window, read from this host's process table."""

    seconds: float
    processes: int  # web server processes seen at the end of the window
    scope: str


@dataclass(frozen=True)
class Disk:
    path: str
    total: int
    free: int


@dataclass(frozen=True)
class HostSignals:
    cpus: int
    load: tuple[float, float, float]
    memory_total: int
    memory_available: int
    disks: tuple[Disk, ...] = ()


@dataclass(frozen=True)
class Container:
    name: str
    status: str
    restarts: int
    command: tuple[str, ...] = ()  # its entrypoint and command, as the engine runs them


@dataclass(frozen=True)
class DockerSignals:
    containers: tuple[Container, ...]
    project: str | None = None  # the compose project they were filtered by (None: all)


@dataclass(frozen=True)
class StreamTiming:
    """When each event of a stream arrived, in seconds from the request, through one hop."""

    hop: str  # "front door" or "app"
    url: str
    arrivals: tuple[float, ...]
    ended: float

    @property
    def first_share(self) -> float:
        """How far into the stream the first event arrived: ~0 streamed, ~1 held to the end."""
        return self.arrivals[0] / self.ended if self.arrivals and self.ended > 0 else 1.0


@dataclass(frozen=True)
class Upgrade:
    """A WebSocket opening handshake and what answered it."""

    url: str
    status: int  # 0: no HTTP answer
    answer: str  # the status line, or why there was none
    accepted: bool  # 101 with the Sec-WebSocket-Accept the key asks for
    echoed: bool = False  # then a text frame sent over the socket came back


@dataclass(frozen=True)
class FrontSignals:
    """Runtime checks through the front door (packs 3-4)."""

    front_url: str
    streams: tuple[StreamTiming, ...] = ()  # through the front door, then straight from the app
    websocket: Upgrade | None = None


@dataclass(frozen=True)
class Signals:
    pack: int
    pack_known: bool  # False: not inside a project (the pack inferred from metrics, or 1)
    window: Window
    app: AppSignals | None = None
    postgres: PostgresSignals | None = None
    redis: RedisSignals | None = None
    host: HostSignals | None = None
    docker: DockerSignals | None = None
    celery: CelerySignals | None = None
    schedulers: SchedulerSignals | None = None
    web_cpu: WebCPU | None = None
    front: FrontSignals | None = None
    pack_source: str = "the project's state"
    options: tuple[str, ...] = ()  # the project's options, from its state
    skipped: tuple[Skip, ...] = ()
