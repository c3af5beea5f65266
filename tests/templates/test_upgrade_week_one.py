"""A pack-1 project after a week of work, upgraded to pack 4 for real, then installed, migrated,
tested and built the way its README says.

The week-one edits (tests/upgrade/week_one.py) touch every shared manifest. After
`stackpacks upgrade --to 4` the edits are all there, `.env` has gained the variables packs 2-4
document, and `make install && make migrate`, the project's own backend tests on PostgreSQL and
`next build` pass. To stay quick it borrows the harness's caches: the project's venv is a fresh
one that sees the shared app venv's packages (so `make install` only adds the project itself and
the week's new dependency), and node_modules is a hard-linked copy of the cached pack-4 one.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from stackpacks import envfile, project, state
from stackpacks.catalogue import Selection
from tests.templates import harness
from tests.templates.harness import Variant
from tests.upgrade import week_one

pytestmark = pytest.mark.app

STACKPACKS = Path(sys.executable).parent / "stackpacks"
LOCK = Path("frontend") / "package-lock.json"


@pytest.fixture(scope="module")
def pack4() -> Variant:
    (found,) = (v for v in harness.variants() if v.id == "pack4")
    return found


@pytest.fixture(scope="module")
def week_old(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A pack-1 project with the week-one edits, committed: under .cache, beside the cached
    apps, so node_modules can be hard-linked from there."""
    harness.CACHE.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory(dir=harness.CACHE, prefix="upgrade-week-one-") as home:
        app = project.create(Selection("demo", 1), Path(home) / "demo").path
        week_one.apply(app)
        identity = ["-c", "user.email=test@example.com", "-c", "user.name=test"]
        for command in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-qm", "week one"]):
            harness.run(["git", *command], app)
        yield app


@pytest.fixture(scope="module")
def upgraded(week_old: Path) -> dict[str, object]:
    done = subprocess.run(
        [STACKPACKS, "upgrade", "--to", "4", "--json"],
        cwd=week_old,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report: dict[str, object] = json.loads(done.stdout) if done.stdout else {}
    assert done.returncode == 0, (done.returncode, report.get("conflict_reasons"), done.stderr)
    return report


def test_the_upgrade_keeps_every_week_one_edit(week_old: Path, upgraded: dict[str, object]) -> None:
    assert state.read(week_old).selection.pack == 4
    assert week_one.missing(week_old) == {}


def test_env_gains_the_variables_packs_2_to_4_document(
    week_old: Path, upgraded: dict[str, object]
) -> None:
    env = (week_old / ".env").read_text()
    added = upgraded["env_added"]
    assert isinstance(added, list) and {"REDIS_URL", "JOB_MAX_ATTEMPTS"} <= set(added)
    assert envfile.names((week_old / ".env.example").read_text()) <= envfile.names(env)
    assert "EMAIL_URL=smtp://127.0.0.1:1025\n" in env  # the user's own, untouched


def test_the_upgraded_project_installs_migrates_tests_and_builds(
    week_old: Path, upgraded: dict[str, object], venv: Path, pack4: Variant
) -> None:
    install_migrate_test_build(week_old, venv, pack4)


def install_migrate_test_build(app: Path, venv: Path, pack4: Variant) -> None:
    """What the README says to do after an upgrade, then the project's own checks."""
    cached = harness.materialize(pack4)
    harness.npm_install(cached)
    borrow_packages(app, venv, cached)
    database = f"sp_upgrade_week_one{'_' + harness.RUN_TAG if harness.RUN_TAG else ''}"
    harness.recreate_database(database)
    url = f"postgres://postgres@127.0.0.1:5432/{database}"
    env = {
        "DATABASE_URL": url,
        "REDIS_URL": pack4.redis_url(),
        "DJANGO_SECRET_KEY": "harness-" + "x" * 50,
        "PYTEST_ADDOPTS": "-q -p no:cacheprovider",
        "VIRTUAL_ENV": "",
    }
    python = harness.python312()
    harness.run(["make", "install", "migrate", f"PYTHON={python}"], app, env, timeout=900)
    harness.run([app / "backend/.venv/bin/python", "-c", "import humanize"], app)
    result = harness.run(["make", "test", f"TEST_DATABASE_URL={url}"], app, env, timeout=900)
    passed = re.search(r"(\d+) passed", result.stdout)
    assert passed and int(passed.group(1)) >= 10, result.stdout[-2000:]
    assert " failed" not in result.stdout
    harness.run(["npm", "run", "build"], app / "frontend", {"NEXT_TELEMETRY_DISABLED": "1"})
    assert (app / "frontend/.next/BUILD_ID").is_file()


def borrow_packages(app: Path, venv: Path, cached: Path) -> None:
    """backend/.venv sees the shared app venv's packages (a .pth line) and installs only what
    they lack; frontend/node_modules is the cached pack-4 one, hard-linked (the lock is the
    same at every pack), marked installed so `make install` does not run `npm ci` again."""
    harness.run([harness.python312(), "-m", "venv", app / "backend/.venv"], app)
    version = next((venv / "lib").glob("python3.*")).name
    shared = venv / "lib" / version / "site-packages"
    ours = next((app / "backend/.venv/lib").glob("python3.*")) / "site-packages"
    (ours / "shared-app-venv.pth").write_text(f"{shared}\n")
    bin_folder = app / "backend/.venv/bin"
    for script in sorted((venv / "bin").iterdir()):  # pytest, ruff, gunicorn, ...
        target = bin_folder / script.name
        if target.exists() or not script.is_file():
            continue
        if _first(script).startswith(b"#!") and b"python" in _first(script):
            target.write_text(f'#!/bin/sh\nexec "{bin_folder / "python"}" "{script}" "$@"\n')
            target.chmod(0o755)
        else:
            target.symlink_to(script)  # a binary (ruff)
    if (cached / LOCK).read_bytes() == (app / LOCK).read_bytes():
        modules = app / "frontend/node_modules"
        shutil.rmtree(modules, ignore_errors=True)
        harness.run(["cp", "-al", cached / "frontend/node_modules", modules], app)
        (modules / ".installed").touch()


def _first(script: Path) -> bytes:
    with script.open("rb") as handle:
        return handle.readline()
