"""The PostgreSQL probe: connections vs max_connections, long transactions, slow statements,
sequential scans of large tables and LIKE '%…' patterns seen in running queries.

`PostgresProbe` is opened once, sampled during the window and read at the end, so counters
(sequential scans) cover the same window as the app's metrics.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from stackpacks.doctor.signals import (
    JobHistory,
    OpenTransaction,
    PostgresSignals,
    Statement,
    TableScans,
)

# LIKE '%…' as Django sends it (client-side binding shows the pattern), or LIKE $1 where the
# server bound the pattern and it cannot be seen: on a large scanned table, either is a search.
LEADING_WILDCARD = re.compile(r"\bI?LIKE\s+(?:UPPER\(\s*|LOWER\(\s*)?(?:'%|\$\d)", re.IGNORECASE)
FROM_TABLE = re.compile(r'\b(?:FROM|JOIN)\s+"?(?:\w+"?\.)?"?(\w+)"?', re.IGNORECASE)

ACTIVITY = """
SELECT state, wait_event_type, query, pid,
       extract(epoch FROM now() - xact_start) AS xact_seconds
FROM pg_stat_activity
WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
"""
TABLES = """
SELECT relname, n_live_tup, seq_scan, seq_tup_read, coalesce(idx_scan, 0)
FROM pg_stat_user_tables
"""
STATEMENTS = """
SELECT query, calls, mean_exec_time, total_exec_time
FROM pg_stat_statements
WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
ORDER BY total_exec_time DESC
LIMIT 50
"""
# Pack 2's tables. Receipts are kept JOB_RECEIPT_TTL_DAYS (whole days), so the last 24 h are
# complete; the jobs app's first migration says since when the queue is installed.
JOBS_INSTALLED = """
SELECT extract(epoch FROM now() - min(applied)) / 3600 FROM django_migrations WHERE app = 'jobs'
"""
JOBS_LAST_DAY = """
SELECT count(*) FILTER (WHERE created_at >= now() - interval '1 day'),
       count(*) FILTER (WHERE status = 'queued'),
       count(*) FILTER (WHERE status = 'dead' AND created_at >= now() - interval '1 day')
FROM jobs_jobreceipt
"""
SCHEDULED = """
SELECT count(*) FROM django_celery_beat_periodictask
WHERE enabled AND task NOT IN ('celery.backend_cleanup', 'jobs.expire_receipts')
"""


@dataclass
class PostgresProbe:
    conn: Any  # psycopg.Connection, autocommit
    connections: list[int] = field(default_factory=list)
    states: Counter[str] = field(default_factory=Counter)
    lock_waits: int = 0
    like_queries: set[str] = field(default_factory=set)
    # Every open transaction seen, at its oldest age: the rules decide which ones are long.
    transactions: dict[int, OpenTransaction] = field(default_factory=dict)
    tables_before: dict[str, tuple[int, int, int, int]] = field(default_factory=dict)

    @classmethod
    def open(cls, url: str) -> PostgresProbe:
        import psycopg  # deferred: only doctor needs it

        probe = cls(psycopg.connect(url, autocommit=True, connect_timeout=3))
        probe.tables_before = probe._tables()
        probe.sample()
        return probe

    def sample(self) -> None:
        """One look at pg_stat_activity: connection count, states, queries, transactions."""
        rows = self.conn.execute(ACTIVITY).fetchall()
        self.connections.append(len(rows) + 1)  # + this probe's own connection
        self.states = Counter(str(row[0] or "unknown") for row in rows)
        self.lock_waits = sum(1 for row in rows if row[1] == "Lock")
        for state, _, query, pid, seconds in rows:
            text = str(query or "")
            if LEADING_WILDCARD.search(text):
                self.like_queries.add(text)
            if seconds is not None:
                seen = self.transactions.get(pid)
                if seen is None or float(seconds) >= seen.seconds:
                    self.transactions[pid] = OpenTransaction(pid, float(seconds), str(state), text)

    def finish(self, cumulative: bool) -> PostgresSignals:
        self.sample()
        settings = dict(
            self.conn.execute(
                "SELECT name, setting FROM pg_settings "
                "WHERE name IN ('max_connections', 'superuser_reserved_connections')"
            ).fetchall()
        )
        statements, note = self._statements()
        tables = self._scans({} if cumulative else self.tables_before)
        jobs = self._jobs()
        self.conn.close()
        return PostgresSignals(
            connections=tuple(self.connections),
            max_connections=int(settings.get("max_connections", 100)),
            reserved_connections=int(settings.get("superuser_reserved_connections", 3)),
            by_state=dict(self.states),
            lock_waits=self.lock_waits,
            open_transactions=tuple(self.transactions.values()),
            statements=statements,
            statements_note=note,
            tables=tables,
            jobs=jobs,
        )

    def _jobs(self) -> JobHistory | None:
        def exists(table: str) -> bool:
            return self.conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()[0] is not None

        if not exists("jobs_jobreceipt") or not exists("django_migrations"):
            return None
        hours = self.conn.execute(JOBS_INSTALLED).fetchone()[0]
        last_day, queued, dead = self.conn.execute(JOBS_LAST_DAY).fetchone()
        scheduled = None
        if exists("django_celery_beat_periodictask"):
            scheduled = int(self.conn.execute(SCHEDULED).fetchone()[0])
        return JobHistory(float(hours or 0.0), int(last_day), scheduled, int(queued), int(dead))

    def _tables(self) -> dict[str, tuple[int, int, int, int]]:
        rows = self.conn.execute(TABLES).fetchall()
        return {str(r[0]): (int(r[1]), int(r[2]), int(r[3]), int(r[4])) for r in rows}

    def _statements(self) -> tuple[tuple[Statement, ...], str]:
        import psycopg

        installed = self.conn.execute(
            "SELECT 1 FROM pg_extension WHERE extname = 'pg_stat_statements'"
        ).fetchone()
        if installed is None:
            return (), (
                "pg_stat_statements is not installed in this database (it needs "
                "shared_preload_libraries and CREATE EXTENSION): sequential-scan counters of "
                "pg_stat_user_tables and queries sampled from pg_stat_activity used instead"
            )
        try:
            rows = self.conn.execute(STATEMENTS).fetchall()
        except psycopg.Error as exc:
            return (), f"pg_stat_statements unreadable ({str(exc).strip()[:120]})"
        found = tuple(Statement(str(r[0]), int(r[1]), float(r[2]), float(r[3])) for r in rows)
        self.like_queries.update(s.query for s in found if LEADING_WILDCARD.search(s.query))
        return found, ""

    def _scans(self, before: dict[str, tuple[int, int, int, int]]) -> tuple[TableScans, ...]:
        like_by_table: dict[str, list[str]] = {}
        for query in sorted(self.like_queries):
            for table in set(FROM_TABLE.findall(query)):
                like_by_table.setdefault(table, []).append(query)
        found = []
        for name, (rows, seq, seq_read, idx) in sorted(self._tables().items()):
            _, seq0, read0, idx0 = before.get(name, (0, 0, 0, 0))
            found.append(
                TableScans(
                    name,
                    rows,
                    max(0, seq - seq0),
                    max(0, seq_read - read0),
                    max(0, idx - idx0),
                    tuple(like_by_table.get(name, ())),
                )
            )
        return tuple(found)
