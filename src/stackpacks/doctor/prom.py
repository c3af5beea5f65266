"""Prometheus exposition text as data: parse, subtract two scrapes, histogram quantiles.

A scrape becomes a `MetricSet`: family name -> series, each series a label set and either a
number (counter, gauge) or a `Histogram`. Two scrapes give a window: counters and histograms
are subtracted, gauges keep the later value. `quantile` interpolates linearly inside a bucket,
the way PromQL's histogram_quantile() does.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from prometheus_client.parser import text_string_to_metric_families

from stackpacks import errors

Labels = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Histogram:
    """Cumulative buckets as (upper bound, count), ending with +Inf; count and sum of values."""

    buckets: tuple[tuple[float, float], ...]
    count: float
    sum: float

    def minus(self, earlier: Histogram) -> Histogram:
        before = dict(earlier.buckets)
        return Histogram(
            tuple((le, max(0.0, n - before.get(le, 0.0))) for le, n in self.buckets),
            max(0.0, self.count - earlier.count),
            max(0.0, self.sum - earlier.sum),
        )

    def plus(self, other: Histogram) -> Histogram:
        theirs = dict(other.buckets)
        bounds = sorted({le for le, _ in self.buckets} | set(theirs))
        mine = dict(self.buckets)
        return Histogram(
            tuple((le, mine.get(le, 0.0) + theirs.get(le, 0.0)) for le in bounds),
            self.count + other.count,
            self.sum + other.sum,
        )

    def above(self, bound: float) -> float:
        """How many observations were greater than `bound` (which should be a bucket bound)."""
        at_or_below = max((n for le, n in self.buckets if le <= bound), default=0.0)
        return max(0.0, self.count - at_or_below)


EMPTY_HISTOGRAM = Histogram(((math.inf, 0.0),), 0.0, 0.0)


@dataclass(frozen=True)
class Series:
    labels: Labels
    value: float | Histogram

    def label(self, name: str) -> str:
        return dict(self.labels).get(name, "")


@dataclass(frozen=True)
class MetricSet:
    kinds: Mapping[str, str]
    series: Mapping[str, tuple[Series, ...]]

    def get(self, family: str) -> tuple[Series, ...]:
        return self.series.get(family, ())

    def histograms(self, family: str, by: tuple[str, ...] = ()) -> dict[Labels, Histogram]:
        """The family's histograms added up per value of the `by` labels."""
        groups: dict[Labels, Histogram] = {}
        for item in self.get(family):
            if isinstance(item.value, Histogram):
                key = tuple((name, item.label(name)) for name in by)
                groups[key] = groups.get(key, EMPTY_HISTOGRAM).plus(item.value)
        return groups

    def totals(self, family: str, by: tuple[str, ...] = ()) -> dict[Labels, float]:
        """The family's counter or gauge values added up per value of the `by` labels."""
        groups: dict[Labels, float] = {}
        for item in self.get(family):
            if not isinstance(item.value, Histogram):
                key = tuple((name, item.label(name)) for name in by)
                groups[key] = groups.get(key, 0.0) + item.value
        return groups


def parse(text: str) -> MetricSet:
    """Exposition text -> MetricSet. Malformed text raises MetricsUnreadable."""
    kinds: dict[str, str] = {}
    series: dict[str, tuple[Series, ...]] = {}
    try:
        for family in text_string_to_metric_families(text):
            kinds[family.name] = family.type
            series[family.name] = tuple(_family_series(family.name, family.type, family.samples))
    except ValueError as exc:
        raise errors.MetricsUnreadable(
            f"the metrics endpoint did not answer Prometheus text ({exc})",
            "check --url points at the app and that the token is right",
        ) from exc
    return MetricSet(kinds, series)


def _family_series(name: str, kind: str, samples: Iterable[object]) -> list[Series]:
    plain: dict[Labels, float] = {}
    parts: dict[Labels, dict[str, object]] = {}
    for sample in samples:
        sample_name: str = sample.name  # type: ignore[attr-defined]
        labels: dict[str, str] = dict(sample.labels)  # type: ignore[attr-defined]
        value = float(sample.value)  # type: ignore[attr-defined]
        if kind in ("histogram", "gaugehistogram"):
            _add_histogram_sample(parts, name, sample_name, labels, value)
        elif sample_name in (name, f"{name}_total"):
            plain[_key(labels)] = value
    if parts:
        return [Series(key, _histogram(part)) for key, part in sorted(parts.items())]
    return [Series(key, value) for key, value in sorted(plain.items())]


def _add_histogram_sample(
    parts: dict[Labels, dict[str, object]],
    name: str,
    sample_name: str,
    labels: dict[str, str],
    value: float,
) -> None:
    bound = labels.pop("le", None)
    part = parts.setdefault(_key(labels), {"buckets": {}, "count": 0.0, "sum": 0.0})
    if sample_name == f"{name}_bucket" and bound is not None:
        buckets = part["buckets"]
        assert isinstance(buckets, dict)
        buckets[float(bound)] = value
    elif sample_name in (f"{name}_count", f"{name}_gcount"):
        part["count"] = value
    elif sample_name in (f"{name}_sum", f"{name}_gsum"):
        part["sum"] = value


def _histogram(part: Mapping[str, object]) -> Histogram:
    buckets = part["buckets"]
    count, total = part["count"], part["sum"]
    assert isinstance(buckets, dict) and isinstance(count, float) and isinstance(total, float)
    return Histogram(tuple(sorted(buckets.items())), count, total)


def _key(labels: Mapping[str, str]) -> Labels:
    return tuple(sorted(labels.items()))


def window(before: MetricSet, after: MetricSet) -> MetricSet:
    """What happened between two scrapes: counters and histograms subtracted, gauges as after.

    A series that went backwards (the app restarted, a worker was recycled) keeps its later
    value, as Prometheus's rate() treats a counter reset.
    """
    series: dict[str, tuple[Series, ...]] = {}
    for family, items in after.series.items():
        if after.kinds.get(family) == "gauge":
            series[family] = items
            continue
        earlier = {item.labels: item.value for item in before.get(family)}
        series[family] = tuple(_difference(item, earlier.get(item.labels)) for item in items)
    return MetricSet(after.kinds, series)


def _difference(item: Series, earlier: float | Histogram | None) -> Series:
    if earlier is None:
        return item
    if isinstance(item.value, Histogram) and isinstance(earlier, Histogram):
        reset = item.value.count < earlier.count
        return item if reset else Series(item.labels, item.value.minus(earlier))
    if isinstance(item.value, float) and isinstance(earlier, float):
        return item if item.value < earlier else Series(item.labels, item.value - earlier)
    return item


def quantile(q: float, histogram: Histogram) -> float:
    """The q-quantile of the observations, as PromQL's histogram_quantile() estimates it.

    Linear interpolation inside the bucket holding the rank; the lowest bucket starts at 0;
    a rank in the +Inf bucket answers the highest finite bound. NaN when there is no sample.
    """
    buckets = [(le, n) for le, n in histogram.buckets]
    total = buckets[-1][1] if buckets else 0.0
    if total <= 0 or not buckets or buckets[-1][0] != math.inf:
        return math.nan
    rank = q * total
    lower, below = 0.0, 0.0
    for upper, count in buckets:
        if count >= rank:
            if upper == math.inf:
                return lower
            if count == below:
                return upper
            return lower + (upper - lower) * (rank - below) / (count - below)
        lower, below = upper, count
    return lower


def share(part: float, whole: float) -> float:
    return part / whole if whole > 0 else 0.0


Reducer = Callable[[MetricSet], float]
