"""`stackpacks new`: bad input says one clear line, exits 2, and leaves the disk as it was."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stackpacks.cli import app
from stackpacks.errors import ExitCode
from tests.conftest import tree_snapshot

runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Bad_Name"], "invalid project name"),
        (["shop", "--pack", "0"], "there is no pack 0"),
        (["shop", "--pack", "7"], "there is no pack 7"),
        (["shop", "--pack", "5"], "planned"),
        (["shop", "--with", "turbo"], "unknown option 'turbo'"),
        (["shop", "--with", "s3"], "belongs to pack 6"),
        (["shop", "--queue", "db"], "--queue applies from pack 2"),
    ],
    ids=["name", "pack0", "pack7", "planned", "option", "option-pack", "queue"],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    before = tree_snapshot(tmp_path)
    code, out, err = invoke("new", *args)
    assert code == ExitCode.USAGE
    assert err.count("\n") == 1 and message in err, err
    assert out == ""
    assert tree_snapshot(tmp_path) == before


def test_existing_non_empty_directory_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "shop"
    target.mkdir()
    (target / "mine.txt").write_text("precious")
    before = tree_snapshot(tmp_path)
    code, _, err = invoke("new", "shop", "--path", str(target))
    assert code == ExitCode.USAGE
    assert "already exists and is not empty" in err
    assert tree_snapshot(tmp_path) == before


def test_existing_file_at_the_destination(tmp_path: Path) -> None:
    target = tmp_path / "shop"
    target.write_text("a file")
    before = tree_snapshot(tmp_path)
    code, _, err = invoke("new", "shop", "--path", str(target))
    assert code == ExitCode.USAGE and "not empty" in err
    assert tree_snapshot(tmp_path) == before


def test_missing_parent_folder(tmp_path: Path) -> None:
    code, _, err = invoke("new", "shop", "--path", str(tmp_path / "no" / "such"))
    assert code == ExitCode.USAGE and "does not exist" in err
    assert tree_snapshot(tmp_path) == {}


def test_json_error(tmp_path: Path) -> None:
    code, out, _ = invoke("new", "shop", "--pack", "9", "--json")
    assert code == ExitCode.USAGE
    assert json.loads(out) == {
        "error": "there is no pack 9 (choose one of 1, 2, 3, 4, 5, 6)",
        "exit_code": 2,
    }


def test_new_into_an_empty_folder(tmp_path: Path) -> None:
    target = tmp_path / "shop"
    target.mkdir()
    code, out, err = invoke("new", "shop", "--path", str(target), "--json")
    assert code == ExitCode.OK, err
    data = json.loads(out)
    assert data["answers"] == {"name": "shop", "pack": 1, "options": [], "queue": "celery"}
    assert (target / ".stackpacks" / "state.yml").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["shop"]  # no staging folder left behind


def test_env_has_fresh_secrets_and_is_private(tmp_path: Path) -> None:
    for name in ("one", "two"):
        assert invoke("new", name, "--path", str(tmp_path / name))[0] == ExitCode.OK
    one = (tmp_path / "one" / ".env").read_text()
    two = (tmp_path / "two" / ".env").read_text()
    secret = next(line for line in one.splitlines() if line.startswith("DJANGO_SECRET_KEY="))
    assert len(secret) > 60 and secret not in two
    assert (tmp_path / "one" / ".env").stat().st_mode & 0o077 == 0
    assert "# DATABASE_URL=" in one  # SQLite on the first run
    assert ".env" in (tmp_path / "one" / ".gitignore").read_text().splitlines()


def test_version() -> None:
    code, out, _ = invoke("--version")
    assert code == 0 and out.startswith("stackpacks ")


def test_next_steps_of_a_new_project_are_whole_lines_without_upgrade_steps(
    tmp_path: Path,
) -> None:
    result = runner.invoke(
        app, ["new", "shop", "--pack", "2", "--path", str(tmp_path / "shop")], env={"COLUMNS": "40"}
    )
    assert result.exit_code == ExitCode.OK, result.output
    assert "after an upgrade" not in result.stdout
    assert "\n  redis-server must be running on 127.0.0.1:6379 (or set REDIS_URL in .env)\n" in (
        result.stdout
    )
