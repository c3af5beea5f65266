"""One test per row of the decision table in docs/upgrade.md, named after the row.

Each starts from a fresh fixture project at pack 1, makes one user edit, upgrades to pack 2.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stackpacks.upgrade import Outcome
from stackpacks.upgrade.plan import Action, Rule
from tests.upgrade.conftest import Upgrade
from tests.upgrade.support import (
    LOGO_1,
    LOGO_2,
    METRICS_APPS,
    METRICS_VIEWS,
    SETTINGS_1,
    SETTINGS_2,
    WORKER,
    generated_before_the_moves,
)

SETTINGS = "backend/settings.py"


def rule_of(report: object, path: str) -> Rule | None:
    actions = {a.path: a.rule for a in report.plan.actions}  # type: ignore[attr-defined]
    return actions.get(path)


def test_unchanged_everywhere_is_not_touched(project: Path, run_upgrade: Upgrade) -> None:
    before = (project / "backend/app.py").stat().st_mtime_ns
    report = run_upgrade(project)
    assert rule_of(report, "backend/app.py") is None
    assert (project / "backend/app.py").stat().st_mtime_ns == before


def test_user_untouched_pack_changed_takes_the_new_version(
    project: Path, run_upgrade: Upgrade
) -> None:
    report = run_upgrade(project)
    assert rule_of(report, SETTINGS) is Rule.TAKE_THEIRS
    assert (project / SETTINGS).read_text() == SETTINGS_2


def test_user_changed_pack_unchanged_keeps_the_user_version(
    project: Path, run_upgrade: Upgrade
) -> None:
    (project / "backend/app.py").write_text("mine\n")
    report = run_upgrade(project)
    assert rule_of(report, "backend/app.py") is Rule.KEEP_OURS
    assert (project / "backend/app.py").read_text() == "mine\n"


def test_both_made_the_same_change_is_kept(project: Path, run_upgrade: Upgrade) -> None:
    (project / SETTINGS).write_text(SETTINGS_2)
    report = run_upgrade(project)
    assert rule_of(report, SETTINGS) is Rule.SAME_CHANGE
    assert (project / SETTINGS).read_text() == SETTINGS_2


def test_both_changed_merges_cleanly(project: Path, run_upgrade: Upgrade) -> None:
    with (project / SETTINGS).open("a") as settings:
        settings.write("MINE = True\n")
    report = run_upgrade(project)
    assert rule_of(report, SETTINGS) is Rule.MERGED
    assert (project / SETTINGS).read_text() == SETTINGS_2 + "MINE = True\n"


def test_both_changed_the_same_lines_is_a_conflict(project: Path, run_upgrade: Upgrade) -> None:
    (project / SETTINGS).write_text(SETTINGS_1.replace("SETTING_2 = 2", "SETTING_2 = 'mine'"))
    report = run_upgrade(project)
    assert rule_of(report, SETTINGS) is Rule.BOTH_CHANGED
    assert report.outcome is Outcome.REFUSED


def test_binary_changed_on_both_sides_is_never_merged(project: Path, run_upgrade: Upgrade) -> None:
    (project / "static/logo.png").write_bytes(LOGO_1 + b"\0mine")
    report = run_upgrade(project, conflicts="markers")
    assert rule_of(report, "static/logo.png") is Rule.BINARY
    assert (project / "static/logo.png").read_bytes() == LOGO_1 + b"\0mine"
    assert (project / "static/logo.png.stackpacks-new").read_bytes() == LOGO_2


def test_pack_adds_a_file(project: Path, run_upgrade: Upgrade) -> None:
    report = run_upgrade(project)
    assert rule_of(report, "backend/worker.py") is Rule.PACK_ADDS
    assert (project / "backend/worker.py").read_text() == WORKER


def test_user_already_has_the_added_file_identical(project: Path, run_upgrade: Upgrade) -> None:
    (project / "backend/worker.py").write_text(WORKER)
    report = run_upgrade(project)
    assert rule_of(report, "backend/worker.py") is Rule.ADDED_IDENTICAL
    assert report.outcome is Outcome.APPLIED


def test_pack_adds_a_file_where_the_user_has_a_different_one(
    project: Path, run_upgrade: Upgrade
) -> None:
    (project / "backend/worker.py").write_text("my own worker\n")
    report = run_upgrade(project)
    assert rule_of(report, "backend/worker.py") is Rule.ADDED_BOTH
    assert report.outcome is Outcome.REFUSED
    assert (project / "backend/worker.py").read_text() == "my own worker\n"


def test_pack_removes_a_file_the_user_left_alone(project: Path, run_upgrade: Upgrade) -> None:
    report = run_upgrade(project)
    assert rule_of(report, "backend/legacy.py") is Rule.PACK_REMOVES
    assert not (project / "backend/legacy.py").exists()


def test_pack_removes_a_file_the_user_edited_is_a_conflict(
    project: Path, run_upgrade: Upgrade
) -> None:
    (project / "backend/legacy.py").write_text("legacy = 'still mine'\n")
    report = run_upgrade(project, conflicts="markers")
    assert rule_of(report, "backend/legacy.py") is Rule.REMOVED_EDITED
    assert (project / "backend/legacy.py").read_text() == "legacy = 'still mine'\n"


def test_user_deleted_a_file_the_pack_left_alone_stays_deleted(
    project: Path, run_upgrade: Upgrade
) -> None:
    (project / "backend/app.py").unlink()
    report = run_upgrade(project)
    assert rule_of(report, "backend/app.py") is Rule.USER_DELETED
    assert not (project / "backend/app.py").exists()


def test_user_deleted_a_file_the_pack_changed_is_a_conflict(
    project: Path, run_upgrade: Upgrade
) -> None:
    (project / SETTINGS).unlink()
    report = run_upgrade(project, conflicts="markers")
    assert rule_of(report, SETTINGS) is Rule.DELETED_CHANGED
    assert not (project / SETTINGS).exists()
    assert (project / (SETTINGS + ".stackpacks-new")).read_text() == SETTINGS_2


def test_both_deleted_the_file_stays_deleted(project: Path, run_upgrade: Upgrade) -> None:
    (project / "backend/legacy.py").unlink()
    report = run_upgrade(project)
    assert rule_of(report, "backend/legacy.py") is Rule.DELETED_BOTH
    assert not (project / "backend/legacy.py").exists()


def test_a_folder_where_the_pack_has_a_file_is_a_conflict(
    project: Path, run_upgrade: Upgrade
) -> None:
    (project / "backend/worker.py").mkdir()
    report = run_upgrade(project, conflicts="sidecar")
    assert rule_of(report, "backend/worker.py") is Rule.NOT_A_FILE
    assert (project / "backend/worker.py").is_dir()


def test_a_file_where_the_pack_needs_a_folder_is_a_conflict(
    project: Path, run_upgrade: Upgrade
) -> None:
    shutil.rmtree(project / "docs")  # `new` wrote docs/adr/; the user made docs a file
    (project / "docs").write_text("my docs are a file\n")
    report = run_upgrade(project, conflicts="markers")
    assert rule_of(report, "docs/adr/0001-adopt-pack-2.md") is Rule.NOT_A_FILE
    assert (project / "docs").read_text() == "my docs are a file\n"


def test_user_own_files_are_never_read_nor_touched(project: Path, run_upgrade: Upgrade) -> None:
    (project / "backend/mine.py").write_text("own\n")
    before = (project / "backend/mine.py").stat().st_mtime_ns
    report = run_upgrade(project)
    assert rule_of(report, "backend/mine.py") is None
    assert (project / "backend/mine.py").stat().st_mtime_ns == before


# Rows 18-23: a project generated before the tool moved the metrics app (catalogue.MOVES), so
# its recorded base and its files say backend/apps/signals/; theirs says backend/apps/metrics/.
OLD_APPS, NEW_APPS = "backend/apps/signals/apps.py", "backend/apps/metrics/apps.py"
OLD_VIEWS, NEW_VIEWS = "backend/apps/signals/views.py", "backend/apps/metrics/views.py"
OLD_APPS_TEXT = METRICS_APPS.replace("apps.metrics", "apps.signals")


@pytest.fixture
def old_project(project: Path) -> Path:
    generated_before_the_moves(project)
    assert (project / OLD_VIEWS).is_file() and not (project / "backend/apps/metrics").exists()
    return project


def test_pack_moves_a_file_the_user_left_alone(old_project: Path, run_upgrade: Upgrade) -> None:
    report = run_upgrade(old_project)
    assert rule_of(report, NEW_VIEWS) is Rule.MOVED
    assert (old_project / NEW_VIEWS).read_text() == METRICS_VIEWS
    assert not (old_project / "backend/apps/signals").exists()


def test_pack_moves_a_file_the_user_edited_with_the_edit(
    old_project: Path, run_upgrade: Upgrade
) -> None:
    (old_project / OLD_APPS).write_text("# mine\n" + OLD_APPS_TEXT)
    report = run_upgrade(old_project)
    assert rule_of(report, NEW_APPS) is Rule.MOVED_EDITED
    assert (old_project / NEW_APPS).read_text() == "# mine\n" + METRICS_APPS
    assert not (old_project / OLD_APPS).exists()


def test_pack_moves_a_file_and_changed_the_lines_the_user_changed_is_a_conflict(
    old_project: Path, run_upgrade: Upgrade
) -> None:
    mine = OLD_APPS_TEXT.replace('name = "apps.signals"', 'name = "apps.mine"')
    (old_project / OLD_APPS).write_text(mine)
    assert rule_of(run_upgrade(old_project), NEW_APPS) is Rule.MOVED_BOTH_CHANGED
    assert (old_project / OLD_APPS).read_text() == mine  # refused: nothing written
    run_upgrade(old_project, conflicts="markers")
    assert '<<<<<<< yours\nname = "apps.mine"\n' in (old_project / NEW_APPS).read_text()
    assert not (old_project / OLD_APPS).exists()


def test_user_deleted_a_file_the_pack_moves_stays_deleted(
    old_project: Path, run_upgrade: Upgrade
) -> None:
    (old_project / OLD_APPS).unlink()
    report = run_upgrade(old_project)
    assert rule_of(report, NEW_APPS) is Rule.MOVED_USER_DELETED
    assert not (old_project / OLD_APPS).exists() and not (old_project / NEW_APPS).exists()


def test_user_already_made_the_same_move_needs_nothing(
    old_project: Path, run_upgrade: Upgrade
) -> None:
    (old_project / "backend/apps/metrics").mkdir()
    (old_project / OLD_VIEWS).rename(old_project / NEW_VIEWS)
    report = run_upgrade(old_project)
    assert rule_of(report, NEW_VIEWS) is Rule.MOVED_ALREADY
    assert report.outcome is Outcome.APPLIED
    assert (old_project / NEW_VIEWS).read_text() == METRICS_VIEWS


def test_pack_moves_a_file_to_a_path_where_the_user_has_another_is_a_conflict(
    old_project: Path, run_upgrade: Upgrade
) -> None:
    (old_project / "backend/apps/metrics").mkdir()
    (old_project / NEW_VIEWS).write_text("my own views\n")
    report = run_upgrade(old_project, conflicts="markers")
    assert rule_of(report, NEW_VIEWS) is Rule.MOVED_TARGET_TAKEN
    assert (old_project / NEW_VIEWS).read_text() == "my own views\n"
    assert (old_project / OLD_VIEWS).read_text() == METRICS_VIEWS


def test_every_conflict_rule_maps_to_the_conflict_action() -> None:
    conflicts = {r for r in Rule if r.name in {"BOTH_CHANGED", "BINARY", "ADDED_BOTH"}}
    conflicts |= {Rule.REMOVED_EDITED, Rule.DELETED_CHANGED, Rule.NOT_A_FILE}
    conflicts |= {Rule.MOVED_BOTH_CHANGED, Rule.MOVED_TARGET_TAKEN, Rule.KEY_CONFLICT}
    from stackpacks.upgrade.plan import ACTION_OF

    assert {r for r, a in ACTION_OF.items() if a is Action.CONFLICT} == conflicts


# Rows 24-25: a manifest (the Procfile here) both sides changed is merged by its structure.
def test_both_changed_a_manifest_merges_key_by_key(project: Path, run_upgrade: Upgrade) -> None:
    with (project / "Procfile").open("a") as procfile:
        procfile.write("mail: python manage.py mailer\n")
    report = run_upgrade(project)
    assert rule_of(report, "Procfile") is Rule.MERGED_BY_STRUCTURE
    assert (
        (project / "Procfile")
        .read_text()
        .endswith(
            "worker: cd backend && exec celery -A config worker\nmail: python manage.py mailer\n"
        )
    )


def test_both_changed_the_same_key_of_a_manifest_is_a_conflict_named_by_key(
    project: Path, run_upgrade: Upgrade
) -> None:
    with (project / "Procfile").open("a") as procfile:
        procfile.write("worker: my own worker\n")
    report = run_upgrade(project, conflicts="markers")
    assert rule_of(report, "Procfile") is Rule.KEY_CONFLICT
    (action,) = [a for a in report.plan.actions if a.path == "Procfile"]
    assert action.notes == (
        "Procfile: process `worker` — yours `my own worker`, "
        "pack 2's `cd backend && exec celery -A config worker`",
    )
    assert (
        (project / "Procfile")
        .read_text()
        .endswith(
            "# stackpacks conflict: pack 2 has "
            "`worker: cd backend && exec celery -A config worker`\n"
            "worker: my own worker\n"
        )
    )
