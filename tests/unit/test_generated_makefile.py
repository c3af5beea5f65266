"""The generated Makefile finds Python 3.12 the way this repository's bootstrap does, and says in
one line what to do when there is none (instead of `python3.12: command not found`)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from stackpacks.catalogue import Selection
from stackpacks.render import render

NO_FRONTEND = ("-o", "frontend/node_modules/.installed")  # the backend half of `make install`


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(Selection("demo", 1), tmp_path_factory.mktemp("make") / "demo").root


def make(project: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [shutil.which("make") or "make", *NO_FRONTEND, *args]
    return subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)


def test_install_uses_a_python_3_12_that_is_not_on_path_as_python3_12(project: Path) -> None:
    """On this machine Python 3.12 is pyenv's, and `python3.12` on PATH is pyenv's shim, which
    fails (no pyenv version selects 3.12); scripts/bootstrap.sh finds it the same way. The dry run
    shows which interpreter `make install` would use."""
    if _runs("python3.12"):
        pytest.skip("python3.12 on PATH runs: the search has nothing to find")
    dry = make(project, "-n", "install", env=dict(os.environ))
    assert dry.returncode == 0, dry.stderr
    venv_line = next(line for line in dry.stdout.splitlines() if " -m venv " in line)
    python = venv_line.split(" -m venv ")[0]
    version = subprocess.run([python, "--version"], capture_output=True, text=True, check=True)
    assert version.stdout.startswith("Python 3.12."), version.stdout


def _runs(command: str) -> bool:
    found = shutil.which(command)
    return bool(found) and subprocess.run([found, "-c", ""], capture_output=True).returncode == 0


def test_without_python_3_12_install_says_what_to_do_and_creates_nothing(
    project: Path, tmp_path: Path
) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}  # no pyenv, no uv, no python3.12
    if any(Path(folder, "python3.12").exists() for folder in env["PATH"].split(":")):
        pytest.skip("this machine has a system python3.12")
    result = make(project, "install", env=env)
    assert result.returncode == 2
    assert "Python 3.12 not found" in result.stderr and "PYTHON=" in result.stderr
    assert not (project / "backend" / ".venv").exists()
