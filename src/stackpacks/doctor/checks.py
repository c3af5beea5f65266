"""Evaluate the metric rules of `rules` against the app's signals. Pure."""

from __future__ import annotations

import math

from stackpacks.doctor.model import (
    CLOUDWATCH,
    Evidence,
    Finding,
    Severity,
    min_samples,
)
from stackpacks.doctor.prom import Histogram, Labels, MetricSet, Series, quantile, share
from stackpacks.doctor.rules import (
    CountRule,
    Measure,
    PercentileRule,
    Rule,
    ShareRule,
)
from stackpacks.doctor.signals import AppSignals, Window


def evaluate(rule: Rule, app: AppSignals, window: Window) -> Finding | None:
    if isinstance(rule, PercentileRule):
        return percentile_finding(rule, app.metrics, window)
    if isinstance(rule, ShareRule):
        return share_finding(rule, app.metrics, window)
    if isinstance(rule, CountRule):
        return count_finding(rule, app.metrics, window)
    return None


def finding(rule: Rule, evidence: list[Evidence], **values: str) -> Finding | None:
    """The rule's finding from its evidence: pain where enough samples show it, else
    'not enough evidence' where only too few samples do, else nothing."""
    if not evidence:
        return None
    enough = [item for item in evidence if item.enough]
    severity = rule.severity if enough else Severity.INSUFFICIENT
    shown = enough or evidence
    return Finding(
        rule=rule.id,
        title=rule.title,
        severity=severity,
        move=rule.move,
        count=len(shown),
        evidence=tuple(shown),
        next_steps=tuple(_fill(step, rule, values) for step in rule.next_steps),
    )


def _fill(step: str, rule: Rule, values: dict[str, str]) -> str:
    command = rule.move.command() if rule.move else ""
    known = {"command": command, **values}
    for name, value in known.items():
        step = step.replace("{" + name + "}", value)
    return step


def _matches(labels: Labels, measure: Measure) -> bool:
    have = set(labels)
    if any(pair not in have for pair in measure.where):
        return False
    return not any(pair in have for pair in measure.exclude)


def total(metrics: MetricSet, measure: Measure) -> float:
    chosen = [
        _stat(item, measure)
        for item in metrics.get(measure.family)
        if _matches(item.labels, measure)
    ]
    if measure.stat == "max":
        return max(chosen, default=0.0)
    return sum(chosen)


def _stat(item: Series, measure: Measure) -> float:
    value = item.value
    if not isinstance(value, Histogram):
        return value
    if measure.stat == "count":
        return value.count
    if measure.stat == "sum":
        return value.sum
    if measure.stat == "above":
        return value.above(measure.bound)
    return value.count


def describe(family: str, labels: Labels) -> str:
    inner = ",".join(f'{name}="{value}"' for name, value in labels if value)
    return f"{family}{{{inner}}}" if inner else family


def percentile_finding(rule: PercentileRule, metrics: MetricSet, window: Window) -> Finding | None:
    found: list[tuple[Evidence, Labels]] = []
    for labels, histogram in metrics.histograms(rule.family, rule.by).items():
        if any(pair in set(labels) for pair in rule.exclude):
            continue
        item = _percentile_evidence(rule, labels, histogram, window)
        if item is not None:
            found.append((item, labels))
    found.sort(key=lambda pair: (not pair[0].enough, -pair[0].value))
    worst = dict(found[0][1]) if found else {}
    return finding(rule, [item for item, _ in found], **worst)


def supported_quantile(rule: PercentileRule, n: int) -> float:
    """The highest of the rule's quantiles n samples support (else the lowest, short of n)."""
    supported = [q for q in rule.quantiles if n >= min_samples(q)]
    return supported[0] if supported else min(rule.quantiles)


def _percentile_evidence(
    rule: PercentileRule, labels: Labels, histogram: Histogram, window: Window
) -> Evidence | None:
    n = int(histogram.count)
    q = supported_quantile(rule, n)
    value = quantile(q, histogram)
    if math.isnan(value) or not rule.threshold.crossed(value):
        return None
    return Evidence(
        signal=f"p{round(q * 100)} of {describe(rule.family, labels)}",
        value=round(value, 4),
        unit=rule.threshold.unit,
        threshold=rule.threshold.value,
        comparator=rule.threshold.comparator,
        source=f"{rule.threshold.source}; {CLOUDWATCH}",
        n=n,
        min_n=min_samples(q),
        window=window.describe(),
    )


def share_finding(rule: ShareRule, metrics: MetricSet, window: Window) -> Finding | None:
    part, whole = total(metrics, rule.part), total(metrics, rule.whole)
    n = int(total(metrics, rule.samples))
    value = share(part, whole)
    if n == 0 or not rule.threshold.crossed(value):
        return None
    evidence = Evidence(
        signal=f"{describe(rule.part.family, rule.part.where)} / {rule.whole.family}",
        value=round(value, 4),
        unit=rule.threshold.unit,
        threshold=rule.threshold.value,
        comparator=rule.threshold.comparator,
        source=f"{rule.threshold.source}; minimum sample: {rule.min_source}",
        n=n,
        min_n=rule.min_n,
        window=window.describe(),
    )
    return finding(rule, [evidence])


def count_finding(rule: CountRule, metrics: MetricSet, window: Window) -> Finding | None:
    count = total(metrics, rule.measure)
    if not rule.threshold.crossed(count):
        return None
    signal = f"{rule.measure.family} observations > {rule.measure.bound:g} s"
    evidence = Evidence(
        signal=signal,
        value=count,
        unit=rule.threshold.unit,
        threshold=rule.threshold.value,
        comparator=rule.threshold.comparator,
        source=rule.threshold.source,
        n=int(count),
        min_n=0,
        window=window.describe(),
    )
    return finding(rule, [evidence])
