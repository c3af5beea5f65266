"""The probes against a loopback app: two scrapes make a window; failures become skips."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from stackpacks import errors
from stackpacks.doctor import rules
from stackpacks.doctor.collect import Runtime, Targets, collect
from tests.unit.doctor.exposition import AppLoad, exposition
from tests.unit.doctor.fake_app import TOKEN, serve
from tests.unit.doctor.support import FakeClock


def targets(url: str | None, window: float = 3.0, token: str = TOKEN) -> Targets:
    return Targets(url, token, None, None, window, 1, False, disk_paths=(Path("/"),))


def test_two_scrapes_a_window_apart_give_their_difference() -> None:
    first = exposition(AppLoad(latency={("v", "GET"): [0.1] * 10}))
    second = exposition(AppLoad(latency={("v", "GET"): [0.1] * 25}))
    clock = FakeClock()
    with serve(first, second) as url:
        signals = collect(targets(url), Runtime(clock.monotonic, clock.sleep))
    assert signals.app is not None and not signals.window.cumulative
    assert signals.app.metrics.histograms(rules.LATENCY)[()].count == 15
    assert signals.app.since_start.histograms(rules.LATENCY)[()].count == 25
    assert sum(clock.slept) == 3.0 and max(clock.slept) <= 1.0


def test_window_zero_reads_one_scrape_since_start() -> None:
    with serve(exposition(AppLoad(latency={("v", "GET"): [0.1] * 10}))) as url:
        signals = collect(targets(url, window=0))
    assert signals.window.cumulative and "since the app started" in signals.window.describe()
    assert signals.app is not None
    assert signals.app.metrics.histograms(rules.LATENCY)[()].count == 10


def test_a_wrong_token_is_skipped_with_the_reason() -> None:
    with serve("") as url:
        signals = collect(targets(url, window=0, token="wrong"))
    assert signals.app is None
    reasons = {s.probe: s.reason for s in signals.skipped}
    assert "404" in reasons["app"] and "--token" in reasons["app"]


def test_an_unreachable_database_and_redis_are_skipped_not_fatal() -> None:
    from tests.templates.harness import free_port

    port = free_port()
    with serve(exposition(AppLoad())) as url:
        wanted = Targets(
            url,
            TOKEN,
            f"postgres://nobody@127.0.0.1:{port}/none",
            f"redis://127.0.0.1:{port}/0",
            0,
            1,
            False,
        )
        signals = collect(wanted)
    skipped = {s.probe for s in signals.skipped}
    assert {"postgres", "redis"} <= skipped and signals.app is not None
    assert signals.host is not None  # /proc is always there on Linux


def test_an_app_nobody_listens_for_fails_before_the_window() -> None:
    from tests.templates.harness import free_port

    url = f"http://127.0.0.1:{free_port()}"
    clock = FakeClock()
    with pytest.raises(errors.AppNotAnswering) as raised:
        collect(targets(url, window=600), Runtime(clock.monotonic, clock.sleep))
    assert raised.value.exit_code == errors.ExitCode.NOT_MEASURED
    assert str(raised.value) == f"nothing answers at {url}: start the app (make up) or pass --url"
    assert clock.slept == []  # the 600 s window was never waited


def test_an_app_that_stops_during_the_window_is_skipped_not_fatal() -> None:
    with contextlib.ExitStack() as running:
        url = running.enter_context(serve(exposition(AppLoad())))
        clock = FakeClock()

        def stop_the_app(seconds: float) -> None:
            running.close()
            clock.sleep(seconds)

        signals = collect(targets(url, window=1), Runtime(clock.monotonic, stop_the_app))
    reasons = {s.probe: s.reason for s in signals.skipped}
    assert signals.app is None and "nothing answers" in reasons["app"]


def test_missing_targets_say_why() -> None:
    signals = collect(targets(None, window=0))
    reasons = {s.probe: s.reason for s in signals.skipped}
    assert "no --url" in reasons["app"] and "DATABASE_URL" in reasons["postgres"]
    assert "REDIS_URL" in reasons["redis"] and "docker" in reasons


def test_outside_a_project_the_pack_is_read_from_the_metrics_it_exports() -> None:
    load = AppLoad(latency={("v", "GET"): [0.1] * 10}, beat_entries=0)
    with serve(exposition(load)) as url:
        signals = collect(targets(url, window=0))
    assert (signals.pack, signals.pack_known) == (2, False)
    assert signals.pack_source == "inferred: the app exports stackpacks_beat_schedule_entries"


PACK_INFO = """# HELP stackpacks_pack_info The stackpacks pack, queue and options.
# TYPE stackpacks_pack_info gauge
stackpacks_pack_info{options="",pack="4",queue="db"} 1.0
"""


def test_outside_a_project_the_app_says_its_pack_before_any_inference() -> None:
    load = AppLoad(latency={("v", "GET"): [0.1] * 10}, beat_entries=0)  # pack 2's marker too
    with serve(exposition(load) + PACK_INFO) as url:
        signals = collect(targets(url, window=0))
    assert (signals.pack, signals.pack_known) == (4, False)
    assert signals.pack_source == "the app's stackpacks_pack_info (queue db, options -)"


def test_a_pack_info_without_a_pack_number_is_not_believed() -> None:
    unreadable = PACK_INFO.replace('pack="4"', 'pack=""')
    load = AppLoad(latency={("v", "GET"): [0.1] * 10}, beat_entries=0)
    with serve(exposition(load) + unreadable) as url:
        signals = collect(targets(url, window=0))
    assert signals.pack == 2 and signals.pack_source.startswith("inferred")


def test_outside_a_project_without_later_metrics_pack_1_is_assumed() -> None:
    with serve(exposition(AppLoad(latency={("v", "GET"): [0.1] * 10}))) as url:
        signals = collect(targets(url, window=0))
    assert signals.pack == 1 and signals.pack_source.startswith("assumed")
