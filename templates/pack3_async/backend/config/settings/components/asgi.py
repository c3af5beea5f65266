"""ASGI: uvicorn workers, async views, SSE job progress.

Django's own ASGI handler and middleware serve every request; async views (apps.lookup,
apps.streams) wait on the event loop, sync ones run in a thread of their request's own.
"""

INSTALLED_APPS += ["apps.streams"]

ASGI_APPLICATION = "config.asgi.application"

# A request's queries run in other threads under ASGI (the async ORM and sync views go through
# sync_to_async): this query budget counts them by request, not by thread, and never makes a
# thread hop of its own.
MIDDLEWARE[MIDDLEWARE.index("apps.metrics.middleware.QueryBudgetMiddleware")] = (
    "apps.metrics.async_middleware.QueryBudgetMiddleware"
)

# Never GZipMiddleware here: it buffers a streaming response whole when the client accepts gzip,
# which turns an event stream into one late answer.

# Database connections in the ASGI web process. Each request's sync work (ORM calls, sync views)
# runs in a thread of its own there, so one persistent connection per thread would pile up:
# the process keeps a pool instead, shared by its threads. gunicorn.conf.py turns it on; other
# processes (migrate, workers) keep their persistent connection (component `database`).
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

# Connections one worker keeps to the slow upstream of /api/lookup/: as many requests as it
# may hold at once wait on it concurrently; more wait for a free connection.
UPSTREAM_MAX_CONNECTIONS = env.int("UPSTREAM_MAX_CONNECTIONS", default=500)

# Event streams (GET /api/jobs/{id}/events/): a comment line this often keeps proxies from
# closing an idle stream; browsers reconnect this long after a stream drops.
SSE_HEARTBEAT_SECONDS = env.float("SSE_HEARTBEAT_SECONDS", default=15.0)
SSE_RETRY_MILLISECONDS = env.int("SSE_RETRY_MILLISECONDS", default=2000)
