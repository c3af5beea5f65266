"""Signals -> Recommendation. Pure: the same signals and silences give the same advice.

The verdict is the lowest pack that removes every measured pain: the highest pack among the
"act" findings. Without such pain, an "idle" finding (a capability installed but unused)
points down; otherwise the app stays where it is, provided enough traffic was seen to say so.
Findings whose pack is already installed become fixes: use what is there.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from stackpacks.doctor import checks, checks_front, checks_infra, checks_queues, checks_web
from stackpacks.doctor.model import Direction, Finding, Recommendation, Severity, min_samples
from stackpacks.doctor.prom import MetricSet
from stackpacks.doctor.rules import APP_RULES, REQUESTS, ProbeRule, Rule
from stackpacks.doctor.rules_infra import INFRA_RULES
from stackpacks.doctor.rules_runtime import RUNTIME_RULES
from stackpacks.doctor.signals import Signals

RULES: tuple[Rule, ...] = APP_RULES + INFRA_RULES + RUNTIME_RULES
CHECKS = {
    **checks_infra.CHECKS,
    **checks_front.CHECKS,
    **{
        check.__name__: check
        for check in (
            checks_queues.queue_idle,
            checks_queues.schedulers_duplicated,
            checks_queues.schedulers_missing,
            checks_web.web_cpu_per_request,
        )
    },
}
MIN_TRAFFIC = min_samples(0.95)  # requests before "stay" is a verdict rather than a guess
ORDER = {Severity.ACT: 0, Severity.IDLE: 1, Severity.FIX: 2, Severity.INSUFFICIENT: 3}


def recommend(
    signals: Signals,
    silences: Mapping[str, str] | None = None,
    rules: Iterable[Rule] = RULES,
) -> Recommendation:
    silences = silences or {}
    found = [f for rule in rules if signals.pack in rule.packs if (f := _run(rule, signals))]
    found = [_installed(f, signals.pack) for f in found]
    found = [replace(f, silenced=silences[f.rule]) if f.rule in silences else f for f in found]
    found.sort(key=lambda f: (bool(f.silenced), ORDER[f.severity], f.rule))
    active = [f for f in found if not f.silenced]
    pack, direction, summary = _verdict(signals, active)
    return Recommendation(signals.pack, pack, direction, summary, tuple(found))


def _run(rule: Rule, signals: Signals) -> Finding | None:
    if isinstance(rule, ProbeRule):
        return CHECKS[rule.check](rule, signals)
    if signals.app is None:
        return None
    return checks.evaluate(rule, signals.app, signals.window)


def _installed(found: Finding, current: int) -> Finding:
    """Pain that a pack already installed removes: a fix (use it), not a move."""
    if found.severity is not Severity.ACT or found.move is None or found.move.pack > current:
        return found
    step = f"pack {found.move.pack} is installed: use it here"
    kept = tuple(s for s in found.next_steps if "stackpacks upgrade" not in s)
    return replace(found, severity=Severity.FIX, next_steps=(step, *kept))


def _verdict(signals: Signals, active: list[Finding]) -> tuple[int, Direction, str]:
    current = signals.pack
    acts = [f for f in active if f.severity is Severity.ACT and f.move is not None]
    if acts:
        pack = max(f.move.pack for f in acts if f.move is not None)
        reasons = "; ".join(f.title for f in acts)
        return pack, Direction.UP, f"move to pack {pack}: {reasons}"
    idle = [f for f in active if f.severity is Severity.IDLE and f.move is not None]
    if idle:
        pack = min(f.move.pack for f in idle if f.move is not None)
        return pack, Direction.DOWN, f"jumped ahead: {idle[0].title}; pack {pack} would do"
    missing = _missing_evidence(signals)
    if missing:
        return current, Direction.UNKNOWN, f"not enough evidence: {missing}"
    fixes = sum(1 for f in active if f.severity is Severity.FIX)
    tail = f", with {fixes} smaller fix{'es' if fixes != 1 else ''} to make" if fixes else ""
    return current, Direction.STAY, f"pack {current} is right for what was measured{tail}"


def _missing_evidence(signals: Signals) -> str:
    if signals.app is None:
        reason = next((s.reason for s in signals.skipped if s.probe == "app"), "not measured")
        return f"the app's signals could not be read ({reason})"
    seen = int(checks.total(signals.app.metrics, REQUESTS))
    if seen < MIN_TRAFFIC:
        return (
            f"{seen} requests in {signals.window.describe()}, {MIN_TRAFFIC} needed "
            "(a p95 needs n >= 10/(1-p)); measure a busier period or a longer --window"
        )
    return ""


def requests_seen(metrics: MetricSet) -> int:
    return int(checks.total(metrics, REQUESTS))
