"""The ADR and runbook an upgrade writes: from the catalogue, planned like any other file."""

from __future__ import annotations

import json
from pathlib import Path

from stackpacks import catalogue
from stackpacks.upgrade import records
from stackpacks.upgrade.plan import Rule
from tests.upgrade.conftest import NewProject, Upgrade

ADR = "docs/adr/0002-adopt-pack-2.md"  # after new's 0001-pack-1-sync.md
RUNBOOK = "docs/runbooks/pack-2-queues.md"


def test_upgrade_writes_an_adr_with_trigger_and_costs(project: Path, run_upgrade: Upgrade) -> None:
    report = run_upgrade(project)
    pack = catalogue.get_pack(2)
    text = (project / ADR).read_text()
    assert report.records == (ADR, RUNBOOK)
    assert pack.trigger in text and pack.costs in text
    assert "- redis" in text and "- REDIS_URL" in text


def test_records_are_part_of_the_plan(project: Path, run_upgrade: Upgrade) -> None:
    report = run_upgrade(project, dry_run=True)
    rules = {a.path: a.rule for a in report.plan.actions}
    assert rules[ADR] is Rule.PACK_ADDS and rules[RUNBOOK] is Rule.PACK_ADDS
    assert not (project / ADR).exists()


def test_runbook_lists_cutover_and_rollback(project: Path, run_upgrade: Upgrade) -> None:
    run_upgrade(project)
    text = (project / RUNBOOK).read_text()
    assert "1. `make install    # celery and redis client`" in text
    assert "## Roll back" in text and "git revert" in text


def test_adr_cites_the_saved_doctor_reports_figures(project: Path, run_upgrade: Upgrade) -> None:
    """The figures against their thresholds and the report's name in the project; never the
    JSON pasted whole, never an absolute path."""
    evidence = {"signal": "p95 of report-list GET", "value": 3.1, "unit": "s", "threshold": 1.0}
    finding = {"title": "users wait on slow views", "rule": "slow-view", "severity": "act"}
    saved = {
        "project": str(project),
        "verdict": {"summary": "move to pack 2: users wait on slow views"},
        "window": {"description": "a 60 s window"},
        "requests": 300,
        "findings": [{**finding, "evidence": [{**evidence, "comparator": ">", "n": 300}]}],
    }
    (project / records.DOCTOR_REPORT).parent.mkdir(parents=True)
    (project / records.DOCTOR_REPORT).write_text(json.dumps(saved))
    run_upgrade(project)
    text = (project / ADR).read_text()
    assert "p95 of report-list GET: 3.1 s (threshold > 1" in text
    assert f"`{records.DOCTOR_REPORT}`" in text and "300 requests" in text
    assert str(project) not in text and '"findings"' not in text


def test_adr_says_when_no_doctor_report_was_saved(project: Path, run_upgrade: Upgrade) -> None:
    run_upgrade(project)
    assert "No saved `stackpacks doctor` run was found" in (project / ADR).read_text()


def test_adr_numbers_follow_the_team_own_adrs(project: Path, run_upgrade: Upgrade) -> None:
    (project / "docs/adr/0007-use-postgres.md").write_text("ours\n")
    report = run_upgrade(project)
    assert "docs/adr/0008-adopt-pack-2.md" in report.records


def test_upgrade_of_a_project_made_at_pack_2_numbers_after_its_adrs(
    new_project: NewProject, run_upgrade: Upgrade
) -> None:
    project = new_project(pack=2)
    report = run_upgrade(project, to=3)
    assert report.records == ("docs/adr/0003-adopt-pack-3.md", "docs/runbooks/pack-3-async.md")
    assert (project / "docs/adr/0002-pack-2-queues.md").is_file()


def test_records_are_not_part_of_the_pristine_render(project: Path, run_upgrade: Upgrade) -> None:
    run_upgrade(project)
    (project / ADR).write_text("edited by the team\n")
    report = run_upgrade(project, to=3)
    assert ADR not in {a.path for a in report.plan.actions}
    assert (project / ADR).read_text() == "edited by the team\n"
