"""The web workers' CPU per request (packs 3-4): the measured pain the option asgi-fastpath
answers. The threshold is in `rules_runtime`; the CPU comes from this host's process table."""

from __future__ import annotations

from stackpacks.doctor import checks
from stackpacks.doctor.checks import finding
from stackpacks.doctor.checks_infra import evidence
from stackpacks.doctor.model import Finding
from stackpacks.doctor.rules import REQUESTS, ProbeRule
from stackpacks.doctor.signals import Signals

FASTPATH = "asgi-fastpath"
MIN_REQUESTS = 100


def web_cpu_per_request(rule: ProbeRule, signals: Signals) -> Finding | None:
    """Many milliseconds of web-server CPU per request while the web processes are busy."""
    cpu, app = signals.web_cpu, signals.app
    if FASTPATH in signals.options or cpu is None or app is None or cpu.processes == 0:
        return None
    seconds = signals.window.seconds
    requests = int(checks.total(app.metrics, REQUESTS))
    if seconds <= 0 or requests == 0:
        return None
    per_request = 1000 * cpu.seconds / requests
    cores = min(cpu.processes, signals.host.cpus) if signals.host else cpu.processes
    busy = cpu.seconds / (seconds * cores)
    (busy_threshold,) = rule.extra
    if not (rule.threshold.crossed(per_request) and busy_threshold.crossed(busy)):
        return None
    window = signals.window.describe()
    return finding(
        rule,
        [
            evidence(
                f"web server CPU / requests served ({cpu.seconds:.1f} s of CPU over {requests} "
                f"requests; {cpu.scope})",
                per_request,
                rule.threshold,
                requests,
                MIN_REQUESTS,
                window,
            ),
            evidence(
                f"web server CPU / (window x cores it can use) ({cpu.processes} processes, "
                f"{cores} cores)",
                busy,
                busy_threshold,
                requests,
                MIN_REQUESTS,
                window,
            ),
        ],
    )
