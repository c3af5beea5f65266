"""An upgrade tops up the untracked `.env`, and re-derives the derived files both sides changed.

`.env`: the fixture layers render `.env.example` from the catalogue; fixture pack 2 documents
REDIS_URL. Derived files: layers of their own, in which pack 2 moves a pin of
`backend/constraints.txt` and adds a package to `frontend/package.json` and its lock.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from stackpacks import catalogue
from stackpacks.catalogue import Selection
from stackpacks.cli.present_upgrade import as_data
from stackpacks.project import create
from stackpacks.upgrade import Outcome, Request, upgrade
from stackpacks.upgrade.derived import CONSTRAINTS, LOCK, PACKAGE
from stackpacks.upgrade.plan import Action
from tests.unit.upgrade.test_derived import INTEGRITY
from tests.upgrade.conftest import Upgrade
from tests.upgrade.support import make_available, make_layers


def test_upgrade_appends_the_variables_it_documents_to_env(
    project: Path, run_upgrade: Upgrade
) -> None:
    env = project / ".env"
    mine = env.read_text().replace("DJANGO_DEBUG=1", "DJANGO_DEBUG=0") + "OWN=1\n"
    env.write_text(mine)
    report = run_upgrade(project, 2)
    assert report.env_added == ("REDIS_URL",)
    assert env.read_text() == mine + "# the broker\nREDIS_URL=redis://127.0.0.1:6379/0\n"
    assert stat.S_IMODE(env.stat().st_mode) == 0o600
    assert as_data(report)["env_added"] == ["REDIS_URL"]


def test_upgrade_never_changes_a_variable_you_set(project: Path, run_upgrade: Upgrade) -> None:
    env = project / ".env"
    mine = env.read_text() + "REDIS_URL=redis://cache.internal:6379/3\n"
    env.write_text(mine)
    report = run_upgrade(project, 2)
    assert report.env_added == ()
    assert env.read_text() == mine


def test_upgrade_writes_no_env_where_the_project_has_none(
    project: Path, run_upgrade: Upgrade
) -> None:
    (project / ".env").unlink()
    report = run_upgrade(project, 2)
    assert report.env_added == ()
    assert not (project / ".env").exists()


def test_a_dry_run_says_what_env_would_gain_and_writes_nothing(
    project: Path, run_upgrade: Upgrade
) -> None:
    before = (project / ".env").read_bytes()
    report = run_upgrade(project, 2, dry_run=True)
    assert report.outcome is Outcome.DRY_RUN
    assert report.env_added == ("REDIS_URL",)
    assert (project / ".env").read_bytes() == before


def test_a_refused_upgrade_adds_nothing_to_env(project: Path, run_upgrade: Upgrade) -> None:
    (project / "backend/settings.py").write_text("SETTING_2 = 'mine'\n")  # conflicts
    before = (project / ".env").read_bytes()
    report = run_upgrade(project, 2)
    assert report.outcome is Outcome.REFUSED
    assert report.env_added == ()
    assert (project / ".env").read_bytes() == before


PINS = "# Exact versions.\nasgiref==3.9.0\ndjango==6.0.10\nsqlparse==0.5.3\n"
MINE = {"js-tokens": "^4.0.0"}  # what you `npm install`ed
PACKS = {"server-only": "0.0.1"}  # the devDependency pack 2 adds


def package(deps: dict[str, str], dev: dict[str, str]) -> bytes:
    """A package.json whose dependencies and devDependencies lie apart (scripts between)."""
    doc = {"name": "shop", "version": "0.1.0", "private": True, "dependencies": deps}
    doc |= {"scripts": {"build": "next build"}, "devDependencies": dev}
    return (json.dumps(doc, indent=2) + "\n").encode()


def lock(deps: dict[str, str], dev: dict[str, str]) -> bytes:
    """npm's lockfile v3 of `package(deps, dev)`."""
    root = {"name": "shop", "version": "0.1.0", "dependencies": deps, "devDependencies": dev}
    packages: dict[str, object] = {"": root}
    for name in sorted({**deps, **dev}):
        version, integrity = INTEGRITY[name]
        entry = {"version": version, "integrity": integrity, "license": "MIT"}
        packages[f"node_modules/{name}"] = {**entry, **({"dev": True} if name in dev else {})}
    doc = {"name": "shop", "version": "0.1.0", "lockfileVersion": 3, "requires": True}
    return (json.dumps({**doc, "packages": packages}, indent=2) + "\n").encode()


@pytest.fixture
def derived_templates(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Fixture layers whose pack 2 moves django's pin and adds a devDependency."""
    root = make_layers(tmp_path_factory.mktemp("derived-layers"))
    for layer, files in {
        "pack1_sync": {
            CONSTRAINTS: PINS,
            PACKAGE: package({}, {}).decode(),
            LOCK: lock({}, {}).decode(),
        },
        "pack2_queues": {
            CONSTRAINTS: PINS.replace("django==6.0.10", "django==6.0.11"),
            PACKAGE: package({}, PACKS).decode(),
            LOCK: lock({}, PACKS).decode(),
        },
    }.items():
        for name, text in files.items():
            (root / layer / name).parent.mkdir(parents=True, exist_ok=True)
            (root / layer / name).write_text(text)
    monkeypatch.setenv("STACKPACKS_TEMPLATES", str(root))
    monkeypatch.setenv("npm_config_registry", "http://127.0.0.1:9/")  # the locks suffice
    original = make_available(2, 3)
    yield root
    catalogue.PACKS = original


def test_derived_files_both_sides_changed_are_re_derived(
    derived_templates: Path, tmp_path: Path
) -> None:
    project = create(Selection("shop", 1), tmp_path / "shop", token=lambda: "secret").path
    constraints = project / CONSTRAINTS
    constraints.write_text(constraints.read_text() + "stripe==11.0.0\n")
    (project / PACKAGE).write_bytes(package(MINE, {}))  # `npm install js-tokens`
    (project / LOCK).write_bytes(lock(MINE, {}))
    report = upgrade(project, Request(2, allow_dirty=True))

    assert report.outcome is Outcome.APPLIED and not report.plan.conflicts
    assert constraints.read_text() == PINS.replace("django==6.0.10", "django==6.0.11").replace(
        "sqlparse==0.5.3\n", "sqlparse==0.5.3\nstripe==11.0.0\n"
    )
    assert (project / PACKAGE).read_bytes() == package(MINE, PACKS)  # merged by lines
    assert json.loads((project / LOCK).read_bytes()) == json.loads(lock(MINE, PACKS))
    merged = {a.path: a.action for a in report.plan.actions}
    assert merged[CONSTRAINTS] is Action.MERGE and merged[LOCK] is Action.MERGE
    assert as_data(report)["derived"] == {
        CONSTRAINTS: {
            "derived": True,
            "why": "re-derived: the pack's pins; kept yours: stripe ==11.0.0",
        },
        LOCK: {"derived": True, "why": f"re-derived by npm from the {PACKAGE} this upgrade leaves"},
    }


def test_derived_files_you_left_alone_are_the_packs(
    derived_templates: Path, tmp_path: Path
) -> None:
    project = create(Selection("shop", 1), tmp_path / "shop", token=lambda: "secret").path
    report = upgrade(project, Request(2, allow_dirty=True))
    assert report.derived == ()
    assert (project / CONSTRAINTS).read_text() == PINS.replace("6.0.10", "6.0.11")
    assert (project / LOCK).read_bytes() == lock({}, PACKS)
