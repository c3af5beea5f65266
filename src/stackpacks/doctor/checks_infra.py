"""Evaluate the rules of `rules_infra` against PostgreSQL, Redis, host and container signals."""

from __future__ import annotations

from collections.abc import Callable

from stackpacks.doctor.checks import finding
from stackpacks.doctor.model import Evidence, Finding, Threshold
from stackpacks.doctor.rules import ProbeRule
from stackpacks.doctor.signals import Signals

Check = Callable[[ProbeRule, Signals], Finding | None]


def evidence(
    signal: str, value: float, threshold: Threshold, n: int, min_n: int, window: str
) -> Evidence:
    return Evidence(
        signal=signal,
        value=round(value, 4),
        unit=threshold.unit,
        threshold=threshold.value,
        comparator=threshold.comparator,
        source=threshold.source,
        n=n,
        min_n=min_n,
        window=window,
    )


def db_connections(rule: ProbeRule, signals: Signals) -> Finding | None:
    pg = signals.postgres
    if pg is None or not pg.connections or pg.max_connections <= 0:
        return None
    usable = pg.max_connections
    lowest = min(pg.connections)  # sustained: every sample over the limit
    value = lowest / usable
    if not rule.threshold.crossed(value):
        return None
    states = ", ".join(f"{state} {count}" for state, count in sorted(pg.by_state.items()))
    signal = (
        f"pg_stat_activity client connections / max_connections ({lowest} of {usable}; "
        f"{states or 'no state breakdown'})"
    )
    window = f"lowest of {len(pg.connections)} samples, {signals.window.describe()}"
    return finding(rule, [evidence(signal, value, rule.threshold, len(pg.connections), 1, window)])


def long_transactions(rule: ProbeRule, signals: Signals) -> Finding | None:
    pg = signals.postgres
    if pg is None:
        return None
    over = [tx for tx in pg.open_transactions if rule.threshold.crossed(tx.seconds)]
    found = [
        evidence(
            f"pg_stat_activity transaction of pid {tx.pid} ({tx.state}): {tx.query[:80]}",
            tx.seconds,
            rule.threshold,
            1,
            1,
            "now",
        )
        for tx in over
    ]
    return finding(rule, found, pid=str(over[0].pid) if over else "")


def slow_queries(rule: ProbeRule, signals: Signals) -> Finding | None:
    pg = signals.postgres
    if pg is None:
        return None
    calls = rule.extra[0]
    found = [
        evidence(
            f"pg_stat_statements mean time of: {stmt.query[:100]}",
            stmt.mean_ms,
            rule.threshold,
            stmt.calls,
            int(calls.value),
            "since pg_stat_statements was last reset",
        )
        for stmt in pg.statements
        if rule.threshold.crossed(stmt.mean_ms)
    ]
    return finding(rule, found)


def _large_scanned(rule: ProbeRule, signals: Signals, like: bool) -> Finding | None:
    pg = signals.postgres
    if pg is None:
        return None
    scans = rule.extra[0]
    found = []
    tables = []
    for table in pg.tables:
        if bool(table.like_queries) != like or not rule.threshold.crossed(table.rows):
            continue
        how = f"LIKE seen: {table.like_queries[0][:100]}; " if like else ""
        signal = (
            f"pg_stat_user_tables {table.table}: {how}{table.seq_scans} sequential scans "
            f"reading {table.seq_rows_read} rows, {table.index_scans} index scans"
        )
        found.append(
            evidence(
                signal,
                table.rows,
                rule.threshold,
                table.seq_scans,
                int(scans.value),
                f"{signals.window.describe()}; {pg.statements_note or 'pg_stat_statements read'}",
            )
        )
        tables.append(table.table)
    return finding(rule, found, table=tables[0] if tables else "")


def like_search(rule: ProbeRule, signals: Signals) -> Finding | None:
    return _large_scanned(rule, signals, like=True)


def seq_scans(rule: ProbeRule, signals: Signals) -> Finding | None:
    return _large_scanned(rule, signals, like=False)


def queue_backlog(rule: ProbeRule, signals: Signals) -> Finding | None:
    """Redis lists of Celery's queues; without Redis (the db queue), the receipts still
    queued when the window closed."""
    found, names = [], []
    for queue, lengths in sorted(signals.redis.queues.items() if signals.redis else ()):
        if lengths and rule.threshold.crossed(min(lengths)):
            signal = f"LLEN {queue} (lowest of {len(lengths)} samples)"
            found.append(evidence(signal, min(lengths), rule.threshold, len(lengths), 1, "now"))
            names.append(queue)
    jobs = signals.postgres.jobs if signals.postgres else None
    if signals.redis is None and jobs is not None and rule.threshold.crossed(jobs.queued_now):
        signal = "job receipts with status queued (jobs_jobreceipt)"
        found.append(evidence(signal, jobs.queued_now, rule.threshold, 1, 1, "at the end"))
        names.append("default")
    return finding(rule, found, queue=names[0] if names else "")


def redis_clients(rule: ProbeRule, signals: Signals) -> Finding | None:
    redis = signals.redis
    if redis is None or not rule.threshold.crossed(redis.rejected_connections):
        return None
    signal = (
        f"INFO stats rejected_connections ({redis.connected_clients} connected of "
        f"maxclients {redis.maxclients})"
    )
    item = evidence(signal, redis.rejected_connections, rule.threshold, 1, 1, "since start")
    return finding(rule, [item])


def disk_filling(rule: ProbeRule, signals: Signals) -> Finding | None:
    host = signals.host
    if host is None:
        return None
    full = [d for d in host.disks if d.total > 0 and rule.threshold.crossed(d.free / d.total)]
    found = [
        evidence(f"free space of {d.path}", d.free / d.total, rule.threshold, 1, 1, "now")
        for d in full
    ]
    return finding(rule, found, path=full[0].path if full else "")


def container_restarts(rule: ProbeRule, signals: Signals) -> Finding | None:
    docker = signals.docker
    if docker is None:
        return None
    restarted = [c for c in docker.containers if rule.threshold.crossed(c.restarts)]
    found = [
        evidence(
            f"restart count of {c.name} ({c.status})",
            c.restarts,
            rule.threshold,
            1,
            1,
            "since created",
        )
        for c in restarted
    ]
    return finding(rule, found, container=restarted[0].name if restarted else "")


CHECKS: dict[str, Check] = {
    check.__name__: check
    for check in (
        db_connections,
        long_transactions,
        slow_queries,
        like_search,
        seq_scans,
        queue_backlog,
        redis_clients,
        disk_filling,
        container_restarts,
    )
}
