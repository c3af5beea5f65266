"""The numbers a reader takes in at a glance, whatever the verdict: each headline rule's worst
figure against its threshold, and where the app's time goes, view by view. Pure."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from stackpacks.doctor.checks import supported_quantile
from stackpacks.doctor.model import min_samples
from stackpacks.doctor.prom import MetricSet, quantile
from stackpacks.doctor.rules import LATENCY, OPERATIONS, PercentileRule, Rule

TOP_VIEWS = 5
P95 = 0.95


@dataclass(frozen=True)
class Figure:
    """The worst group of a rule with a `glance` name: `p95` of it (p50 with fewer samples)."""

    name: str
    rule: str
    quantile: float
    value: float
    unit: str
    threshold: float
    comparator: str
    n: int
    min_n: int
    group: str  # which view, queue ... it is


@dataclass(frozen=True)
class ViewTime:
    """One view's requests over the window (all methods together)."""

    view: str
    count: int
    p50: float
    p95: float
    total: float  # seconds spent in the view

    @property
    def p95_enough(self) -> bool:
        return self.count >= min_samples(P95)


def figures(rules: Iterable[Rule], metrics: MetricSet) -> tuple[Figure, ...]:
    return tuple(
        figure
        for rule in rules
        if isinstance(rule, PercentileRule) and rule.glance
        if (figure := _worst(rule, metrics)) is not None
    )


def _worst(rule: PercentileRule, metrics: MetricSet) -> Figure | None:
    found = []
    for labels, histogram in metrics.histograms(rule.family, rule.by).items():
        if any(pair in set(labels) for pair in rule.exclude):
            continue
        n = int(histogram.count)
        q = supported_quantile(rule, n)
        value = quantile(q, histogram)
        if not math.isnan(value):
            enough = n >= min_samples(q)
            found.append((enough, value, q, n, " ".join(v for _, v in labels if v)))
    if not found:
        return None
    _, value, q, n, group = max(found)  # supported first, then the highest (pain is above)
    threshold = rule.threshold
    return Figure(
        name=rule.glance,
        rule=rule.id,
        quantile=q,
        value=round(value, 4),
        unit=threshold.unit,
        threshold=threshold.value,
        comparator=threshold.comparator,
        n=n,
        min_n=min_samples(q),
        group=group,
    )


def views(metrics: MetricSet) -> tuple[ViewTime, ...]:
    """Every view, the one that took the most time in total first; p50/p95 estimated from
    its latency histogram."""
    found = [
        ViewTime(
            dict(labels).get("view", "") or "(no view)",
            int(histogram.count),
            round(quantile(0.5, histogram), 4),
            round(quantile(P95, histogram), 4),
            round(histogram.sum, 4),
        )
        for labels, histogram in metrics.histograms(LATENCY, ("view",)).items()
        if histogram.count > 0 and not any(pair in OPERATIONS for pair in labels)
    ]
    found.sort(key=lambda v: (-v.total, v.view))
    return tuple(found)
