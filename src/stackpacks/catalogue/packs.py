"""The six packs and the pack-6 options, as data. The only place that knows them.

Versions are pinned here and nowhere else; `../shared/STACK-NOTES.md` says why Django stays on
6.0.x (django-celery-beat and django-prometheus cap Django < 6.1).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from stackpacks.catalogue.model import Contribution, EnvVar, Option, Pack, Process, Route, Status

DJANGO = "Django==6.0.10"

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
        "psycopg[binary]==3.3.9",
        "whitenoise==6.12.0",
    ),
    python_dev_deps=(
        "honcho==2.0.0",
        "pytest==9.0.3",
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
    processes=(
        # Ports are explicit: honcho hands every process its own $PORT (5000, 5100, ...).
        Process(
            "web",
            "cd backend && exec gunicorn -c gunicorn.conf.py --bind 127.0.0.1:8000 "
            "config.wsgi:application",
        ),
        Process("frontend", "cd frontend && exec npm run start -- -p 3000 -H 127.0.0.1"),
    ),
    routes=(
        Route("api/auth/", "apps.accounts.urls"),
        Route("api/", "apps.reports.urls"),
        Route("api/lookup/", "apps.lookup.urls"),
    ),
    services=MappingProxyType(
        {
            "postgres": {
                "image": "postgres:17-alpine",
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
                "depends_on": {"postgres": {"condition": "service_healthy"}},
            },
            "backend": {
                "build": "./backend",
                "environment": _BACKEND_ENV,
                "ports": ["8000:8000"],
                "depends_on": {
                    "postgres": {"condition": "service_healthy"},
                    "migrate": {"condition": "service_completed_successfully"},
                },
            },
            "frontend": {
                "build": "./frontend",
                "environment": {"DJANGO_API_URL": "http://backend:8000"},
                "ports": ["3000:3000"],
                "depends_on": {"backend": {"condition": "service_healthy"}},
            },
        }
    ),
    ci_services=MappingProxyType(
        {
            "postgres": {
                "image": "postgres:17-alpine",
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
    ),
    next_steps=(
        "make install    # backend venv (Python 3.12) and frontend node_modules",
        "make up         # migrate, build, and run backend + frontend (honcho)",
    ),
    proxy_paths=("api",),
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
_CELERY_DEPENDS = {
    "postgres": {"condition": "service_healthy"},
    "redis": {"condition": "service_healthy"},
    "migrate": {"condition": "service_completed_successfully"},
}

_CELERY = Contribution(
    python_deps=("celery[redis]==5.7.0", "django-celery-beat==2.9.0", "redis==8.1.0"),
    processes=(
        # One worker process, prefetching one job at a time: long jobs never sit behind a busy
        # child. Scale with --concurrency (or more worker processes), not a larger prefetch.
        Process(
            "worker",
            "cd backend && exec celery -A config worker --loglevel INFO --concurrency 2 "
            "--without-gossip --without-mingle",
        ),
        # Exactly one Beat per deployment: two would run every scheduled job twice.
        Process(
            "beat",
            "cd backend && exec celery -A config beat --loglevel INFO "
            "--scheduler django_celery_beat.schedulers:DatabaseScheduler",
        ),
    ),
    services=MappingProxyType(
        {
            "redis": {
                "image": "redis:8-alpine",
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
                "depends_on": _CELERY_DEPENDS,
            },
            "worker": {
                "build": "./backend",
                "command": [
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
                ],
                "environment": _CELERY_ENV,
                "depends_on": _CELERY_DEPENDS,
                "healthcheck": {"disable": True},
                # Let a running job finish (its soft time limit) before the container is killed.
                "stop_grace_period": "6m",
            },
            "beat": {
                "build": "./backend",
                "command": [
                    "celery",
                    "-A",
                    "config",
                    "beat",
                    "--loglevel",
                    "INFO",
                    "--scheduler",
                    "django_celery_beat.schedulers:DatabaseScheduler",
                ],
                "environment": _CELERY_ENV,
                "depends_on": _CELERY_DEPENDS,
                "healthcheck": {"disable": True},
            },
        }
    ),
    ci_services=MappingProxyType(
        {
            "redis": {
                "image": "redis:8-alpine",
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

_DB_QUEUE = Contribution(
    python_deps=("django-tasks-db==0.13.0",),
    processes=(
        Process("worker", "cd backend && exec python manage.py db_worker --no-reload --interval 1"),
        # Django's Tasks framework has no scheduler: this loop runs the periodic jobs (see the
        # README's pack-2 section for what it does not do).
        Process("scheduler", "cd backend && exec python manage.py run_periodic_jobs --every 60"),
    ),
    services=MappingProxyType(
        {
            "worker": {
                "build": "./backend",
                "command": ["python", "manage.py", "db_worker", "--no-reload", "--interval", "1"],
                "environment": _BACKEND_ENV,
                "depends_on": {
                    "postgres": {"condition": "service_healthy"},
                    "migrate": {"condition": "service_completed_successfully"},
                },
                "healthcheck": {"disable": True},
                "stop_grace_period": "6m",
            },
            "scheduler": {
                "build": "./backend",
                "command": ["python", "manage.py", "run_periodic_jobs", "--every", "60"],
                "environment": _BACKEND_ENV,
                "depends_on": {
                    "postgres": {"condition": "service_healthy"},
                    "migrate": {"condition": "service_completed_successfully"},
                },
                "healthcheck": {"disable": True},
            },
        }
    ),
)

# Pack 3: ASGI. The same Django served by uvicorn workers under gunicorn: async views call slow
# upstreams without holding a worker, and job progress streams over SSE.
# gunicorn.conf.py names the worker class (uvicorn's, and from pack 4 one with WebSocket limits).
_ASGI_SERVER = ("gunicorn", "-c", "gunicorn.conf.py", "config.asgi:application")

_ASYNC = Contribution(
    python_deps=(
        # The pool extra: under ASGI the web process pools its database connections (see the
        # `asgi` settings component); uvicorn[standard] brings uvloop and httptools.
        "psycopg[binary,pool]==3.3.9",
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
    processes=(
        Process(
            "web",
            "cd backend && exec gunicorn -c gunicorn.conf.py --bind 127.0.0.1:8000 "
            "config.asgi:application",
        ),
    ),
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
        "command": list(_ASGI_SERVER),
        "environment": environment,
        "ports": ["8000:8000"],
        "depends_on": depends_on,
    }
    return Contribution(services=MappingProxyType({"backend": backend}))


_ASYNC_BY_QUEUE = MappingProxyType(
    {
        "celery": _asgi_backend(_CELERY_ENV, _CELERY_DEPENDS),
        "db": _asgi_backend(
            _BACKEND_ENV,
            {
                "postgres": {"condition": "service_healthy"},
                "migrate": {"condition": "service_completed_successfully"},
            },
        ),
    }
)

# Pack 4: WebSockets. Django Channels consumers on the same ASGI server, a Redis channel layer
# through which any process (web, Celery or db worker) pushes into sockets, presence in Redis.
# The web process is pack 3's; gunicorn.conf.py gives it uvicorn's WebSocket limits.
_WS = Contribution(
    python_deps=("channels==4.3.2", "channels-redis==4.3.0", "redis==8.1.0"),
    # The real-server tests speak WebSocket with the library uvicorn[standard] brings.
    python_dev_deps=("websockets==17.4",),
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
_DB_QUEUE_WITH_REDIS = {
    "postgres": {"condition": "service_healthy"},
    "redis": {"condition": "service_healthy"},
    "migrate": {"condition": "service_completed_successfully"},
}
_WS_DB_ENV = {"environment": _CELERY_ENV, "depends_on": _DB_QUEUE_WITH_REDIS}

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
_DAPHNE_ARGS = (
    "--websocket-max-message-size",
    "65536",
    "--ping-interval",
    "20",
    "--ping-timeout",
    "20",
    "config.asgi:application",
)

_DAPHNE = Contribution(
    python_deps=("daphne==4.2.3",),
    processes=(
        Process(
            "web",
            "cd backend && exec daphne --bind 127.0.0.1 --port 8000 " + " ".join(_DAPHNE_ARGS),
        ),
    ),
    services=MappingProxyType(
        {"backend": {"command": ["daphne", "--bind", "0.0.0.0", "--port", "8000", *_DAPHNE_ARGS]}}
    ),
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
        1,
        "sync",
        "Sync",
        "gunicorn sync workers, Django + DRF, PostgreSQL; Next.js 16 app router",
        "none: most CRUD apps never leave it",
        "two processes (gunicorn, next start) and one PostgreSQL",
        Status.AVAILABLE,
        _SYNC,
    ),
    Pack(
        2,
        "queues",
        "Queues",
        "Celery workers + Beat on Redis (or Django Tasks on PostgreSQL), job receipts, polling UI",
        "work longer than a user will wait; request timeouts; scheduled work",
        "a worker and a Beat process, and Redis",
        Status.AVAILABLE,
        _QUEUES,
        by_queue=MappingProxyType({"celery": _CELERY, "db": _DB_QUEUE}),
    ),
    Pack(
        3,
        "async",
        "Async",
        "ASGI workers, async views on httpx, SSE job progress, EventSource UI",
        "sync workers blocked on slow I/O; polling mostly returns nothing new",
        "async pitfalls: sync ORM calls and blocking libraries inside async code",
        Status.AVAILABLE,
        _ASYNC,
        by_queue=_ASYNC_BY_QUEUE,
    ),
    Pack(
        4,
        "ws",
        "WebSockets",
        "Django Channels consumers, Redis channel layer, Celery pushing to sockets, presence",
        "bidirectional realtime: chat, presence, collaboration",
        "long-lived connections per user and a channel layer to operate",
        Status.AVAILABLE,
        _WS,
        by_queue=MappingProxyType({"db": _WS_DB_QUEUE}),
    ),
    Pack(
        5,
        "scale",
        "Scale-out",
        "load balancer, N replicas, priority queues, split Redis, read replica, PgBouncer, "
        "Prometheus/Grafana/Sentry, Kubernetes manifests",
        "one box saturated: workers thrash, DB connections exhausted, long jobs starve short ones",
        "several machines, a connection pooler, a replica and an observability stack",
        Status.PLANNED,
    ),
    Pack(
        6,
        "specialized",
        "Specialized infra",
        "one specialized service per option: object storage, vectors, search, analytics, ...",
        "one workload outgrows the general stack",
        "one more service to run, back up and upgrade per option",
        Status.PLANNED,
    ),
)


def _option(name: str, summary: str, trigger: str, *conflicts: str) -> Option:
    return Option(name, 6, summary, trigger, Status.PLANNED, conflicts)


OPTIONS: tuple[Option, ...] = (
    Option(
        "asgi-fastpath",
        3,
        "Django's ASGI request handling tuned past its public APIs (about 2x pack 3's P3)",
        "web workers CPU-bound at pack 3/4: high CPU per request with requests in flight",
        Status.AVAILABLE,
        contribution=_FASTPATH,
    ),
    Option(
        "daphne",
        4,
        "serve ASGI with Daphne instead of Uvicorn",
        "you prefer the Channels project's own server",
        Status.AVAILABLE,
        contribution=_DAPHNE,
    ),
    _option("s3", "uploads on S3/R2 object storage", "uploads fill the disk"),
    _option("pgvector", "embeddings in PostgreSQL (pgvector)", "similarity search", "qdrant"),
    _option("qdrant", "embeddings in Qdrant", "vector search beyond one table", "pgvector"),
    _option(
        "meilisearch", "full-text search on Meilisearch", "search beyond ILIKE", "elasticsearch"
    ),
    _option(
        "elasticsearch", "full-text search on Elasticsearch", "search beyond ILIKE", "meilisearch"
    ),
    _option("clickhouse", "analytics on ClickHouse", "analytics queries on the OLTP database"),
    _option("ml-sidecar", "an ML inference sidecar", "model inference inside web requests"),
    _option("cdn-isr", "CDN + Next.js incremental static regeneration", "read-heavy pages"),
    _option("soketi", "Pusher-compatible Soketi for fan-out", "WebSocket fan-out beyond one box"),
)

QUEUES: tuple[str, ...] = ("celery", "db")
