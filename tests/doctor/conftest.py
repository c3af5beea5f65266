"""The pain lab's shared pieces: the pack-1 project, the backend venv, a migrated database."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.doctor import lab
from tests.templates import harness
from tests.templates.harness import Variant


@pytest.fixture(scope="session")
def variant() -> Variant:
    return next(v for v in harness.variants() if v.selection.pack == 1)


@pytest.fixture(scope="session")
def venv() -> Path:
    return harness.app_venv()


@pytest.fixture(scope="session")
def project(variant: Variant, venv: Path) -> Path:
    """The generated pack-1 project, migrated onto the lab's own database."""
    path = harness.materialize(variant)
    harness.recreate_database(lab.DATABASE)
    env = {
        "PATH": f"{venv / 'bin'}:{__import__('os').environ['PATH']}",
        "DATABASE_URL": lab.DATABASE_URL,
        "DJANGO_SECRET_KEY": "pain-lab-" + "x" * 50,
    }
    harness.run(["python", "manage.py", "migrate", "--noinput"], path / "backend", env)
    return path
