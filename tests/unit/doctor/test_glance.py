"""The headline's figures and the per-view breakdown, from real exposition text."""

from __future__ import annotations

from stackpacks.doctor import glance
from stackpacks.doctor import recommend as rec
from stackpacks.doctor.prom import MetricSet
from tests.unit.doctor.exposition import AppLoad
from tests.unit.doctor.support import app_signals


def metrics(load: AppLoad) -> MetricSet:
    signals = app_signals(load)
    assert signals.app is not None
    return signals.app.metrics


def test_figures_name_the_worst_group_whether_or_not_a_rule_fires() -> None:
    load = AppLoad(latency={("a", "GET"): [0.02] * 300, ("b", "GET"): [0.3] * 300})
    (figure,) = glance.figures(rec.RULES, metrics(load))
    assert (figure.name, figure.group, figure.quantile) == ("slowest view", "b GET", 0.95)
    assert figure.value < figure.threshold == 1.0 and figure.n == 300


def test_too_few_samples_for_a_p95_give_a_p50() -> None:
    (figure,) = glance.figures(rec.RULES, metrics(AppLoad(latency={("a", "GET"): [0.3] * 50})))
    assert figure.quantile == 0.5 and figure.min_n == 20


def test_views_leave_out_doctors_own_requests_and_sort_by_total_time() -> None:
    load = AppLoad(
        latency={
            ("signals-metrics", "GET"): [5.0] * 10,
            ("few-slow", "GET"): [2.0] * 10,
            ("many-fast", "GET"): [0.05] * 300,
            ("many-fast", "POST"): [0.05] * 100,
        }
    )
    found = glance.views(metrics(load))
    assert [(v.view, v.count) for v in found] == [("few-slow", 10), ("many-fast", 400)]
    assert found[1].p95_enough and not found[0].p95_enough
