"""Every preflight failure: one line on stderr, exit 2, and not one byte changed on disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stackpacks.cli import app
from stackpacks.errors import ExitCode
from tests.conftest import tree_snapshot
from tests.upgrade.support import git_commit_all

runner = CliRunner()


def _corrupt_state(project: Path) -> None:
    (project / ".stackpacks/state.yml").write_text("format: 1\nanswers: [\n")


def _tampered_base(project: Path) -> None:
    (project / ".stackpacks/base.tar.gz").write_bytes(b"not a tarball")


def _pending(project: Path) -> None:
    (project / ".stackpacks/upgrade").mkdir()


def _dirty(project: Path) -> None:
    git_commit_all(project)
    (project / "backend/app.py").write_text("uncommitted\n")


def _untracked(project: Path) -> None:
    git_commit_all(project)
    (project / "notes.txt").write_text("not yet added\n")


def _nothing(project: Path) -> None:
    git_commit_all(project)


CASES: list[tuple[str, Callable[[Path], None], list[str], str]] = [
    ("no-target", _nothing, [], "--to N is missing"),
    ("not-higher", _nothing, ["--to", "1"], "is not higher"),
    ("unknown-pack", _nothing, ["--to", "9"], "there is no pack 9"),
    ("planned-pack", _nothing, ["--to", "5"], "is planned"),
    ("option-of-a-later-pack", _nothing, ["--with", "daphne"], "belongs to pack 4"),
    ("unknown-option", _nothing, ["--to", "2", "--with", "turbo"], "unknown option 'turbo'"),
    ("bad-conflicts", _nothing, ["--to", "2", "--conflicts", "ours"], "unknown --conflicts"),
    ("corrupt-state", _corrupt_state, ["--to", "2"], "corrupt"),
    ("tampered-base", _tampered_base, ["--to", "2"], "base.tar.gz is unreadable"),
    ("pending-journal", _pending, ["--to", "2"], "run `stackpacks upgrade --recover`"),
    ("dirty-tree", _dirty, ["--to", "2"], "uncommitted changes"),
    ("untracked-file", _untracked, ["--to", "2"], "uncommitted changes"),
    ("not-git", lambda project: None, ["--to", "2"], "not in a git repository"),
]


@pytest.mark.parametrize(
    ("setup", "args", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_preflight_failure_exits_2_with_one_line_and_changes_nothing(
    project: Path, setup: Callable[[Path], None], args: list[str], message: str
) -> None:
    setup(project)
    before = tree_snapshot(project)
    result = runner.invoke(app, ["upgrade", "--path", str(project), *args])
    assert result.exit_code == ExitCode.USAGE, result.output
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
    assert result.stdout == ""
    assert tree_snapshot(project) == before


def test_outside_a_project_exits_2(tmp_path: Path, templates: Path) -> None:
    result = runner.invoke(app, ["upgrade", "--to", "2", "--path", str(tmp_path)])
    assert result.exit_code == ExitCode.USAGE
    assert "is not inside a stackpacks project" in result.stderr
    assert tree_snapshot(tmp_path) == {}


def test_clean_git_tree_upgrades(project: Path) -> None:
    git_commit_all(project)
    result = runner.invoke(app, ["upgrade", "--to", "2", "--path", str(project)])
    assert result.exit_code == ExitCode.OK, result.output
    assert "Upgraded to pack 2" in result.stdout


def test_allow_dirty_runs_outside_git(project: Path) -> None:
    result = runner.invoke(app, ["upgrade", "--to", "2", "--allow-dirty", "--path", str(project)])
    assert result.exit_code == ExitCode.OK, result.output


def test_dry_run_needs_no_clean_tree(project: Path) -> None:
    before = tree_snapshot(project)
    result = runner.invoke(app, ["upgrade", "--to", "2", "--dry-run", "--path", str(project)])
    assert result.exit_code == ExitCode.OK, result.output
    assert tree_snapshot(project) == before


@pytest.mark.parametrize(
    ("pack", "queue", "args", "message"),
    [
        (2, "celery", ["--queue", "db"], "from celery to db"),
        (2, "celery", ["--queue", "celery"], "not higher"),
        (1, "celery", ["--queue", "db"], "--queue applies from pack 2"),
    ],
    ids=["celery-to-db", "same-queue", "queue-without-pack-2"],
)
def test_queue_switches_that_are_not_upgrades_exit_2_unchanged(
    tmp_path: Path, pack: int, queue: str, args: list[str], message: str
) -> None:
    from typer.testing import CliRunner

    from stackpacks import catalogue
    from stackpacks.catalogue import Selection, Status
    from stackpacks.cli import app
    from stackpacks.project import create
    from tests.conftest import tree_snapshot

    if catalogue.get_pack(2).status is not Status.AVAILABLE:
        pytest.skip("pack 2 is not available")
    project = create(Selection("shop", pack, queue=queue), tmp_path / "shop").path
    before = tree_snapshot(project)
    result = CliRunner().invoke(app, ["upgrade", *args, "--allow-dirty", "--path", str(project)])
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert tree_snapshot(project) == before
