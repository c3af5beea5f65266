from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stackpacks.cli import app
from stackpacks.errors import ExitCode
from tests.conftest import tree_snapshot

runner = CliRunner()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    result = runner.invoke(app, ["new", "shop", "--path", str(tmp_path / "shop")])
    assert result.exit_code == 0, result.stderr
    return tmp_path / "shop"


def status(path: Path) -> tuple[int, dict[str, object], str]:
    result = runner.invoke(app, ["status", "--path", str(path), "--json"])
    return result.exit_code, json.loads(result.stdout) if result.stdout else {}, result.stderr


def test_fresh_project_has_no_changes(project: Path) -> None:
    code, data, _ = status(project)
    assert code == ExitCode.OK
    assert data["changed"] == [] and data["deleted"] == []
    assert data["answers"] == {"name": "shop", "pack": 1, "options": [], "queue": "celery"}


def test_reports_changed_and_deleted_files(project: Path) -> None:
    with (project / "README.md").open("a") as readme:
        readme.write("my notes\n")
    (project / "Procfile").unlink()
    (project / "mine.txt").write_text("not generated")
    code, data, _ = status(project / ".github")
    assert code == ExitCode.OK
    assert data["changed"] == ["README.md"]
    assert data["deleted"] == ["Procfile"]


def test_not_a_project(tmp_path: Path) -> None:
    result = runner.invoke(app, ["status", "--path", str(tmp_path)])
    assert result.exit_code == ExitCode.USAGE
    assert "not inside a stackpacks project" in result.stderr
    assert result.stderr.count("\n") == 1


def test_corrupt_state(project: Path) -> None:
    (project / ".stackpacks" / "state.yml").write_text("format: [")
    before = tree_snapshot(project)
    result = runner.invoke(app, ["status", "--path", str(project)])
    assert result.exit_code == ExitCode.USAGE
    assert "corrupt" in result.stderr and "git checkout" in result.stderr
    assert tree_snapshot(project) == before


def test_a_pack_1_project_shows_no_queue(project: Path) -> None:
    result = runner.invoke(app, ["status", "--path", str(project)])
    assert result.exit_code == ExitCode.OK
    assert "options: none\n" in result.stdout and "queue" not in result.stdout
