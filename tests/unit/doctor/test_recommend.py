"""Rules and the verdict on real exposition text: one behaviour per test."""

from __future__ import annotations

import pytest

from stackpacks.doctor import recommend as rec
from stackpacks.doctor.model import Direction, Severity, min_samples
from stackpacks.doctor.rules import ProbeRule
from stackpacks.doctor.signals import PostgresSignals
from tests.unit.doctor.exposition import AppLoad
from tests.unit.doctor.support import app_signals, steady


def verdict(load: AppLoad, pack: int = 1, **kwargs: object) -> rec.Recommendation:
    return rec.recommend(app_signals(load, pack), **kwargs)  # type: ignore[arg-type]


def by_rule(advice: rec.Recommendation) -> dict[str, rec.Finding]:
    return {f.rule: f for f in advice.findings}


@pytest.mark.parametrize(("q", "n"), [(0.5, 20), (0.95, 200), (0.99, 1000)])
def test_a_percentile_needs_10_over_1_minus_p_samples(q: float, n: int) -> None:
    assert min_samples(q) == n


def test_healthy_crud_under_enough_traffic_stays() -> None:
    advice = verdict(steady(n=300))
    assert (advice.direction, advice.pack, advice.findings) == (Direction.STAY, 1, ())


def test_too_little_traffic_is_not_enough_evidence_never_a_guess() -> None:
    advice = verdict(steady(n=50))
    assert advice.direction is Direction.UNKNOWN
    assert "50 requests" in advice.summary and "200 needed" in advice.summary


def test_slow_view_with_users_waiting_moves_to_2_with_p95_evidence() -> None:
    load = AppLoad(
        latency={("report-list", "POST"): [2.2] * 250, ("report-list", "GET"): [0.03] * 300}
    )
    advice = verdict(load)
    assert (advice.direction, advice.pack) == (Direction.UP, 2)
    found = by_rule(advice)["slow-view"]
    assert found.severity is Severity.ACT and found.count == 1
    evidence = found.evidence[0]
    assert evidence.signal.startswith("p95 of") and 'view="report-list"' in evidence.signal
    assert (evidence.n, evidence.min_n) == (250, 200)
    assert evidence.value > 1.0 and "nngroup.com" in evidence.source
    assert found.next_steps[0].startswith("stackpacks upgrade --to 2")
    assert "report-list" in found.next_steps[0]


def test_a_small_sample_falls_back_to_the_median() -> None:
    load = AppLoad(latency={("report-list", "POST"): [2.2] * 25, ("x", "GET"): [0.03] * 300})
    evidence = by_rule(verdict(load))["slow-view"].evidence[0]
    assert evidence.signal.startswith("p50 of") and (evidence.n, evidence.min_n) == (25, 20)


def test_slow_but_too_few_samples_is_reported_as_insufficient() -> None:
    load = AppLoad(latency={("report-list", "POST"): [2.2] * 8, ("x", "GET"): [0.03] * 300})
    advice = verdict(load)
    found = by_rule(advice)["slow-view"]
    assert found.severity is Severity.INSUFFICIENT
    assert advice.direction is Direction.STAY  # enough traffic overall; that view is unproven


def test_operations_views_are_not_the_product() -> None:
    load = AppLoad(
        latency={
            ("health", "GET"): [3.0] * 300,
            ("signals-metrics", "GET"): [3.0] * 300,
            ("signals-stream-check", "GET"): [1.0] * 300,
        }
    )
    advice = verdict(load)
    assert advice.findings == () and advice.direction is Direction.UNKNOWN


def test_workers_blocked_on_an_upstream_move_to_3() -> None:
    load = AppLoad(latency={("lookup", "GET"): [1.2] * 150}, outbound=[1.1] * 150)
    advice = verdict(load)
    assert (advice.direction, advice.pack) == (Direction.UP, 3)
    found = by_rule(advice)["blocked-on-upstream"]
    assert found.evidence[0].value > 0.5 and "proposed by stackpacks" in found.evidence[0].source
    assert found.next_steps[0].startswith("stackpacks upgrade --to 3")


