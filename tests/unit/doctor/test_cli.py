"""`stackpacks doctor` end to end against a loopback app: verdict first, JSON, exit codes,
the project's defaults and the saved report."""

from __future__ import annotations

import importlib
import json
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stackpacks.cli import app
from stackpacks.errors import ExitCode
from tests.unit.doctor.exposition import AppLoad, exposition
from tests.unit.doctor.fake_app import TOKEN, serve
from tests.unit.doctor.support import FakeClock

runner = CliRunner()
SLOW = exposition(AppLoad(latency={("report-list", "POST"): [2.4] * 240}))
QUIET = exposition(AppLoad(latency={("report-list", "GET"): [0.02] * 12}))


def doctor(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["doctor", "--window", "0", *args])
    return result.exit_code, result.stdout, result.stderr


def test_json_verdict_and_evidence_with_exit_1(tmp_path: Path) -> None:
    with serve(SLOW) as url:
        code, out, _ = doctor("--url", url, "--token", TOKEN, "--path", str(tmp_path), "--json")
    assert code == ExitCode.MOVE_RECOMMENDED
    data = json.loads(out)
    assert data["verdict"]["direction"] == "up" and data["verdict"]["pack"] == 2
    assert data["window"]["cumulative"] is True
    assert data["findings"][0]["rule"] == "slow-view"
    assert {s["probe"] for s in data["skipped"]} >= {"postgres", "redis", "docker"}


def test_rich_output_puts_the_verdict_first(tmp_path: Path) -> None:
    with serve(SLOW) as url:
        code, out, _ = doctor("--url", url, "--token", TOKEN, "--path", str(tmp_path))
    assert code == ExitCode.MOVE_RECOMMENDED
    lines = out.splitlines()
    assert lines[0].startswith("UP pack 1 → 2: move to pack 2")
    assert "✗ MOVE users wait on slow views x1 → pack 2" in out
    assert "next: stackpacks upgrade --to 2" in out
    assert "Not inside a project: pack 1, assumed" in out


def test_too_little_traffic_exits_3(tmp_path: Path) -> None:
    with serve(QUIET) as url:
        code, out, _ = doctor("--url", url, "--token", TOKEN, "--path", str(tmp_path), "--json")
    assert code == ExitCode.NOT_MEASURED
    assert json.loads(out)["verdict"]["direction"] == "not enough evidence"


def test_a_negative_window_is_bad_usage() -> None:
    result = runner.invoke(app, ["doctor", "--window", "-1", "--json"])
    assert result.exit_code == ExitCode.USAGE
    assert "--window" in json.loads(result.stdout)["error"]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    result = runner.invoke(app, ["new", "shop", "--path", str(tmp_path / "shop")])
    assert result.exit_code == 0, result.stderr
    path = tmp_path / "shop"
    env = path / ".env"
    lines = [
        f"SIGNALS_TOKEN={TOKEN}" if line.startswith("SIGNALS_TOKEN=") else line
        for line in env.read_text().splitlines()
    ]
    env.write_text("\n".join(lines) + "\n")
    return path


def test_inside_a_project_reads_the_token_silences_and_saves_the_report(project: Path) -> None:
    (project / ".stackpacks" / "doctor.yml").write_text(
        "silence:\n  slow-view: report exports are slow by design\n"
    )
    with serve(SLOW) as url:
        code, out, _ = doctor("--url", url, "--path", str(project / "backend"), "--json")
    data = json.loads(out)
    assert code == ExitCode.OK, out
    assert data["findings"][0]["silenced"] == "report exports are slow by design"
    saved = json.loads((project / ".stackpacks" / "local" / "doctor.json").read_text())
    assert saved["verdict"] == data["verdict"] and saved["project"] == str(project)
    assert data["signals"]["pack_known"] is True


def test_nothing_listening_fails_at_once_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.templates.harness import free_port

    collect = importlib.import_module("stackpacks.doctor.collect")  # the module, not collect()
    clock = FakeClock()
    runtime = collect.Runtime(clock.monotonic, clock.sleep)
    monkeypatch.setattr(collect, "Runtime", lambda: runtime)  # the CLI's clock, as tests inject it
    url = f"http://127.0.0.1:{free_port()}"
    args = ["doctor", "--url", url, "--window", "600", "--path", str(tmp_path)]
    result = runner.invoke(app, args)
    assert result.exit_code == ExitCode.NOT_MEASURED
    assert result.stderr.splitlines() == [
        f"error: nothing answers at {url}: start the app (make up) or pass --url"
    ]
    assert clock.slept == []  # the 600 s window was not waited


def test_the_saved_report_is_ignored_by_the_projects_git(project: Path) -> None:
    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", *args], cwd=project, capture_output=True, text=True)

    if not (project / ".git").exists():
        assert git("init", "-q").returncode == 0
    with serve(SLOW) as url:
        doctor("--url", url, "--path", str(project))
    assert (project / ".stackpacks" / "local" / "doctor.json").is_file()
    untracked = git("status", "--porcelain", "--untracked-files=all").stdout
    assert ".stackpacks/local" not in untracked and ".stackpacks/state.yml" in untracked
    assert git("check-ignore", "-q", ".stackpacks/base.tar.gz").returncode == 1  # tracked
