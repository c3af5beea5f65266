"""The vocabulary of doctor's advice: thresholds with sources, moves, findings with evidence."""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

CLOUDWATCH = (
    "a percentile needs n >= 10/(1-p) samples (AWS CloudWatch, "
    "https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/"
    "percentiles-with-low-samples.html)"
)


def min_samples(q: float) -> int:
    """Samples a q-percentile needs before it means anything: 10/(1-q) (20 for p50, 200 for p95)."""
    return math.ceil(round(10 / (1 - q), 6)) if q >= 0.5 else math.ceil(round(10 / q, 6))


class Severity(StrEnum):
    ACT = "act"  # measured pain that a higher pack removes
    IDLE = "idle"  # a capability of the current pack is installed but unused: jumped ahead
    FIX = "fix"  # measured pain with a smaller fix that avoids (or comes before) a pack
    INSUFFICIENT = "insufficient"  # looks like pain, but too few samples to say


class Direction(StrEnum):
    UP = "up"
    STAY = "stay"
    DOWN = "down"
    UNKNOWN = "not enough evidence"


@dataclass(frozen=True)
class Threshold:
    """A limit and where it comes from. `source` says "proposed by stackpacks" when no
    authoritative figure was found."""

    value: float
    unit: str
    source: str
    above: bool = True  # the pain is a value above the limit (False: below it)

    @property
    def comparator(self) -> str:
        return ">" if self.above else "<"

    def crossed(self, value: float) -> bool:
        return value > self.value if self.above else value < self.value


@dataclass(frozen=True)
class Move:
    """Where a finding points: a pack, and for pack 6 the option."""

    pack: int
    option: str = ""

    def command(self) -> str:
        suffix = f" --with {self.option}" if self.option else ""
        return f"stackpacks upgrade --to {self.pack}{suffix}"


@dataclass(frozen=True)
class Evidence:
    signal: str
    value: float
    unit: str
    threshold: float
    comparator: str
    source: str
    n: int  # sample size behind the value
    min_n: int  # sample size the rule needs
    window: str

    @property
    def enough(self) -> bool:
        return self.n >= self.min_n


@dataclass(frozen=True)
class Finding:
    rule: str
    title: str
    severity: Severity
    move: Move | None
    count: int  # how many views, tables, queues ... show it
    evidence: tuple[Evidence, ...]
    next_steps: tuple[str, ...]
    silenced: str = ""  # the reason recorded in .stackpacks/doctor.yml, when silenced


@dataclass(frozen=True)
class Recommendation:
    current: int
    pack: int
    direction: Direction
    summary: str
    findings: tuple[Finding, ...]
