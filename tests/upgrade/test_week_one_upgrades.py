"""The week-one edits (tests/upgrade/week_one.py) upgrade cleanly between the real packs: every
shared manifest the user touched is merged by its structure, nothing is lost, nothing conflicts.
The installed and built result is tests/templates/test_upgrade_week_one.py's (1 -> 4)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackpacks.catalogue import Selection
from stackpacks.project import create
from stackpacks.upgrade import Action, Outcome, Request, upgrade
from tests.upgrade import week_one

MANIFESTS = {"backend/pyproject.toml", "Procfile", "compose.yaml", ".env.example"}


@pytest.mark.parametrize(("k", "n"), [(1, 4), (2, 4), (1, 3)], ids=["1-to-4", "2-to-4", "1-to-3"])
def test_week_one_edits_upgrade_cleanly(tmp_path: Path, k: int, n: int) -> None:
    app = create(Selection("shop", k), tmp_path / "shop").path
    week_one.apply(app)
    report = upgrade(app, Request(n, allow_dirty=True))
    assert report.outcome is Outcome.APPLIED
    assert report.plan.conflicts == ()
    assert week_one.missing(app) == {}
    merged = {a.path for a in report.plan.having(Action.MERGE)}
    assert merged >= MANIFESTS, merged
