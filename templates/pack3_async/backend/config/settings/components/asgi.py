"""ASGI (pack 3): uvicorn workers, async views, SSE job progress.

Runs after `instrumentation`: ASYNC_NATIVE_MIDDLEWARE names an async-native equivalent
(config/async_middleware.py) for each middleware of the list that component finished. The ASGI
server (config/asgi.py) loads those instead, so their hooks run on the event loop rather than
costing each request a thread hop; MIDDLEWARE keeps Django's names, which `manage.py check
--deploy` looks for. A middleware you add that is not async-capable sends every request below
it to a thread: check its `async_capable` before adding it, or wrap it like the ones there.
"""

INSTALLED_APPS += ["apps.streams"]

ASGI_APPLICATION = "config.asgi.application"

ASYNC_NATIVE_MIDDLEWARE = {
    "django.middleware.security.SecurityMiddleware": "config.async_middleware.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware": "config.async_middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware": (
        "config.async_middleware.SessionMiddleware"
    ),
    "django.middleware.common.CommonMiddleware": "config.async_middleware.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware": "config.async_middleware.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware": (
        "config.async_middleware.AuthenticationMiddleware"
    ),
    "django.contrib.messages.middleware.MessageMiddleware": (
        "config.async_middleware.MessageMiddleware"
    ),
    "django.middleware.clickjacking.XFrameOptionsMiddleware": (
        "config.async_middleware.XFrameOptionsMiddleware"
    ),
    "django_prometheus.middleware.PrometheusBeforeMiddleware": (
        "config.async_middleware.PrometheusBeforeMiddleware"
    ),
    "django_prometheus.middleware.PrometheusAfterMiddleware": (
        "config.async_middleware.PrometheusAfterMiddleware"
    ),
    "apps.metrics.middleware.QueryBudgetMiddleware": (
        "apps.metrics.async_middleware.QueryBudgetMiddleware"
    ),
}
# Never GZipMiddleware here: it buffers a streaming response whole when the client accepts gzip,
# which turns an event stream into one late answer.

# Database connections in the ASGI web process. Each request's sync work (ORM calls, sync views)
# runs in a thread of its own there, so one persistent connection per thread would pile up:
# the process keeps a pool instead, shared by its threads. gunicorn.conf.py turns it on; other
# processes (migrate, workers) keep pack 1's persistent connection.
if env.bool("DJANGO_DB_POOL", default=False) and DATABASES["default"]["ENGINE"].endswith(
    "postgresql"
):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        # Per process: workers x this must stay under PostgreSQL's max_connections.
        "max_size": env.int("DJANGO_DB_POOL_MAX_SIZE", default=8),
        "timeout": 10,
    }

# Django's database sessions, whose async read runs on the event loop in the ASGI server (no
# thread per request for it): same table and data as Django's `db` engine.
SESSION_ENGINE = "apps.async_sessions"

# Connections one worker keeps to the slow upstream of /api/lookup/: as many requests as it
# may hold at once wait on it concurrently; more wait for a free connection.
UPSTREAM_MAX_CONNECTIONS = env.int("UPSTREAM_MAX_CONNECTIONS", default=500)

# Event streams (GET /api/jobs/{id}/events/): a comment line this often keeps proxies from
# closing an idle stream; browsers reconnect this long after a stream drops.
SSE_HEARTBEAT_SECONDS = env.float("SSE_HEARTBEAT_SECONDS", default=15.0)
SSE_RETRY_MILLISECONDS = env.int("SSE_RETRY_MILLISECONDS", default=2000)
