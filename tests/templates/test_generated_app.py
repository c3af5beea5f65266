"""Each available pack, generated and run for real: its own tests on PostgreSQL, linters, the
frontend build, and a browser driving the production servers."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from stackpacks.catalogue import constraints
from tests.templates import harness, regen_api
from tests.templates.conftest import Built, backend_env
from tests.templates.harness import Variant

pytestmark = pytest.mark.app


def test_backend_own_tests_pass_on_postgresql(app: Path, venv: Path, variant: Variant) -> None:
    """`make test`, as a user runs it in a new shell: no virtualenv active, none on PATH (the
    shared test venv stands in for `make install`'s, through the Makefile's BIN)."""
    env = backend_env(venv, variant)
    env["PATH"] = os.pathsep.join(
        folder
        for folder in os.environ["PATH"].split(os.pathsep)
        if not (Path(folder) / "activate").exists()  # a virtualenv's bin
    )
    del env["VIRTUAL_ENV"]
    env["PYTEST_ADDOPTS"] = "-q -p no:cacheprovider"
    make = ["make", "-o", "install", "test", f"BIN={venv / 'bin'}"]
    result = harness.run([*make, f"TEST_DATABASE_URL={variant.database_url()}"], app, env)
    passed = re.search(r"(\d+) passed", result.stdout)
    assert passed and int(passed.group(1)) >= 10, result.stdout[-2000:]
    assert " failed" not in result.stdout
    # `make test` measures coverage and holds it to the floor in pyproject.toml.
    assert "Required test coverage of" in result.stdout, result.stdout[-2000:]


def test_backend_typechecks(app: Path, venv: Path, variant: Variant) -> None:
    """`make lint`'s mypy step: the whole backend, tests included, against django-stubs and
    djangorestframework-stubs, with the configuration in backend/pyproject.toml."""
    lint = harness.makefile_recipe(app / "Makefile", "lint")
    assert "cd backend && $(BIN)/mypy" in lint
    result = harness.run([venv / "bin" / "mypy"], app / "backend", backend_env(venv, variant))
    assert result.stdout.startswith("Success: no issues found"), result.stdout[-2000:]


def test_backend_runs_exactly_the_constrained_versions(app: Path, venv: Path) -> None:
    """Every distribution in the venv is pinned by the project's constraints.txt, at that
    version, and the set is consistent: nothing installed that a later install could change."""
    pip = venv / "bin" / "pip"
    harness.run([pip, "check"], app)
    frozen = constraints.parse(
        harness.run([pip, "freeze", "--all", "--exclude", "pip"], app).stdout
    )
    locked = constraints.parse((app / "backend" / "constraints.txt").read_text())
    unpinned = {name: v for name, v in frozen.items() if locked.get(name) != v}
    assert not unpinned, f"installed but not pinned (run scripts/lock-python): {unpinned}"
    assert {"django", "asgiref", "sqlparse"} <= frozen.keys()


def test_backend_is_ruff_clean(app: Path, venv: Path) -> None:
    ruff = venv / "bin" / "ruff"
    harness.run([ruff, "check", "--no-cache", "."], app / "backend")
    harness.run([ruff, "format", "--check", "--no-cache", "."], app / "backend")


def test_migrations_match_the_models(app: Path, venv: Path, variant: Variant) -> None:
    harness.run(
        ["python", "manage.py", "makemigrations", "--check", "--dry-run"],
        app / "backend",
        backend_env(venv, variant),
    )


def test_frontend_typechecks_and_lints(app: Path) -> None:
    harness.run(["npm", "run", "typecheck"], app / "frontend")
    harness.run(["npm", "run", "lint"], app / "frontend")


def test_api_types_match_the_backend_schema(
    app: Path, venv: Path, variant: Variant, tmp_path: Path
) -> None:
    schema = tmp_path / "schema.yml"
    harness.run(
        ["python", "manage.py", "spectacular", "--file", str(schema)],
        app / "backend",
        backend_env(venv, variant),
    )
    harness.run(["npm", "run", "api:check", "--", str(schema)], app / "frontend")


def test_committed_api_snapshot_is_what_the_backend_generates(
    app: Path, venv: Path, variant: Variant
) -> None:
    """templates/api/packN/ is the real output of spectacular and openapi-typescript for every
    variant of the pack: a serializer, view or docstring changed without regenerating fails."""
    fresh = regen_api.export(app, backend_env(venv, variant))
    stale = regen_api.stale(variant.selection.pack, fresh)
    assert not stale, f"templates/api/pack{variant.selection.pack}/{stale}: run scripts/regen-api"


def test_frontend_builds(built: Built) -> None:
    assert (built.app / "frontend" / ".next" / "BUILD_ID").is_file()
