"""What the user sees and gets: refusal on conflict (exit 4), markers, sidecars, dry run, JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path

from typer.testing import CliRunner

from stackpacks.cli import app
from stackpacks.errors import ExitCode
from tests.conftest import tree_snapshot
from tests.upgrade.support import SETTINGS_1, SETTINGS_2

runner = CliRunner()
SETTINGS = "backend/settings.py"
MINE = SETTINGS_1.replace("SETTING_2 = 2", "SETTING_2 = 'mine'")


def upgrade(project: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(
        app, ["upgrade", "--to", "2", "--allow-dirty", "--path", str(project), *args]
    )
    return result.exit_code, result.stdout, result.stderr


def test_conflicts_by_default_list_them_write_nothing_and_exit_4(project: Path) -> None:
    (project / SETTINGS).write_text(MINE)
    before = tree_snapshot(project)
    code, out, _ = upgrade(project)
    assert code == ExitCode.CONFLICTS
    assert SETTINGS in out and "nothing was written" in out
    assert tree_snapshot(project) == before


def test_conflicts_in_json_name_each_path_and_its_rule(project: Path) -> None:
    (project / SETTINGS).write_text(MINE)
    code, out, _ = upgrade(project, "--json")
    data = json.loads(out)
    assert code == ExitCode.CONFLICTS and data["outcome"] == "refused"
    assert data["conflicted"] == [SETTINGS]
    assert data["conflict_reasons"] == {SETTINGS: "both changed the same lines"}


def test_markers_mode_writes_diff3_markers_in_place_and_exits_4(project: Path) -> None:
    (project / SETTINGS).write_text(MINE)
    code, out, _ = upgrade(project, "--conflicts", "markers")
    text = (project / SETTINGS).read_text()
    assert code == ExitCode.CONFLICTS
    assert f"1 conflict(s) to resolve: {SETTINGS}" in out
    assert "<<<<<<< yours\nSETTING_2 = 'mine'\n||||||| pack 1 as generated\n" in text
    assert "=======\nSETTING_2 = 'queues'\n>>>>>>> pack 2\n" in text


def test_sidecar_mode_keeps_the_user_file_writes_the_new_one_beside_and_exits_4(
    project: Path,
) -> None:
    (project / SETTINGS).write_text(MINE)
    code, out, _ = upgrade(project, "--conflicts", "sidecar")
    assert code == ExitCode.CONFLICTS and SETTINGS in out
    assert (project / SETTINGS).read_text() == MINE
    assert (project / f"{SETTINGS}.stackpacks-new").read_text() == SETTINGS_2


def test_status_lists_the_markers_and_sidecars_an_upgrade_left_as_unresolved(
    project: Path,
) -> None:
    (project / SETTINGS).write_text(MINE)
    (project / "static/logo.png").write_bytes(b"\0my logo")
    upgrade(project, "--conflicts", "markers")
    result = runner.invoke(app, ["status", "--path", str(project), "--json"])
    assert json.loads(result.stdout)["unresolved"] == [SETTINGS, "static/logo.png.stackpacks-new"]
    out = runner.invoke(app, ["status", "--path", str(project)]).stdout
    assert re.search(rf"unresolved +{re.escape(SETTINGS)}\n", out)
    assert "2 conflict(s) from an upgrade are unresolved" in out


def test_a_later_upgrade_refuses_while_conflicts_are_unresolved(project: Path) -> None:
    (project / SETTINGS).write_text(MINE)
    upgrade(project, "--conflicts", "sidecar")
    before = tree_snapshot(project)
    for args in ([], ["--dry-run"]):
        result = runner.invoke(
            app, ["upgrade", "--to", "3", "--allow-dirty", "--path", str(project), *args]
        )
        assert result.exit_code == ExitCode.USAGE and result.stdout == ""
        assert result.stderr.count("\n") == 1, result.stderr
        assert f"1 conflict(s) unresolved: {SETTINGS}.stackpacks-new" in result.stderr
        assert tree_snapshot(project) == before
    (project / f"{SETTINGS}.stackpacks-new").unlink()
    result = runner.invoke(app, ["upgrade", "--to", "3", "--allow-dirty", "--path", str(project)])
    assert result.exit_code == ExitCode.OK, result.output


def test_dry_run_leads_with_counts_then_one_line_per_file_and_writes_nothing(
    project: Path,
) -> None:
    before = tree_snapshot(project)
    code, out, _ = upgrade(project, "--dry-run")
    assert code == ExitCode.OK
    lines = out.splitlines()
    assert lines[1] == "9 file(s): 3 added, 5 changed, 1 deleted"  # Procfile, .env.example
    assert any(re.fullmatch(r"  changed +backend/settings\.py +\+1 -1", line) for line in lines)
    assert any(re.fullmatch(r"  added +backend/worker\.py +\+15 -0", line) for line in lines)
    assert any(re.fullmatch(r"  deleted +backend/legacy\.py +\+0 -1", line) for line in lines)
    assert any(re.fullmatch(r"  changed +static/logo\.png +binary", line) for line in lines)
    assert "def task_0" not in out and "+SETTING_2" not in out  # no content without --diff
    assert "  .env: would append REDIS_URL (your values unchanged)" in lines
    assert tree_snapshot(project) == before


def test_dry_run_with_diff_shows_each_diff_after_the_summary(project: Path) -> None:
    code, out, _ = upgrade(project, "--dry-run", "--diff")
    assert code == ExitCode.OK
    assert out.index("3 added") < out.index("-SETTING_2 = 2\n+SETTING_2 = 'queues'")
    assert "+def task_0():" in out


def test_diff_without_dry_run_exits_2_and_writes_nothing(project: Path) -> None:
    before = tree_snapshot(project)
    code, out, err = upgrade(project, "--diff")
    assert code == ExitCode.USAGE and out == ""
    assert err.count("\n") == 1 and "add --dry-run" in err
    assert tree_snapshot(project) == before


def test_dry_run_output_is_plain_text_without_markup_escapes(project: Path) -> None:
    (project / SETTINGS).write_text(MINE.replace("'mine'", "['mine'] # [bold]x[/]"))
    _, out, _ = upgrade(project, "--dry-run", "--diff")
    assert "\\[" not in out
    assert "SETTING_2 = ['mine'] # [bold]x[/]" in out


def test_dry_run_json_carries_the_diffs(project: Path) -> None:
    code, out, _ = upgrade(project, "--dry-run", "--json")
    data = json.loads(out)
    assert code == ExitCode.OK and data["outcome"] == "dry_run"
    assert "+SETTING_2 = 'queues'" in data["diffs"][SETTINGS]
    assert data["diffs"]["static/logo.png"] == "Binary file static/logo.png differs\n"


def test_dry_run_that_would_conflict_exits_4_and_names_the_files(project: Path) -> None:
    (project / SETTINGS).write_text(MINE)
    before = tree_snapshot(project)
    code, out, _ = upgrade(project, "--dry-run")
    assert code == ExitCode.CONFLICTS
    assert re.search(
        r"  would conflict +backend/settings\.py .*\(both changed the same lines\)", out
    )
    assert out.splitlines()[-1] == f"1 file(s) would conflict: {SETTINGS}"
    assert tree_snapshot(project) == before


def test_success_prints_next_steps_from_the_catalogue(project: Path) -> None:
    code, out, _ = upgrade(project)
    assert code == ExitCode.OK
    assert "Next:" in out and "make install    # celery and redis client" in out


def test_state_records_the_new_pack_and_pristine_render(project: Path) -> None:
    upgrade(project)
    result = runner.invoke(app, ["status", "--path", str(project), "--json"])
    data = json.loads(result.stdout)
    assert data["answers"]["pack"] == 2
    assert data["changed"] == [] and data["deleted"] == []


def test_recover_with_nothing_pending_is_a_no_op(project: Path) -> None:
    before = tree_snapshot(project)
    result = runner.invoke(app, ["upgrade", "--recover", "--path", str(project)])
    assert result.exit_code == ExitCode.OK
    assert "nothing to recover" in result.stdout
    assert tree_snapshot(project) == before