def test_some_outbound_time_below_half_is_no_finding() -> None:
    load = AppLoad(latency={("lookup", "GET"): [0.5] * 300}, outbound=[0.1] * 300)
    assert "blocked-on-upstream" not in by_rule(verdict(load))


def test_near_timeouts_recurring_move_to_2() -> None:
    load = AppLoad(latency={("export", "GET"): [28.0] * 3, ("x", "GET"): [0.02] * 300})
    found = by_rule(verdict(load))["near-timeout"]
    assert found.severity is Severity.ACT and found.evidence[0].value == 3


def test_n_plus_one_is_a_fix_not_a_move() -> None:
    load = steady(n=300)
    load.queries = {"report-list": [40] * 300}
    advice = verdict(load)
    found = by_rule(advice)["queries-per-request"]
    assert found.severity is Severity.FIX and "QUERY_BUDGET_OVERRIDES" in found.next_steps[0]
    assert advice.direction is Direction.STAY and "1 smaller fix" in advice.summary


def test_pain_a_pack_already_installed_removes_becomes_a_fix() -> None:
    pg = PostgresSignals(connections=(90, 92), max_connections=100, reserved_connections=3)
    advice = rec.recommend(app_signals(steady(n=300), pack=5, postgres=pg))
    found = by_rule(advice)["db-connections"]
    assert found.severity is Severity.FIX
    assert found.next_steps[0] == "pack 5 is installed: use it here"
    assert advice.direction is Direction.STAY


def test_polling_mostly_unchanged_at_pack_2_moves_to_3() -> None:
    load = steady(n=300)
    load.polls = {"unchanged": 900, "changed": 100}
    advice = verdict(load, pack=2)
    assert (advice.direction, advice.pack) == (Direction.UP, 3)
    assert by_rule(advice)["polling-unchanged"].evidence[0].value == 0.9


def test_polling_rule_needs_100_polls() -> None:
    load = steady(n=300)
    load.polls = {"unchanged": 40, "changed": 2}
    found = by_rule(verdict(load, pack=2))["polling-unchanged"]
    assert found.severity is Severity.INSUFFICIENT


def test_polling_rule_does_not_apply_where_there_is_no_polling() -> None:
    load = steady(n=300)
    load.polls = {"unchanged": 900, "changed": 100}
    assert "polling-unchanged" not in by_rule(verdict(load, pack=1))


def test_one_way_websockets_at_pack_4_jumped_ahead() -> None:
    load = steady(n=300)
    load.ws_messages = {"in": 0, "out": 500}
    advice = verdict(load, pack=4)
    assert (advice.direction, advice.pack) == (Direction.DOWN, 3)
    assert by_rule(advice)["websocket-one-way"].severity is Severity.IDLE


def test_long_waits_in_a_queue_move_to_5_with_the_smaller_fix_first() -> None:
    load = steady(n=300)
    load.job_wait = {"celery": [20.0] * 250, "fast": [0.01] * 250}
    advice = verdict(load, pack=2)
    found = by_rule(advice)["queue-starvation"]
    assert (advice.pack, found.count) == (5, 1)
    assert "queue celery" in found.next_steps[0] and "prefetch" in found.next_steps[0]


def test_a_silenced_rule_keeps_its_reason_and_leaves_the_verdict() -> None:
    load = AppLoad(latency={("report-list", "POST"): [2.2] * 250})
    advice = verdict(load, silences={"slow-view": "exports are slow on purpose"})
    assert advice.direction is Direction.STAY
    assert by_rule(advice)["slow-view"].silenced == "exports are slow on purpose"


def test_every_rule_has_a_unique_id_a_source_and_a_check() -> None:
    from stackpacks.doctor.recommend import CHECKS

    ids = [rule.id for rule in rec.RULES]
    assert len(ids) == len(set(ids))
    for rule in rec.RULES:
        source = rule.threshold.source
        assert "http" in source or "proposed by stackpacks" in source, rule.id
        if isinstance(rule, ProbeRule):
            assert rule.check in CHECKS
