"""The six packs and the pack-6 options, as data. The only place that knows them.

Versions are pinned here and nowhere else; `../shared/STACK-NOTES.md` says why Django stays on
6.0.x (django-celery-beat and django-prometheus cap Django < 6.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from stackpacks.catalogue.model import (
    BIND,
    Contribution,
    EnvVar,
    Option,
    Pack,
    Process,
    Route,
    Status,
)

DJANGO = "Django==6.0.10"
_PSYCOPG = "3.3.9"  # pack 3 adds the pool extra to the same release
# The Redis client: Celery's broker (pack 2) and the channel layer (pack 4) both import it.
_REDIS_CLIENT = "redis==8.1.0"
# The servers compose and CI run, the same image in both.
_POSTGRES_IMAGE = "postgres:17-alpine"
_REDIS_IMAGE = "redis:8-alpine"

_BACKEND_ENV = {
    "DJANGO_SECRET_KEY": "${DJANGO_SECRET_KEY:?set DJANGO_SECRET_KEY in .env}",
    "DJANGO_DEBUG": "0",
    "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1,backend",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "DATABASE_URL": "postgres://app:${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}"
    "@postgres:5432/app",
    "SIGNALS_TOKEN": "${SIGNALS_TOKEN:-}",
    "PROMETHEUS_MULTIPROC_DIR": "/tmp/prometheus",
}

# What a compose service waits for (`depends_on`).
_HEALTHY = {"condition": "service_healthy"}
_ON_POSTGRES = {"postgres": _HEALTHY}
_MIGRATED = {"condition": "service_completed_successfully"}
_ON_MIGRATED = {**_ON_POSTGRES, "migrate": _MIGRATED}
_ON_MIGRATED_AND_REDIS = {**_ON_POSTGRES, "redis": _HEALTHY, "migrate": _MIGRATED}


# Ports are explicit on this machine: honcho hands every process its own $PORT (5000, 5100, ...).
def _gunicorn(application: str) -> Process:
    """The web process. gunicorn.conf.py names the worker class of the pack and binds every
    interface in a container (the backend's Dockerfile sets HOST)."""
    return Process(
        name="web",
        folder="backend",
        argv=("gunicorn", "-c", "gunicorn.conf.py", BIND, application),
        local_bind=("--bind", "127.0.0.1:8000"),
    )


_FRONTEND = Process(
    name="frontend",
    folder="frontend",
    argv=("npm", "run", "start", "--", BIND),
    local_bind=("-p", "3000", "-H", "127.0.0.1"),
)

_SYNC = Contribution(
    python_deps=(
        DJANGO,
        "django-environ==0.14.0",
        "django-prometheus==2.5.0",
        "django-split-settings==1.3.2",
        "djangorestframework==3.18.3",
        "drf-spectacular==0.30.0",
        "gunicorn==27.0.1",
        "httpx==0.28.1",
        "prometheus-client==0.26.0",
        f"psycopg[binary]=={_PSYCOPG}",
        "whitenoise==6.12.0",
    ),
    # mypy with the stubs of Django 6.0 and DRF 3.18 (django-stubs follows Django's version
    # numbers; mypy within the range both declare compatible).
    python_dev_deps=(
        "django-stubs==6.0.9",
        "djangorestframework-stubs==3.18.0",
        "honcho==2.0.0",
        "mypy==2.3.1",
        "pytest==9.0.3",
        "pytest-cov==7.1.0",
        "pytest-django==4.14.0",
        "ruff==0.17.5",
    ),
    npm_deps=MappingProxyType(
        {
            "next": "16.4.6",
            "openapi-fetch": "0.17.0",
            "react": "19.3.1",
            "react-dom": "19.3.1",
            "server-only": "0.0.1",
        }
    ),
    npm_dev_deps=MappingProxyType(
        {
            "@types/node": "20.19.43",
            "@types/react": "19.3.0",
            "@types/react-dom": "19.3.0",
            "eslint": "9.39.5",
            "eslint-config-next": "16.4.6",
            "openapi-typescript": "7.13.0",
            "playwright-core": "1.65.1",
            "typescript": "5.9.3",
        }
    ),
    processes=(_gunicorn("config.wsgi:application"), _FRONTEND),
    routes=(
        Route("api/auth/", "apps.accounts.urls"),
        Route("api/", "apps.reports.urls"),
        Route("api/lookup/", "apps.lookup.urls"),
    ),
    services=MappingProxyType(
        {
            "postgres": {
                "image": _POSTGRES_IMAGE,
                "environment": {
                    "POSTGRES_DB": "app",
                    "POSTGRES_USER": "app",
                    "POSTGRES_PASSWORD": "${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD in .env}",
                },
                "volumes": ["pgdata:/var/lib/postgresql/data"],
                "healthcheck": {
                    "test": ["CMD-SHELL", "pg_isready -U app -d app"],
                    "interval": "5s",
                    "timeout": "3s",
                    "retries": 20,
                },
            },
            "migrate": {
                "build": "./backend",
                "command": ["python", "manage.py", "migrate", "--noinput"],
                "environment": _BACKEND_ENV,
                "depends_on": _ON_POSTGRES,
            },
            "backend": {
                "build": "./backend",
                "environment": _BACKEND_ENV,
                "ports": ["8000:8000"],
                "depends_on": _ON_MIGRATED,
            },
            "frontend": {
                "build": "./frontend",
                "environment": {"DJANGO_API_URL": "http://backend:8000"},
                "ports": ["3000:3000"],
                "depends_on": {"backend": _HEALTHY},
            },
        }
    ),
    ci_services=MappingProxyType(
        {
            "postgres": {
                "image": _POSTGRES_IMAGE,
                "env": {"POSTGRES_PASSWORD": "postgres"},
                "ports": ["5432:5432"],
                "options": "--health-cmd pg_isready --health-interval 5s "
                "--health-timeout 3s --health-retries 20",
            }
        }
    ),
    volumes=("pgdata",),
    # `instrumentation` stays last: it wraps the middleware and database engines set before it.
    settings_components=("base", "logging", "database", "security", "api", "instrumentation"),
    env_vars=(
        EnvVar("DJANGO_SECRET_KEY", "change-me", "Django's signing key", secret=True),
        EnvVar("DJANGO_DEBUG", "1", "1 for development; unset or 0 in production"),
        EnvVar("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1", "hosts Django answers"),
        EnvVar(
            "DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/app",
            "unset: SQLite in backend/db.sqlite3 (first run only; tests and CI use PostgreSQL)",
        ),
        EnvVar("POSTGRES_PASSWORD", "change-me", "password of the compose database", secret=True),
        EnvVar(
            "SIGNALS_TOKEN", "change-me", "bearer token of /internal/signals/metrics", secret=True
        ),
        EnvVar("UPSTREAM_URL", "http://127.0.0.1:8001/", "the slow upstream /api/lookup/ calls"),
        EnvVar("REPORT_WORK_SECONDS", "2", "how long building one report takes"),
        EnvVar("DJANGO_API_URL", "http://127.0.0.1:8000", "where the Next.js server finds Django"),
        EnvVar(
            "DJANGO_FRONTEND_URL",
            "http://localhost:3000",
            "the Next.js app's address, where the admin's View site link goes",
        ),
    ),
    next_steps=(
        "make install    # backend venv (Python 3.12) and frontend node_modules",
        "make up         # migrate, build, and run backend + frontend (honcho)",
    ),
    proxy_paths=("api",),
    untyped_modules=("django_prometheus", "environ", "whitenoise"),
)

# Pack 2: background work. What both queues share (receipts, the polling API, the scheduler's
# job) lives in the template; what differs per `--queue` is below.
_QUEUES = Contribution(
    routes=(Route("api/", "apps.jobs.urls"),),
    settings_components=("queues",),
    env_vars=(
        EnvVar("JOB_MAX_ATTEMPTS", "4", "attempts of a job before it is marked dead"),
        EnvVar("JOB_RECEIPT_TTL_DAYS", "30", "finished job receipts older than this are deleted"),
    ),
    next_steps=("after an upgrade: make install && make migrate   # new dependencies and tables",),
)

_REDIS_URL = "redis://redis:6379/0"
_CELERY_ENV = {**_BACKEND_ENV, "REDIS_URL": _REDIS_URL}


def _queue_service(
    process: Process,
    environment: Mapping[str, str],
    depends_on: Mapping[str, Any],
    *,
    runs_jobs: bool,
) -> dict[str, Any]:
    """A worker or scheduler container: the backend's image running `process`. It serves no
    HTTP, so the image's healthcheck is off."""
    service = {
        "build": "./backend",
        "command": process.container_command,
        "environment": environment,
        "depends_on": depends_on,
        "healthcheck": {"disable": True},
    }
    if runs_jobs:  # let a running job finish (its soft time limit) before the container is killed
        service["stop_grace_period"] = "6m"
    return service


# One worker process, prefetching one job at a time: long jobs never sit behind a busy child.
# Scale with --concurrency (or more worker processes), not a larger prefetch.
_CELERY_WORKER = Process(
    name="worker",
    folder="backend",
    argv=(
        "celery",
        "-A",
        "config",
        "worker",
        "--loglevel",
        "INFO",
        "--concurrency",
        "2",
        "--without-gossip",
        "--without-mingle",
    ),
)
# Exactly one Beat per deployment: two would run every scheduled job twice.
_CELERY_BEAT = Process(
    name="beat",
    folder="backend",
    argv=(
        "celery",
        "-A",
        "config",
        "beat",
        "--loglevel",
        "INFO",
        "--scheduler",
        "django_celery_beat.schedulers:DatabaseScheduler",
    ),
)

_CELERY = Contribution(
    python_deps=("celery[redis]==5.7.0", "django-celery-beat==2.9.0", _REDIS_CLIENT),
    # Celery's types live in a stub distribution; django-celery-beat has none.
    python_dev_deps=("celery-types==0.26.0",),
    untyped_modules=("django_celery_beat",),
    processes=(_CELERY_WORKER, _CELERY_BEAT),
    services=MappingProxyType(
        {
            "redis": {
                "image": _REDIS_IMAGE,
                # A broker must never evict: a dropped key is a lost job.
                "command": [
                    "redis-server",
                    "--maxmemory-policy",
                    "noeviction",
                    "--appendonly",
                    "yes",
                ],
                "volumes": ["redisdata:/data"],
                "healthcheck": {
                    "test": ["CMD", "redis-cli", "ping"],
                    "interval": "5s",
                    "timeout": "3s",
                    "retries": 20,
                },
            },
            "backend": {
                "build": "./backend",
                "environment": _CELERY_ENV,
                "ports": ["8000:8000"],
                "depends_on": _ON_MIGRATED_AND_REDIS,
            },
            "worker": _queue_service(
                _CELERY_WORKER, _CELERY_ENV, _ON_MIGRATED_AND_REDIS, runs_jobs=True
            ),
            "beat": _queue_service(
                _CELERY_BEAT, _CELERY_ENV, _ON_MIGRATED_AND_REDIS, runs_jobs=False
            ),
        }
    ),
    ci_services=MappingProxyType(
        {
            "redis": {
                "image": _REDIS_IMAGE,
                "ports": ["6379:6379"],
                "options": '--health-cmd "redis-cli ping" --health-interval 5s '
                "--health-timeout 3s --health-retries 20",
            }
        }
    ),
    volumes=("redisdata",),
    env_vars=(
        EnvVar(
            "REDIS_URL",
            "redis://127.0.0.1:6379/0",
            "Celery's broker and result backend (unset: this default)",
        ),
    ),
    next_steps=("redis-server must be running on 127.0.0.1:6379 (or set REDIS_URL in .env)",),
)

_DB_WORKER = Process(
    name="worker",
    folder="backend",
    argv=("python", "manage.py", "db_worker", "--no-reload", "--interval", "1"),
)
# Django's Tasks framework has no scheduler: this loop runs the periodic jobs (see the README's
# pack-2 section for what it does not do).
_DB_SCHEDULER = Process(
    name="scheduler",
    folder="backend",
    argv=("python", "manage.py", "run_periodic_jobs", "--every", "60"),
)

_DB_QUEUE = Contribution(
    python_deps=("django-tasks-db==0.13.0",),
    processes=(_DB_WORKER, _DB_SCHEDULER),
    services=MappingProxyType(
        {
            "worker": _queue_service(_DB_WORKER, _BACKEND_ENV, _ON_MIGRATED, runs_jobs=True),
            "scheduler": _queue_service(_DB_SCHEDULER, _BACKEND_ENV, _ON_MIGRATED, runs_jobs=False),
        }
    ),
)

# Pack 3: ASGI. The same Django served by uvicorn workers under gunicorn: async views call slow
# upstreams without holding a worker, and job progress streams over SSE.
# gunicorn.conf.py names the worker class (uvicorn's, and from pack 4 one with WebSocket limits).
_ASGI_WEB = _gunicorn("config.asgi:application")

_ASYNC = Contribution(
    python_deps=(
        # The pool extra: under ASGI the web process pools its database connections (see the
        # `asgi` settings component); uvicorn[standard] brings uvloop and httptools.
        f"psycopg[binary,pool]=={_PSYCOPG}",
        # DRF views with `async def` handlers (apps/lookup/views.py).
        "adrf==0.1.14",
        # ThreadSensitiveContext(executor=...), which config/request_threads.py relies on.
        "asgiref==3.13.0",
        # httpx's API on aiohttp's connection pool (apps/lookup/transport.py says why).
        "aiohttp==3.14.5",
        "httpx-aiohttp==0.2.0",
        "uvicorn-worker==0.4.0",
        "uvicorn[standard]==0.54.0",
    ),
    processes=(_ASGI_WEB,),
    untyped_modules=("adrf", "uvicorn_worker"),
    routes=(
        Route("api/", "apps.streams.urls"),
        Route("api/signals/stream-check/", "apps.metrics.stream_urls"),
    ),
    # After `instrumentation`: it swaps the query budget of the middleware list it built.
    settings_components=("asgi",),
    env_vars=(
        EnvVar(
            "DJANGO_DB_POOL_MAX_SIZE",
            "8",
            "database connections pooled by each ASGI worker process",
        ),
        EnvVar("SSE_HEARTBEAT_SECONDS", "15", "comment lines that keep idle event streams open"),
    ),
    next_steps=("a report's progress now streams over SSE: GET /api/jobs/{id}/events/",),
)


def _asgi_backend(environment: Mapping[str, str], depends_on: Mapping[str, Any]) -> Contribution:
    """Compose's backend runs the ASGI server; its environment is the queue's, as in pack 2."""
    backend = {
        "build": "./backend",
        "command": _ASGI_WEB.container_command,
        "environment": environment,
        "ports": ["8000:8000"],
        "depends_on": depends_on,
    }
    return Contribution(services=MappingProxyType({"backend": backend}))


_ASYNC_BY_QUEUE = MappingProxyType(
    {
        "celery": _asgi_backend(_CELERY_ENV, _ON_MIGRATED_AND_REDIS),
        "db": _asgi_backend(_BACKEND_ENV, _ON_MIGRATED),
    }
)

# Pack 4: WebSockets. Django Channels consumers on the same ASGI server, a Redis channel layer
# through which any process (web, Celery or db worker) pushes into sockets, presence in Redis.
# The web process is pack 3's; gunicorn.conf.py gives it uvicorn's WebSocket limits.
_WS = Contribution(
    python_deps=("channels==4.3.2", "channels-redis==4.3.0", _REDIS_CLIENT),
    # The real-server tests speak WebSocket with the library uvicorn[standard] brings.
    # Channels' types live in a stub distribution.
    python_dev_deps=("types-channels==4.3.0.20260518", "websockets==17.4"),
    settings_components=("ws",),
    proxy_paths=("ws",),
    env_vars=(
        EnvVar(
            "REDIS_URL",
            "redis://127.0.0.1:6379/0",
            "Redis: the WebSocket channel layer and presence (and Celery's broker and results "
            "at --queue celery)",
        ),
    ),
    next_steps=(
        "job progress, presence and comments now ride WebSockets: /ws/jobs/, /ws/reports/{id}/",
    ),
)

# At --queue db pack 2 runs without Redis; pack 4 brings it back, for delivery only: the
# channel layer and presence (job receipts and comments stay in PostgreSQL).
_REDIS_SERVICE = _CELERY.services["redis"]
_WS_DB_ENV = {"environment": _CELERY_ENV, "depends_on": _ON_MIGRATED_AND_REDIS}

_WS_DB_QUEUE = Contribution(
    services=MappingProxyType(
        {
            "redis": _REDIS_SERVICE,
            # The db worker pushes job progress through the channel layer, like Celery's does.
            "backend": _WS_DB_ENV,
            "worker": _WS_DB_ENV,
            "scheduler": _WS_DB_ENV,
        }
    ),
    ci_services=_CELERY.ci_services,
    volumes=("redisdata",),
    next_steps=("redis-server must be running on 127.0.0.1:6379 (or set REDIS_URL in .env)",),
)

# Option `daphne` (pack 4): the Channels project's own ASGI server in place of gunicorn's
# uvicorn workers. One process (no gunicorn master): scale with more processes behind a
# balancer. Its limits match config/workers.py: 64 KiB messages, a ping every 20 s.
_DAPHNE_WEB = Process(
    name="web",
    folder="backend",
    argv=(
        "daphne",
        BIND,
        "--websocket-max-message-size",
        "65536",
        "--ping-interval",
        "20",
        "--ping-timeout",
        "20",
        "config.asgi:application",
    ),
    local_bind=("--bind", "127.0.0.1", "--port", "8000"),
    container_bind=("--bind", "0.0.0.0", "--port", "8000"),
)

_DAPHNE = Contribution(
    python_deps=("daphne==4.2.3",),
    processes=(_DAPHNE_WEB,),
    services=MappingProxyType({"backend": {"command": _DAPHNE_WEB.container_command}}),
    next_steps=("the web process is Daphne: `daphne --help` lists its options",),
)

# Option `asgi-fastpath` (pack 3): Django's request handling tuned past its public APIs, in
# the project's own fastpath/ package (its __init__ says what it replaces and what it costs).
_FASTPATH = Contribution(
    settings_components=("fastpath",),
    next_steps=(
        "the web process runs fastpath/: re-run its tests (tests/test_fastpath_*.py) on every "
        "Django, DRF or asgiref upgrade",
    ),
)

PACKS: tuple[Pack, ...] = (
    Pack(
        number=1,
        name="sync",
        title="Sync",
        adds="gunicorn sync workers, Django + DRF, PostgreSQL; Next.js 16 app router",
        trigger="none: most CRUD apps never leave it",
        costs="two processes (gunicorn, next start) and one PostgreSQL",
        status=Status.AVAILABLE,
        contribution=_SYNC,
    ),
    Pack(
        number=2,
        name="queues",
        title="Queues",
        adds="Celery workers + Beat on Redis (or Django Tasks on PostgreSQL), job receipts, "
        "polling UI",
        trigger="work longer than a user will wait; request timeouts; scheduled work",
        costs="a worker and a Beat process, and Redis",
        status=Status.AVAILABLE,
        contribution=_QUEUES,
        by_queue=MappingProxyType({"celery": _CELERY, "db": _DB_QUEUE}),
    ),
    Pack(
        number=3,
        name="async",
        title="Async",
        adds="ASGI workers, async views on httpx, SSE job progress, EventSource UI",
        trigger="sync workers blocked on slow I/O; polling mostly returns nothing new",
        costs="async pitfalls: sync ORM calls and blocking libraries inside async code",
        status=Status.AVAILABLE,
        contribution=_ASYNC,
        by_queue=_ASYNC_BY_QUEUE,
    ),
    Pack(
        number=4,
        name="ws",
        title="WebSockets",
        adds="Django Channels consumers, Redis channel layer, Celery pushing to sockets, presence",
        trigger="bidirectional realtime: chat, presence, collaboration",
        costs="long-lived connections per user and a channel layer to operate",
        status=Status.AVAILABLE,
        contribution=_WS,
        by_queue=MappingProxyType({"db": _WS_DB_QUEUE}),
    ),
    Pack(
        number=5,
        name="scale",
        title="Scale-out",
        adds="load balancer, N replicas, priority queues, split Redis, read replica, PgBouncer, "
        "Prometheus/Grafana/Sentry, Kubernetes manifests",
        trigger="one box saturated: workers thrash, DB connections exhausted, long jobs starve "
        "short ones",
        costs="several machines, a connection pooler, a replica and an observability stack",
        status=Status.PLANNED,
    ),
    Pack(
        number=6,
        name="specialized",
        title="Specialized infra",
        adds="one specialized service per option: object storage, vectors, search, analytics, ...",
        trigger="one workload outgrows the general stack",
        costs="one more service to run, back up and upgrade per option",
        status=Status.PLANNED,
    ),
)


def _planned(name: str, summary: str, trigger: str, conflicts_with: tuple[str, ...] = ()) -> Option:
    """A pack-6 option without a template yet."""
    return Option(
        name=name,
        pack=6,
        summary=summary,
        trigger=trigger,
        status=Status.PLANNED,
        conflicts_with=conflicts_with,
    )


OPTIONS: tuple[Option, ...] = (
    Option(
        name="asgi-fastpath",
        pack=3,
        summary="Django's ASGI request handling tuned past its public APIs (about 2x pack 3's P3)",
        trigger="web workers CPU-bound at pack 3/4: high CPU per request with requests in flight",
        status=Status.AVAILABLE,
        contribution=_FASTPATH,
    ),
    Option(
        name="daphne",
        pack=4,
        summary="serve ASGI with Daphne instead of Uvicorn",
        trigger="you prefer the Channels project's own server",
        status=Status.AVAILABLE,
        contribution=_DAPHNE,
    ),
    _planned(name="s3", summary="uploads on S3/R2 object storage", trigger="uploads fill the disk"),
    _planned(
        name="pgvector",
        summary="embeddings in PostgreSQL (pgvector)",
        trigger="similarity search",
        conflicts_with=("qdrant",),
    ),
    _planned(
        name="qdrant",
        summary="embeddings in Qdrant",
        trigger="vector search beyond one table",
        conflicts_with=("pgvector",),
    ),
    _planned(
        name="meilisearch",
        summary="full-text search on Meilisearch",
        trigger="search beyond ILIKE",
        conflicts_with=("elasticsearch",),
    ),
    _planned(
        name="elasticsearch",
        summary="full-text search on Elasticsearch",
        trigger="search beyond ILIKE",
        conflicts_with=("meilisearch",),
    ),
    _planned(
        name="clickhouse",
        summary="analytics on ClickHouse",
        trigger="analytics queries on the OLTP database",
    ),
    _planned(
        name="ml-sidecar",
        summary="an ML inference sidecar",
        trigger="model inference inside web requests",
    ),
    _planned(
        name="cdn-isr",
        summary="CDN + Next.js incremental static regeneration",
        trigger="read-heavy pages",
    ),
    _planned(
        name="soketi",
        summary="Pusher-compatible Soketi for fan-out",
        trigger="WebSocket fan-out beyond one box",
    ),
)

QUEUES: tuple[str, ...] = ("celery", "db")
