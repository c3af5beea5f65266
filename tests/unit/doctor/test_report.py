"""The report as data: JSON without NaN, exit codes, silences with reasons, the saved copy."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from stackpacks import errors
from stackpacks.doctor import recommend as rec
from stackpacks.doctor.model import Direction
from stackpacks.doctor.report import Report, cite, load_silences, save, summarize
from tests.unit.doctor.exposition import AppLoad
from tests.unit.doctor.support import app_signals, steady

KNOWN = {rule.id for rule in rec.RULES}


def report_of(load: AppLoad) -> Report:
    signals = app_signals(load)
    return Report(
        "2026-01-01T00:00:00+00:00",
        None,
        "http://app.test",
        signals.window,
        300,
        ("app",),
        (),
        summarize(signals),
        rec.recommend(signals),
    )


@pytest.mark.parametrize(
    ("load", "code", "direction"),
    [
        (steady(n=300), errors.ExitCode.OK, Direction.STAY),
        (steady(n=10), errors.ExitCode.NOT_MEASURED, Direction.UNKNOWN),
        (
            AppLoad(latency={("r", "POST"): [3.0] * 300}),
            errors.ExitCode.MOVE_RECOMMENDED,
            Direction.UP,
        ),
    ],
    ids=["stay", "not-enough-evidence", "move"],
)
def test_exit_codes_follow_the_verdict(load: AppLoad, code: int, direction: Direction) -> None:
    report = report_of(load)
    assert report.exit_code == code and report.recommendation.direction is direction


def test_json_is_strict_and_carries_every_piece_of_evidence() -> None:
    data = report_of(AppLoad(latency={("r", "POST"): [3.0] * 300})).to_dict()
    text = json.dumps(data, allow_nan=False)
    again = json.loads(text)
    assert again["verdict"]["pack"] == 2 and again["verdict"]["exit_code"] == 1
    evidence = again["findings"][0]["evidence"][0]
    assert set(evidence) >= {"signal", "value", "threshold", "source", "n", "min_n", "window"}


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / ".stackpacks").mkdir()
    (tmp_path / ".stackpacks" / "doctor.yml").write_text(text)
    return tmp_path


def test_silences_are_read_with_their_reasons(tmp_path: Path) -> None:
    project = write(tmp_path, "silence:\n  slow-view: exports are slow on purpose\n")
    assert load_silences(project, KNOWN) == {"slow-view": "exports are slow on purpose"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("silence:\n  no-such-rule: because\n", "no rule 'no-such-rule'"),
        ("silence:\n  slow-view: ''\n", "needs a reason"),
        ("silence: [slow-view]\n", "must map rule ids"),
        ("silence: {unclosed\n", "unreadable"),
    ],
)
def test_a_bad_silence_file_is_a_usage_error(tmp_path: Path, text: str, message: str) -> None:
    project = write(tmp_path, text)
    with pytest.raises(errors.BadSilenceFile, match=message) as caught:
        load_silences(project, KNOWN)
    assert caught.value.exit_code == errors.ExitCode.USAGE


def test_no_project_or_no_file_silences_nothing(tmp_path: Path) -> None:
    assert load_silences(None, KNOWN) == {} and load_silences(tmp_path, KNOWN) == {}


def test_the_saved_report_is_the_json_report(tmp_path: Path) -> None:
    report = report_of(steady(n=300))
    path = save(tmp_path, report)
    assert path == tmp_path / ".stackpacks" / "local" / "doctor.json"
    assert json.loads(path.read_text()) == json.loads(json.dumps(report.to_dict()))
    assert [p.name for p in path.parent.iterdir()] == ["doctor.json"]


def test_cite_gives_the_figures_relative_to_the_project_without_its_path(tmp_path: Path) -> None:
    report = replace(report_of(AppLoad(latency={("r", "POST"): [3.0] * 300})), project="/home/x")
    text = cite(json.dumps(report.to_dict()))
    assert text.startswith("From `.stackpacks/local/doctor.json` (2026-01-01T00:00:00+00:00")
    assert "300 requests): move to pack 2: users wait on slow views." in text
    assert "- users wait on slow views (`slow-view`, act):" in text
    assert ": 4.875 s (threshold > 1; n 300 of 200 needed; source: 1 s is the limit" in text
    assert "/home/x" not in text and '"verdict"' not in text  # figures, not the JSON pasted


def test_cite_refuses_what_is_not_a_report() -> None:
    assert "is not a doctor report" in cite("[1, 2]") and "is not a doctor report" in cite("{")
