"""new(K) then upgrade to N equals new(N), byte for byte except `.env` and the history records;
stepping equals jumping.

The records (`docs/adr/`, `docs/runbooks/`) tell how the project got where it is: `new` records
its packs as decisions taken at creation, an upgrade records each pack it adopts, with a runbook.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from stackpacks import catalogue
from stackpacks.catalogue import Selection, Status
from stackpacks.project import create
from stackpacks.render import hash_tree
from stackpacks.upgrade import Outcome, Request, upgrade
from tests.upgrade.conftest import NewProject, Upgrade

HISTORY = ("docs/adr/", "docs/runbooks/")


def tree(root: Path) -> dict[str, str]:
    """Every file's sha256 but the untracked secrets file and the history records."""
    return {
        name: digest
        for name, digest in hash_tree(root).items()
        if name != ".env" and not name.startswith(HISTORY)
    }


def modes(root: Path) -> dict[str, int]:
    found = {p.relative_to(root).as_posix(): p.stat().st_mode for p in root.rglob("*")}
    return {name: mode for name, mode in found.items() if not f"{name}/".startswith(HISTORY)}


def real_pairs() -> list[object]:
    available = [p.number for p in catalogue.PACKS if p.status is Status.AVAILABLE]
    pairs = [(k, n) for k in available for n in available if k < n]
    if not pairs:
        return [pytest.param(0, 0, marks=pytest.mark.skip(reason="fewer than two packs available"))]
    return [pytest.param(k, n, id=f"{k}-to-{n}") for k, n in pairs]


@pytest.mark.parametrize(("k", "n"), [(1, 2), (1, 3), (2, 3)], ids=["1-to-2", "1-to-3", "2-to-3"])
def test_upgrade_of_an_untouched_project_equals_new_at_the_target(
    new_project: NewProject, run_upgrade: Upgrade, k: int, n: int
) -> None:
    upgraded = new_project(pack=k, folder="upgraded")
    report = run_upgrade(upgraded, to=n)
    fresh = new_project(pack=n, folder="fresh")
    assert report.outcome is Outcome.APPLIED and not report.plan.conflicts
    assert tree(upgraded) == tree(fresh)
    assert modes(upgraded) == modes(fresh)


@pytest.mark.parametrize(("k", "n"), real_pairs())
def test_real_packs_upgrade_equals_new(tmp_path: Path, k: int, n: int) -> None:
    upgraded = create(Selection("shop", k), tmp_path / "upgraded").path
    upgrade(upgraded, Request(n, allow_dirty=True))
    fresh = create(Selection("shop", n), tmp_path / "fresh").path
    assert tree(upgraded) == tree(fresh)


def test_stepping_one_pack_at_a_time_equals_jumping(
    new_project: NewProject, run_upgrade: Upgrade
) -> None:
    stepped = new_project(folder="stepped")
    with (stepped / "backend/settings.py").open("a") as settings:
        settings.write("MINE = 1\n")
    (stepped / "backend/mine.py").write_text("own\n")
    jumped = stepped.parent / "jumped"
    shutil.copytree(stepped, jumped, symlinks=True)
    run_upgrade(stepped, to=2)
    run_upgrade(stepped, to=3)
    run_upgrade(jumped, to=3)
    assert tree(stepped) == tree(jumped)


def _needs_pack_2() -> pytest.MarkDecorator:
    available = catalogue.get_pack(2).status is Status.AVAILABLE
    return pytest.mark.skipif(not available, reason="pack 2 is not available")


@_needs_pack_2()
def test_queue_db_then_switch_to_celery_equals_new_with_celery(tmp_path: Path) -> None:
    upgraded = create(Selection("shop", 2, queue="db"), tmp_path / "upgraded").path
    report = upgrade(upgraded, Request(None, allow_dirty=True, queue="celery"))
    fresh = create(Selection("shop", 2, queue="celery"), tmp_path / "fresh").path
    assert report.outcome is Outcome.APPLIED and not report.plan.conflicts
    assert tree(upgraded) == tree(fresh)  # the records keep telling why the db queue was adopted
    assert "django-tasks-db" not in (upgraded / "backend/pyproject.toml").read_text()
    assert "celery" in (upgraded / "backend/pyproject.toml").read_text()


@_needs_pack_2()
def test_pack_1_to_2_with_the_db_queue_equals_new_with_it(tmp_path: Path) -> None:
    upgraded = create(Selection("shop", 1), tmp_path / "upgraded").path
    upgrade(upgraded, Request(2, allow_dirty=True, queue="db"))
    fresh = create(Selection("shop", 2, queue="db"), tmp_path / "fresh").path
    assert tree(upgraded) == tree(fresh)


def _available_options() -> list[object]:
    options = [o for o in catalogue.OPTIONS if o.status is Status.AVAILABLE]
    if not options:
        return [pytest.param("", marks=pytest.mark.skip(reason="no option available"))]
    return [pytest.param(o.name, id=o.name) for o in options]


@pytest.mark.parametrize("option", _available_options())
def test_moving_up_with_an_option_equals_new_with_it(tmp_path: Path, option: str) -> None:
    at = catalogue.get_option(option).pack
    upgraded = create(Selection("shop", at - 1), tmp_path / "upgraded").path
    upgrade(upgraded, Request(at, options=(option,), allow_dirty=True))
    fresh = create(Selection("shop", at, options=(option,)), tmp_path / "fresh").path
    assert tree(upgraded) == tree(fresh)


@pytest.mark.parametrize("option", _available_options())
def test_adding_an_option_at_its_pack_equals_new_with_it(tmp_path: Path, option: str) -> None:
    at = catalogue.get_option(option).pack
    upgraded = create(Selection("shop", at), tmp_path / "upgraded").path
    report = upgrade(upgraded, Request(None, options=(option,), allow_dirty=True))
    fresh = create(Selection("shop", at, options=(option,)), tmp_path / "fresh").path
    assert report.outcome is Outcome.APPLIED and not report.plan.conflicts
    assert tree(upgraded) == tree(fresh)
