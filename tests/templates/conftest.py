"""Fixtures of the generated-app matrix: one variant per available pack/queue of the catalogue."""

from __future__ import annotations

import os
from dataclasses import dataclass
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


@dataclass(frozen=True)
class Built:
    """A project after a production `next build`, and the backend port its rewrites point at
    (`next build` bakes the `/api/` rewrite's destination into the build)."""

    app: Path
    api_port: int

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.api_port}"


@pytest.fixture(scope="session")
def built(app: Path) -> Built:
    result = Built(app, harness.free_port())
    harness.run(
        ["npm", "run", "build"],
        app / "frontend",
        {"NEXT_TELEMETRY_DISABLED": "1", "DJANGO_API_URL": result.api},
    )
    return result


def backend_env(venv: Path, variant: Variant, **extra: str) -> dict[str, str]:
    """The environment the backend runs with in tests: PostgreSQL, production-like settings."""
    return {
        "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
        "VIRTUAL_ENV": str(venv),
        "DATABASE_URL": variant.database_url(),
        "REDIS_URL": variant.redis_url(),
        "DJANGO_SECRET_KEY": "harness-" + "x" * 50,
        **extra,
    }
