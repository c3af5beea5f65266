"""Doctor's Redis and PostgreSQL probes against the real servers, on data the test writes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
import redis

from stackpacks.doctor.probe_postgres import PostgresProbe
from stackpacks.doctor.probes import RedisProbe
from tests.doctor import lab_queues
from tests.templates.harness import Variant

pytestmark = pytest.mark.app


@pytest.fixture
def broker() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(lab_queues.REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()


def test_queue_lengths_add_up_kombus_priority_lists(broker: redis.Redis) -> None:
    broker.rpush("celery", *range(3))
    broker.rpush("celery\x06\x163", *range(2))  # priority 3, as kombu stores it
    broker.rpush("reports", 1)
    broker.rpush("0f4c.reply.celery.pidbox", 1)  # a remote-control reply: not a queue
    broker.sadd("_kombu.binding.celery", "celery")
    signals = RedisProbe.open(lab_queues.REDIS_URL).finish()
    assert signals.queues == {"celery": (5, 5), "reports": (1, 1)}
    assert signals.connected_clients >= 2 and signals.maxclients > 0 and signals.ops_per_sec >= 0


def test_no_worker_on_the_broker_is_an_empty_answer_at_once(broker: redis.Redis) -> None:
    assert RedisProbe.open(lab_queues.REDIS_URL).celery().workers == ()


RECEIPTS = (("2 hours", "dead"), ("30 hours", "succeeded"), ("1 minute", "queued"))


def test_job_history_reads_pack_2s_tables(queue_source: Path, queue_variant: Variant) -> None:
    url = lab_queues.database_url(queue_variant)
    lab_queues.reset_jobs(url)
    with psycopg.connect(url, autocommit=True) as conn:
        user = conn.execute(
            "INSERT INTO auth_user (username, password, is_superuser, is_staff, is_active, "
            "first_name, last_name, email, date_joined) "
            "VALUES ('probe-' || gen_random_uuid(), '!', false, false, true, '', '', '', now()) "
            "RETURNING id"
        ).fetchone()[0]  # type: ignore[index]
        for age, status in RECEIPTS:
            conn.execute(
                "INSERT INTO jobs_jobreceipt (id, owner_id, kind, status, progress, "
                "input_summary, idempotency_key, error, attempts, max_attempts, queue, "
                "created_at, updated_at) VALUES (gen_random_uuid(), %s, 'report.build', %s, 0, "
                "'', '', '', 0, 4, 'default', now() - %s::interval, now())",
                (user, status, age),
            )
    probe = PostgresProbe.open(url)
    jobs = probe.finish(cumulative=True).jobs
    assert jobs is not None
    assert (jobs.jobs_last_day, jobs.queued_now, jobs.dead_last_day) == (2, 1, 1)
    assert 0 <= jobs.installed_hours < 1


def test_open_transactions_are_reported_raw_whatever_their_age() -> None:
    """The probe leaves "long" to the rule: a transaction opened a moment ago is in the signals
    with its age, so the threshold lives in one place (doctor's rules)."""
    url = "postgres://postgres@127.0.0.1:5432/postgres"
    with psycopg.connect(url) as holder:
        holder.execute("SELECT 1")  # psycopg opens the transaction; it stays open
        pid = holder.info.backend_pid
        probe = PostgresProbe.open(url)
        found = {tx.pid: tx for tx in probe.finish(cumulative=True).open_transactions}
        holder.rollback()
    assert pid in found
    assert 0 <= found[pid].seconds < 60
    assert found[pid].state == "idle in transaction"
