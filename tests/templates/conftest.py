"""Fixtures of the generated-app matrix: one variant per available pack/queue of the catalogue."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.templates import harness
from tests.templates.harness import Variant


@pytest.fixture(scope="session", params=harness.variants(), ids=lambda v: v.id)
def variant(request: pytest.FixtureRequest) -> Variant:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture(scope="session")
def venv() -> Path:
    return harness.app_venv()


@pytest.fixture(scope="session")
def app(variant: Variant) -> Path:
    """The generated project of the variant, with its frontend packages installed."""
    path = harness.materialize(variant)
    harness.npm_install(path)
    return path


@pytest.fixture(scope="session")
def built(app: Path) -> Path:
    """The project after a production `next build`."""
    harness.run(["npm", "run", "build"], app / "frontend", {"NEXT_TELEMETRY_DISABLED": "1"})
    return app


def backend_env(venv: Path, variant: Variant, **extra: str) -> dict[str, str]:
    """The environment the backend runs with in tests: PostgreSQL, production-like settings."""
    return {
        "PATH": f"{venv / 'bin'}:{__import__('os').environ['PATH']}",
        "VIRTUAL_ENV": str(venv),
        "DATABASE_URL": variant.database_url(),
        "DJANGO_SECRET_KEY": "harness-" + "x" * 50,
        **extra,
    }
