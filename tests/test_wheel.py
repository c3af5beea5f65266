"""The wheel is the product: build it, install it into a fresh venv, and generate from there."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("stackpacks-*.whl")
    return found


def test_wheel_ships_the_templates(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "stackpacks/templates/copier.yml" in names
    assert any(n.startswith("stackpacks/templates/pack1_sync/backend/") for n in names)
    assert "stackpacks/catalogue/python-constraints.txt" in names  # render reads it
    assert "stackpacks/templates/api/pack1/openapi.yml" in names  # and the API snapshots
    assert not any("node_modules" in n or "__pycache__" in n for n in names)


def test_new_works_from_an_installed_wheel(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run(
        [venv / "bin" / "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [venv / "bin" / "stackpacks", "new", "demo", "--path", str(tmp_path / "demo")],
        cwd=tmp_path,  # not the checkout: the templates must come from the wheel
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "demo" / "backend" / "manage.py").is_file()
    assert "\ndjango==" in (tmp_path / "demo" / "backend" / "constraints.txt").read_text()
    assert (tmp_path / "demo" / ".stackpacks" / "state.yml").is_file()
    packs = subprocess.run(
        [venv / "bin" / "stackpacks", "packs", "--json"], capture_output=True, text=True
    )
    assert '"available"' in packs.stdout
