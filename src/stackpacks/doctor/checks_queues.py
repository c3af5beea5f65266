"""Checks of packs 2+ over the job queue: is it used at all, and does exactly one scheduler run."""

from __future__ import annotations

import math
from dataclasses import replace

from stackpacks.doctor.checks import finding, total
from stackpacks.doctor.checks_infra import evidence
from stackpacks.doctor.model import Evidence, Finding, Threshold
from stackpacks.doctor.probe_processes import WORKER, kind_of
from stackpacks.doctor.rules import BEAT_ENTRIES, Measure, ProbeRule
from stackpacks.doctor.signals import Signals

# Scheduled by every pack-2 app, used or not: Beat's result cleanup and the receipts' expiry.
HOUSEKEEPING = frozenset({"celery.backend_cleanup", "jobs.expire_receipts"})
DAY_HOURS = 24


def _scheduled(signals: Signals) -> int | None:
    """Scheduled jobs besides housekeeping: the schedule table, else the app's gauge."""
    jobs = signals.postgres.jobs if signals.postgres else None
    if jobs is not None and jobs.scheduled_entries is not None:
        return jobs.scheduled_entries
    if signals.app is not None and signals.app.since_start.get(BEAT_ENTRIES):
        return int(total(signals.app.since_start, Measure(BEAT_ENTRIES)))
    return None


def _rates(rule: ProbeRule, signals: Signals) -> list[Evidence]:
    """Jobs per hour as each source sees it: the receipts of the last day, each worker's
    tasks since it started."""
    found = []
    jobs = signals.postgres.jobs if signals.postgres else None
    if jobs is not None and jobs.installed_hours > 0:
        hours = min(jobs.installed_hours, DAY_HOURS)
        signal = (
            f"job receipts created per hour over the last {hours:.3g} h "
            f"({jobs.jobs_last_day} jobs; the queue was installed {jobs.installed_hours:.3g} h ago)"
        )
        window = "the last day, from jobs_jobreceipt in PostgreSQL"
        found.append(_rate(signal, jobs.jobs_last_day / hours, hours, rule.threshold, window))
    for worker in signals.celery.workers if signals.celery else ():
        if worker.uptime <= 0:
            continue
        hours = worker.uptime / 3600
        tasks = worker.tasks(HOUSEKEEPING)
        signal = f"tasks per hour of Celery worker {worker.name} ({tasks} since it started)"
        window = f"{hours:.3g} h since the worker started (inspect stats)"
        found.append(_rate(signal, tasks / hours, hours, rule.threshold, window))
    return found


def _rate(signal: str, rate: float, hours: float, threshold: Threshold, window: str) -> Evidence:
    return evidence(signal, rate, threshold, math.floor(hours), DAY_HOURS, window)


def queue_idle(rule: ProbeRule, signals: Signals) -> Finding | None:
    """Idle only if nothing is scheduled and every source with enough evidence agrees (or, when
    none has enough, every source): one busy source is use. The finding shows each source
    that saw idleness, a short-lived one too, with its sample size."""
    if _scheduled(signals):
        return None
    rates = _rates(rule, signals)
    decisive = [item for item in rates if item.enough] or rates
    if not rates or any(not rule.threshold.crossed(item.value) for item in decisive):
        return None
    idle = [item for item in rates if rule.threshold.crossed(item.value)]
    found = finding(rule, idle)
    return replace(found, evidence=tuple(idle), count=len(idle)) if found else None


def _running(signals: Signals) -> tuple[list[str], int, str]:
    """Schedulers seen (processes under the project, running containers of its compose
    project), queue workers seen beside them, and where doctor looked."""
    names, workers, scopes = [], 0, []
    if signals.schedulers is not None:
        names += [f"{s.kind} (pid {s.pid})" for s in signals.schedulers.found]
        workers += signals.schedulers.workers
        scopes.append(signals.schedulers.scope)
    if signals.docker is not None and signals.docker.project:  # another app's are not ours
        running = [c for c in signals.docker.containers if c.status == "running"]
        kinds = [(c.name, kind_of(list(c.command))) for c in running]
        names += [f"{kind} (container {name})" for name, kind in kinds if kind not in ("", WORKER)]
        workers += sum(1 for _, kind in kinds if kind == WORKER)
        scopes.append(f"running containers of compose project {signals.docker.project}")
    return names, workers, " and ".join(scopes)


def _schedulers_evidence(rule: ProbeRule, signals: Signals) -> tuple[Evidence | None, int]:
    names, workers, scope = _running(signals)
    if not scope:
        return None, 0
    signal = f"schedulers running: {', '.join(names) or 'none'}; {workers} queue workers"
    return evidence(signal, len(names), rule.threshold, 1, 1, scope), workers


def schedulers_duplicated(rule: ProbeRule, signals: Signals) -> Finding | None:
    item, _ = _schedulers_evidence(rule, signals)
    if item is None or not rule.threshold.crossed(item.value):
        return None
    return finding(rule, [item])


def schedulers_missing(rule: ProbeRule, signals: Signals) -> Finding | None:
    """No scheduler beside running workers. Without workers in sight, the app runs elsewhere
    (another host), and no local process or container proves anything."""
    item, workers = _schedulers_evidence(rule, signals)
    if item is None or not workers or not rule.threshold.crossed(item.value):
        return None
    return finding(rule, [item])
