"""Rules over PostgreSQL, Redis, the host and containers, on hand-built signals."""

from __future__ import annotations

from stackpacks.doctor import recommend as rec
from stackpacks.doctor.model import Direction, Severity
from stackpacks.doctor.signals import (
    Container,
    Disk,
    DockerSignals,
    HostSignals,
    JobHistory,
    OpenTransaction,
    PostgresSignals,
    RedisSignals,
    Statement,
    TableScans,
)
from tests.unit.doctor.support import app_signals, steady

ILIKE = "SELECT * FROM \"catalog_item\" WHERE name ILIKE '%lamp%'"


def pg(**values: object) -> PostgresSignals:
    defaults: dict[str, object] = {
        "connections": (10, 10),
        "max_connections": 100,
        "reserved_connections": 3,
    }
    return PostgresSignals(**{**defaults, **values})  # type: ignore[arg-type]


def advise(pack: int = 1, **probes: object) -> rec.Recommendation:
    return rec.recommend(app_signals(steady(n=300), pack=pack, **probes))


def finding(advice: rec.Recommendation, rule: str) -> rec.Finding:
    return next(f for f in advice.findings if f.rule == rule)


def test_connections_near_max_at_every_sample_move_to_5() -> None:
    advice = advise(postgres=pg(connections=(84, 86, 85), by_state={"idle": 80, "active": 5}))
    assert (advice.direction, advice.pack) == (Direction.UP, 5)
    evidence = finding(advice, "db-connections").evidence[0]
    assert (
        evidence.value == 0.84 and "84 of 100" in evidence.signal and "idle 80" in evidence.signal
    )
    assert "proposed by stackpacks" in evidence.source and "postgresql.org" in evidence.source


def test_one_spike_of_connections_is_not_sustained() -> None:
    advice = advise(postgres=pg(connections=(85, 40)))
    assert advice.direction is Direction.STAY


def test_like_search_on_a_large_table_points_to_search_with_trigram_first() -> None:
    table = TableScans("catalog_item", 200_000, 40, 8_000_000, 0, (ILIKE,))
    advice = advise(postgres=pg(tables=(table,)))
    found = finding(advice, "like-search")
    assert found.severity is Severity.FIX and found.move is not None
    assert (found.move.pack, found.move.option) == (6, "meilisearch")
    assert "pg_trgm" in found.next_steps[0] and "catalog_item" in found.next_steps[0]
    assert found.next_steps[1].endswith("stackpacks upgrade --to 6 --with meilisearch")
    assert advice.direction is Direction.STAY  # a smaller fix comes before any pack


def test_few_scans_are_not_enough_evidence() -> None:
    table = TableScans("catalog_item", 200_000, 3, 600_000, 0, (ILIKE,))
    assert finding(advise(postgres=pg(tables=(table,))), "like-search").severity is (
        Severity.INSUFFICIENT
    )


def test_scans_of_a_large_table_without_like_ask_for_an_index() -> None:
    table = TableScans("orders", 500_000, 20, 10_000_000, 0)
    advice = advise(postgres=pg(tables=(table,)))
    assert "like-search" not in {f.rule for f in advice.findings}
    assert "orders" in finding(advice, "seq-scans").next_steps[0]


def test_small_tables_are_fine_to_scan() -> None:
    table = TableScans("tiny", 500, 900, 450_000, 0, (ILIKE,))
    assert advise(postgres=pg(tables=(table,))).findings == ()


def test_slow_statements_follow_pghero() -> None:
    slow = Statement("SELECT ... FROM reports_report WHERE ...", 500, 35.0, 17_500.0)
    rare = Statement("SELECT pg_sleep($1)", 3, 2000.0, 6000.0)
    found = finding(advise(postgres=pg(statements=(slow, rare))), "slow-queries")
    assert found.severity is Severity.FIX and found.count == 1
    assert found.evidence[0].min_n == 100 and "pghero" in found.evidence[0].source


def test_long_transactions_name_the_pid() -> None:
    tx = OpenTransaction(4242, 300.0, "idle in transaction", "UPDATE ...")
    found = finding(advise(postgres=pg(open_transactions=(tx,))), "long-transactions")
    assert "4242" in found.next_steps[0]


def test_long_transactions_are_over_the_rules_threshold_only() -> None:
    at_limit = OpenTransaction(11, 60.0, "active", "SELECT ...")
    over = OpenTransaction(12, 61.0, "idle in transaction", "UPDATE ...")
    found = finding(advise(postgres=pg(open_transactions=(at_limit, over))), "long-transactions")
    assert found.count == 1 and "pid 12" in found.evidence[0].signal


def test_long_transactions_name_the_first_pid_over_the_threshold() -> None:
    young = OpenTransaction(7, 2.0, "active", "SELECT ...")
    old = OpenTransaction(8, 900.0, "idle in transaction", "UPDATE ...")
    found = finding(advise(postgres=pg(open_transactions=(young, old))), "long-transactions")
    assert "transaction 8 " in found.next_steps[0]


def redis(**values: object) -> RedisSignals:
    defaults: dict[str, object] = {
        "queues": {},
        "connected_clients": 5,
        "maxclients": 10000,
        "rejected_connections": 0,
        "used_memory": 1,
        "maxmemory": 0,
    }
    return RedisSignals(**{**defaults, **values})  # type: ignore[arg-type]


def test_a_queue_that_stays_long_moves_to_5() -> None:
    advice = advise(pack=2, redis=redis(queues={"celery": (150, 180), "low": (3, 0)}))
    found = finding(advice, "queue-backlog")
    assert (advice.pack, found.count) == (5, 1) and "celery" in found.next_steps[0]


def test_without_redis_the_queued_receipts_are_the_backlog() -> None:
    advice = advise(pack=2, postgres=pg(jobs=JobHistory(10.0, 400, None, queued_now=250)))
    evidence = finding(advice, "queue-backlog").evidence[0]
    assert (advice.pack, evidence.value) == (5, 250) and "status queued" in evidence.signal


def test_rejected_redis_connections_move_to_5() -> None:
    advice = advise(pack=2, redis=redis(rejected_connections=7))
    assert finding(advice, "redis-clients").evidence[0].value == 7


def test_a_nearly_full_media_volume_points_to_object_storage() -> None:
    host = HostSignals(2, (0.1, 0.1, 0.1), 8, 4, (Disk("/srv/media", 100, 2),))
    found = finding(advise(host=host), "disk-filling")
    assert found.move is not None and found.move.option == "s3"
    assert "/srv/media" in found.next_steps[0]


def test_restarted_containers_are_reported() -> None:
    docker = DockerSignals((Container("demo-backend-1", "running", 3),))
    found = finding(advise(docker=docker), "container-restarts")
    assert "demo-backend-1" in found.next_steps[0]


def test_without_the_app_there_is_not_enough_evidence_for_stay() -> None:
    from stackpacks.doctor.signals import Signals, Skip, Window

    signals = Signals(1, True, Window(10, False), skipped=(Skip("app", "refused"),))
    advice = rec.recommend(signals)
    assert advice.direction is Direction.UNKNOWN and "refused" in advice.summary


def test_but_measured_infrastructure_pain_still_moves_without_the_app() -> None:
    from stackpacks.doctor.signals import Signals, Window

    signals = Signals(1, True, Window(10, False), postgres=pg(connections=(90, 90)))
    assert rec.recommend(signals).direction is Direction.UP
