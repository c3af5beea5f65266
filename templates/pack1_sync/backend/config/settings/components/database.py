"""The database: PostgreSQL from DATABASE_URL; SQLite only for a zero-setup first run."""

DATABASES = {
    "default": env.db_url(
        "DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    ),
}

# Persistent connections, not Django's built-in pool. A gunicorn sync worker serves one request
# at a time, so it needs exactly one connection: a pool is per process and would sit idle
# beside it, while still multiplying connections by the number of workers. Reusing the
# connection for 60 s saves the connect (and TLS) cost on every request; the health check
# replaces a connection the server dropped instead of failing the next request with it.
# Database connections are the first wall this stack hits when scaling: workers x replicas
# must stay under PostgreSQL's max_connections (a pooler such as PgBouncer goes in front).
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
