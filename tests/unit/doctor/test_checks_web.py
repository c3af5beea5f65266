"""web-cpu-per-request: web-server CPU per request while the web processes are busy (packs 3-4)."""

from __future__ import annotations

from stackpacks.doctor import recommend as rec
from stackpacks.doctor.model import Direction, Severity
from stackpacks.doctor.signals import HostSignals, WebCPU
from tests.unit.doctor.support import WINDOW, app_signals, steady

REQUESTS = 300  # steady()'s, over WINDOW's 10 s
HOST = HostSignals(cpus=2, load=(1.0, 1.0, 1.0), memory_total=8 << 30, memory_available=4 << 30)


def advise(cpu_seconds: float, pack: int = 3, **extra: object) -> rec.Recommendation:
    cpu = WebCPU(cpu_seconds, processes=3, scope="web server processes under /srv/app")
    signals = app_signals(steady(n=REQUESTS), pack=pack, web_cpu=cpu, host=HOST, **extra)
    return rec.recommend(signals)


def found(advice: rec.Recommendation) -> rec.Finding | None:
    return next((f for f in advice.findings if f.rule == "web-cpu-per-request"), None)


def test_busy_workers_spending_much_cpu_per_request_point_to_the_fast_path() -> None:
    advice = advise(cpu_seconds=12.0)  # 40 ms per request, 60 % of 2 cores
    finding = found(advice)
    assert finding is not None and finding.severity is Severity.FIX
    per_request, busy = finding.evidence
    assert per_request.value == 40.0 and per_request.threshold == 5.0
    assert busy.value == 0.6
    assert any("--with asgi-fastpath" in step for step in finding.next_steps)
    assert advice.direction is Direction.STAY  # a tuning inside the pack, not a move


def test_much_cpu_per_request_on_idle_workers_is_no_pain() -> None:
    assert WINDOW.seconds == 10.0
    assert found(advise(cpu_seconds=4.0)) is None  # 13 ms per request, but 20 % busy


def test_little_cpu_per_request_is_fine_however_busy() -> None:
    assert found(advise(cpu_seconds=1.2)) is None  # 4 ms per request


def test_a_project_with_the_fast_path_is_not_told_to_add_it() -> None:
    assert found(advise(cpu_seconds=12.0, options=("asgi-fastpath",))) is None


def test_sync_packs_are_not_judged_by_it() -> None:
    assert found(advise(cpu_seconds=12.0, pack=1)) is None
