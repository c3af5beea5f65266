"""Doctor's report at a glance, rendered at 80 columns: the headline with its numbers, evidence
rows that do not wrap, the views that took the most time."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len
from rich.console import Console

from stackpacks.cli import present_doctor
from stackpacks.doctor import glance
from stackpacks.doctor import recommend as rec
from stackpacks.doctor.report import Report, summarize
from stackpacks.doctor.signals import Skip
from tests.unit.doctor.exposition import AppLoad
from tests.unit.doctor.support import app_signals

WIDTH = 80
BUSY = AppLoad(
    latency={
        ("report-list", "POST"): [2.4] * 240,
        **{(f"view-{i}", "GET"): [0.05 * i] * (30 * i) for i in range(1, 7)},
    },
    queries={"report-list": [30] * 240},
)
CALM = AppLoad(latency={("report-list", "GET"): [0.18] * 300}, job_wait={"default": [0.4] * 300})


def render(load: AppLoad, pack: int = 1) -> list[str]:
    signals = app_signals(load, pack=pack)
    assert signals.app is not None
    views = glance.views(signals.app.metrics)
    report = Report(
        "2026-01-01T00:00:00+00:00",
        "/somewhere/shop",
        "http://app.test",
        signals.window,
        300,
        ("app", "host"),
        (Skip("postgres", "no --database-url given and no DATABASE_URL in the project's .env"),),
        summarize(signals),
        rec.recommend(signals),
        glance.figures(rec.RULES, signals.app.metrics),
        views[: glance.TOP_VIEWS],
        len(views),
    )
    out = io.StringIO()
    console = Console(width=WIDTH, file=out, highlight=False, color_system=None)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(present_doctor, "console", console)
        present_doctor.doctor_report(report, as_json=False)
    return [line.rstrip() for line in out.getvalue().splitlines()]


@pytest.mark.parametrize(("load", "pack"), [(BUSY, 1), (CALM, 2)], ids=["up", "stay"])
def test_no_line_is_wider_than_80_columns(load: AppLoad, pack: int) -> None:
    lines = render(load, pack)
    assert max(cell_len(line) for line in lines) <= WIDTH


def test_the_headline_is_the_verdict_with_its_numbers() -> None:
    lines = render(BUSY)
    assert lines[0] == "UP pack 1 → 2: move to pack 2: users wait on slow views"
    figures = " ".join(lines[1:3])
    assert "slowest view report-list POST p95 2.42 s (threshold 1 s)" in figures


def test_a_stay_verdict_shows_the_numbers_behind_it() -> None:
    headline = " ".join(render(CALM, pack=2)[:2])
    assert headline.startswith("STAY at pack 2: slowest view report-list GET p95 242 ms")
    assert "(threshold 1 s), queue wait default p95 488 ms (threshold 10 s)" in headline


def test_each_piece_of_evidence_is_one_row_with_detail_under_it() -> None:
    lines = render(BUSY)
    assert "  value   threshold  n (needed)  signal" in lines
    assert "  2.42 s  > 1 s      240 (200)   p95 report-list POST" in lines
    assert "  window: a 10 s window (two scrapes)" in lines
    assert any(line.startswith("  source: 1 s is the limit") for line in lines)


def test_the_breakdown_lists_the_top_five_views_by_total_time() -> None:
    lines = render(BUSY)
    start = lines.index("Time by view (top 5 of 7)")
    assert lines[start + 1].split() == ["view", "count", "p50", "p95", "total"]
    rows = [line.split()[0] for line in lines[start + 2 : start + 7]]
    assert rows == ["report-list", "view-6", "view-5", "view-4", "view-3"]
    assert lines[start + 2].split() == ["report-list", "240", "1.75", "s", "2.42", "s", "576", "s"]
    assert "* p95 of fewer than 200 requests: a rough figure" in lines[start + 7]


def test_the_saved_report_is_named_relative_to_the_project() -> None:
    assert render(CALM, pack=2)[-1] == "Saved to .stackpacks/local/doctor.json"
