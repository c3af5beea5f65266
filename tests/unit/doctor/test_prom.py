"""Parsing, windows and quantiles of Prometheus exposition text."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stackpacks import errors
from stackpacks.doctor import prom, rules
from stackpacks.doctor.prom import Histogram
from tests.unit.doctor.exposition import AppLoad, exposition

REAL = Path(__file__).parent / "data" / "pack1_metrics.txt"


def test_parses_what_the_generated_app_exports() -> None:
    metrics = prom.parse(REAL.read_text())
    latency = metrics.histograms(rules.LATENCY, ("view",))
    assert latency[(("view", "health"),)].count == 6
    assert latency[(("view", "lookup"),)].buckets[-1] == (math.inf, 1.0)
    statuses = metrics.totals("django_http_responses_total_by_status_view_method", ("status",))
    assert statuses[(("status", "403"),)] == 1.0


def test_garbage_is_a_clear_error() -> None:
    with pytest.raises(errors.MetricsUnreadable, match="Prometheus text"):
        prom.parse('metric{label="unterminated 1\n')


def test_a_window_subtracts_counters_and_histograms_and_keeps_gauges() -> None:
    before = prom.parse(
        exposition(AppLoad(latency={("v", "GET"): [0.02] * 5}, polls={"changed": 3}))
    )
    after = prom.parse(
        exposition(AppLoad(latency={("v", "GET"): [0.02] * 5 + [2.0] * 4}, polls={"changed": 10}))
    )
    windowed = prom.window(before, after)
    histogram = windowed.histograms(rules.LATENCY)[()]
    assert histogram.count == 4
    assert histogram.above(1.0) == 4
    assert windowed.totals(rules.POLLS)[()] == 7


def test_a_reset_counter_keeps_its_later_value() -> None:
    before = prom.parse(exposition(AppLoad(polls={"changed": 50})))
    after = prom.parse(exposition(AppLoad(polls={"changed": 4})))
    assert prom.window(before, after).totals(rules.POLLS)[()] == 4


def test_quantile_interpolates_like_promql() -> None:
    # 100 observations: 50 in (0, 1], 50 in (1, 2]; PromQL gives p50 = 1.0, p75 = 1.5.
    histogram = Histogram(((1.0, 50.0), (2.0, 100.0), (math.inf, 100.0)), 100.0, 150.0)
    assert prom.quantile(0.5, histogram) == 1.0
    assert prom.quantile(0.75, histogram) == 1.5
    assert prom.quantile(0.25, histogram) == 0.5  # the lowest bucket starts at 0


def test_quantile_in_the_inf_bucket_answers_the_highest_finite_bound() -> None:
    histogram = Histogram(((1.0, 1.0), (math.inf, 10.0)), 10.0, 50.0)
    assert prom.quantile(0.95, histogram) == 1.0


def test_quantile_of_nothing_is_nan() -> None:
    assert math.isnan(prom.quantile(0.95, prom.EMPTY_HISTOGRAM))


@given(st.lists(st.floats(0.001, 70.0), min_size=1, max_size=300), st.sampled_from([0.5, 0.95]))
def test_quantile_lands_in_the_bucket_of_the_true_quantile(values: list[float], q: float) -> None:
    text = exposition(AppLoad(latency={("v", "GET"): values}))
    histogram = prom.parse(text).histograms(rules.LATENCY)[()]
    estimate = prom.quantile(q, histogram)
    ordered = sorted(values)
    true = ordered[max(0, math.ceil(q * len(ordered)) - 1)]
    bounds = [0.0, *(le for le, _ in histogram.buckets)]
    lower = max(b for b in bounds if b < true or b == 0.0)
    upper = min(b for b in bounds if b >= true)
    assert lower - 1e-9 <= estimate <= upper + 1e-9
