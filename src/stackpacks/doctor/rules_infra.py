"""Doctor's rules over PostgreSQL, Redis, the host and containers: thresholds as data.

Each names the check in `checks_infra` that reads its signals; the figures and their sources
are here, so a person can check them without reading the checks.
"""

from __future__ import annotations

from stackpacks.doctor.model import Move, Severity, Threshold
from stackpacks.doctor.rules import ProbeRule, Rule

PGHERO = "PgHero's defaults (https://github.com/ankane/pghero, lib/pghero.rb)"
PG_CONNECTIONS_DOC = (
    "PostgreSQL's max_connections is 'typically 100' "
    "(https://www.postgresql.org/docs/current/runtime-config-connection.html)"
)
PG_TRGM = (
    "a B-tree serves only left-anchored LIKE (https://www.postgresql.org/docs/current/"
    "indexes-types.html); pg_trgm GIN indexes serve LIKE/ILIKE '%...%' "
    "(https://www.postgresql.org/docs/current/pgtrgm.html)"
)

INFRA_RULES: tuple[Rule, ...] = (
    ProbeRule(
        id="db-connections",
        title="database connections near max_connections",
        severity=Severity.ACT,
        move=Move(5),
        threshold=Threshold(
            0.8,
            "share of max_connections",
            "proposed by stackpacks (alert at 80 %, the seeds' figure; no external source "
            f"found); {PG_CONNECTIONS_DOC}",
        ),
        next_steps=(
            "{command}: PgBouncer in front of PostgreSQL pools connections across replicas",
            "smaller first: fewer gunicorn workers (WEB_CONCURRENCY) or DJANGO_CONN_MAX_AGE=0 "
            "if connections sit idle",
        ),
        check="db_connections",
    ),
    ProbeRule(
        id="long-transactions",
        title="transactions open for a long time",
        severity=Severity.FIX,
        move=None,
        threshold=Threshold(60, "s", f"long-running >= 60 s, {PGHERO}"),
        next_steps=(
            "find the code holding transaction {pid} open (ATOMIC_REQUESTS around slow work, "
            "a shell left in BEGIN); it blocks vacuum and holds locks",
        ),
        check="long_transactions",
    ),
    ProbeRule(
        id="slow-queries",
        title="slow queries",
        severity=Severity.FIX,
        move=Move(5),
        threshold=Threshold(20, "ms mean", f"slow = mean >= 20 ms with >= 100 calls, {PGHERO}"),
        next_steps=(
            "EXPLAIN ANALYZE the query and add the index it needs; a read replica "
            "({command}) only once indexes and the query budget are exhausted",
        ),
        check="slow_queries",
        extra=(Threshold(100, "calls", PGHERO),),
    ),
    ProbeRule(
        id="like-search",
        title="LIKE '%...%' search scans a large table",
        severity=Severity.FIX,
        move=Move(6, "meilisearch"),
        threshold=Threshold(
            100_000, "rows", f"proposed by stackpacks (a table of 100,000 rows); {PG_TRGM}"
        ),
        next_steps=(
            "smaller first: CREATE EXTENSION IF NOT EXISTS pg_trgm; CREATE INDEX CONCURRENTLY "
            "ON {table} USING gin (<column> gin_trgm_ops);",
            "only if search needs ranking, typos or facets beyond that: {command}",
        ),
        check="like_search",
        extra=(
            Threshold(10, "sequential scans", "proposed by stackpacks (10 scans in the window)"),
        ),
    ),
    ProbeRule(
        id="seq-scans",
        title="sequential scans of a large table",
        severity=Severity.FIX,
        move=None,
        threshold=Threshold(100_000, "rows", "proposed by stackpacks (a table of 100,000 rows)"),
        next_steps=(
            "find the query scanning {table} (pg_stat_statements, or "
            "log_min_duration_statement) and add the index it needs",
        ),
        check="seq_scans",
        extra=(
            Threshold(10, "sequential scans", "proposed by stackpacks (10 scans in the window)"),
        ),
    ),
    ProbeRule(
        id="queue-backlog",
        title="jobs pile up in a queue",
        severity=Severity.ACT,
        move=Move(5),
        threshold=Threshold(
            100,
            "jobs waiting",
            "proposed by stackpacks (100 jobs at every sample); Celery: 'it is very important "
            "that you monitor queue lengths' (https://docs.celeryq.dev/en/stable/userguide/"
            "optimizing.html)",
        ),
        next_steps=(
            "smaller first: more worker processes for queue {queue}",
            "{command}: priority queues with their own worker pools",
        ),
        packs=(2, 3, 4, 5, 6),
        check="queue_backlog",
    ),
    ProbeRule(
        id="redis-clients",
        title="Redis refuses or nears its client limit",
        severity=Severity.ACT,
        move=Move(5),
        threshold=Threshold(
            0,
            "rejected connections",
            "any rejected connection; maxclients defaults to 10,000 "
            "(https://redis.io/docs/latest/develop/reference/errors/common/err-max-clients/)",
        ),
        next_steps=("{command}: separate Redis instances for the broker and the channel layer",),
        packs=(2, 3, 4, 5, 6),
        check="redis_clients",
    ),
    ProbeRule(
        id="disk-filling",
        title="the media volume is nearly full",
        severity=Severity.FIX,
        move=Move(6, "s3"),
        threshold=Threshold(
            0.05,
            "share free",
            "node_exporter's mixin: warning below 5 % free, critical below 3 % "
            "(https://github.com/prometheus/node_exporter/blob/master/docs/node-mixin/"
            "config.libsonnet)",
            above=False,
        ),
        next_steps=(
            "smaller first: a bigger volume or a clean-up of {path}",
            "uploads outgrowing one disk: {command}",
        ),
        check="disk_filling",
    ),
    ProbeRule(
        id="container-restarts",
        title="containers restarted",
        severity=Severity.FIX,
        move=None,
        threshold=Threshold(
            0,
            "restarts",
            "proposed by stackpacks (any restart); Docker's RestartCount "
            "(https://docs.docker.com/reference/cli/docker/container/inspect/)",
        ),
        next_steps=("docker logs {container}: find why it restarted (OOM kill, crash)",),
        check="container_restarts",
    ),
)
