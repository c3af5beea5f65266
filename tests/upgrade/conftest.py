"""Fixtures of the upgrade scenarios: fixture layers, fresh projects, one upgrade call."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from stackpacks import catalogue
from stackpacks.catalogue import Selection
from stackpacks.project import create
from stackpacks.upgrade import Request, UpgradeReport, upgrade
from tests.upgrade.support import make_available, make_layers

NewProject = Callable[..., Path]
Upgrade = Callable[..., UpgradeReport]


@pytest.fixture(scope="session")
def layers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_layers(tmp_path_factory.mktemp("layers"))


@pytest.fixture
def templates(layers: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The fixture layers as the tool's templates, their packs 2-3 available."""
    monkeypatch.setenv("STACKPACKS_TEMPLATES", str(layers))
    original = make_available(2, 3)
    yield layers
    catalogue.PACKS = original


@pytest.fixture
def new_project(templates: Path, tmp_path: Path) -> NewProject:
    def make(pack: int = 1, name: str = "shop", folder: str = "shop") -> Path:
        return create(Selection(name, pack), tmp_path / folder, token=lambda: "secret").path

    return make


@pytest.fixture
def project(new_project: NewProject) -> Path:
    return new_project()


@pytest.fixture
def run_upgrade(templates: Path) -> Upgrade:
    def go(project: Path, to: int = 2, **options: object) -> UpgradeReport:
        options.setdefault("allow_dirty", True)
        return upgrade(project, Request(to, **options))  # type: ignore[arg-type]

    return go
