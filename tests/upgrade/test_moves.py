"""A project generated before the tool moved a path (catalogue.MOVES): its edits follow the move.

Such a project is made by generating one today and putting every moved path back at its old
name, in its files and in its recorded base (`generated_before_the_moves`), as an older
stackpacks left it: `backend/apps/signals/`, `backend/tests/test_signals*.py`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stackpacks.catalogue import Selection
from stackpacks.cli import app
from stackpacks.project import create
from stackpacks.upgrade import Outcome, Request, upgrade
from stackpacks.upgrade.plan import Action
from tests.upgrade.support import generated_before_the_moves
from tests.upgrade.test_equivalence import tree

OLD_APP, NEW_APP = "backend/apps/signals/", "backend/apps/metrics/"
MINE = "\n\ndef my_view():  # the user's own, calling apps.signals.metrics\n    return None\n"


@pytest.mark.parametrize(("k", "n"), [(1, 2), (3, 4)], ids=["1-to-2", "3-to-4"])
def test_edits_in_the_old_metrics_app_are_kept_in_the_new_one(
    tmp_path: Path, k: int, n: int
) -> None:
    fresh = create(Selection("shop", n), tmp_path / "fresh").path
    old = create(Selection("shop", k), tmp_path / "old").path
    generated_before_the_moves(old)
    edited = {"views.py": MINE, "apps.py": "# mine\n"}  # the move changed apps.py: its name
    for name, edit in edited.items():
        with (old / OLD_APP / name).open("a") as file:
            file.write(edit)

    report = upgrade(old, Request(n, allow_dirty=True))

    assert report.outcome is Outcome.APPLIED and not report.plan.conflicts
    moved = {a.moved_from: a.path for a in report.plan.having(Action.MOVE)}
    assert moved[OLD_APP + "views.py"] == NEW_APP + "views.py"
    assert moved["backend/tests/test_signals.py"] == "backend/tests/test_metrics.py"
    for name, edit in edited.items():
        assert (old / NEW_APP / name).read_text() == (fresh / NEW_APP / name).read_text() + edit
    assert not (old / OLD_APP).exists()
    others = {NEW_APP + name for name in edited}
    upgraded, new = tree(old), tree(fresh)
    assert {k: v for k, v in upgraded.items() if k not in others} == {
        k: v for k, v in new.items() if k not in others
    }


def test_the_report_says_where_each_file_moved_and_that_the_edits_stayed(project: Path) -> None:
    generated_before_the_moves(project)
    with (project / OLD_APP / "apps.py").open("a") as file:
        file.write("# mine\n")
    result = CliRunner().invoke(
        app, ["upgrade", "--to", "2", "--allow-dirty", "--path", str(project)]
    )
    assert result.exit_code == 0, result.output
    assert (
        f"moved      {OLD_APP}apps.py → {NEW_APP}apps.py "
        "(your edits kept; imports you wrote are not rewritten)\n"
    ) in result.stdout
    assert f"moved      {OLD_APP}views.py → {NEW_APP}views.py\n" in result.stdout


def test_the_json_report_names_each_moved_file_with_its_old_path(project: Path) -> None:
    generated_before_the_moves(project)
    result = CliRunner().invoke(
        app,
        ["upgrade", "--to", "2", "--allow-dirty", "--dry-run", "--json", "--path", str(project)],
    )
    data = json.loads(result.stdout)
    assert NEW_APP + "views.py" in data["moved"]
    assert data["moved_from"][NEW_APP + "views.py"] == OLD_APP + "views.py"
    assert data["diffs"][NEW_APP + "views.py"].startswith(f"rename from {OLD_APP}views.py\n")
