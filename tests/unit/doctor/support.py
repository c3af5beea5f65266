"""Signals built from real exposition text, so rules are tested on what the app exports."""

from __future__ import annotations

from stackpacks.doctor import prom
from stackpacks.doctor.signals import AppSignals, Signals, Window
from tests.unit.doctor.exposition import AppLoad, exposition

WINDOW = Window(10.0, False)


def app_signals(load: AppLoad, pack: int = 1, **probes: object) -> Signals:
    """Signals whose window holds exactly `load` (an empty scrape, then one after the load)."""
    before = prom.parse(exposition(AppLoad()))
    after = prom.parse(exposition(load))
    app = AppSignals("http://app.test", prom.window(before, after), after)
    return Signals(pack=pack, pack_known=True, window=WINDOW, app=app, **probes)  # type: ignore[arg-type]


def steady(view: str = "report-list", seconds: float = 0.05, n: int = 300) -> AppLoad:
    return AppLoad(latency={(view, "GET"): [seconds] * n})


class FakeClock:
    """collect.Runtime's clock: sleeping moves it on at once and is recorded."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
