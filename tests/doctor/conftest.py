"""The pain lab's shared pieces: the pack-1 project, the backend venv, a migrated database."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.doctor import lab, lab_queues
from tests.templates import harness
from tests.templates.conftest import backend_env
from tests.templates.harness import Variant

LOCK = Path("/tmp/stackpacks-doctor-lab.lock")


@pytest.fixture(scope="session", autouse=True)
def one_lab_at_a_time() -> Iterator[None]:
    """The lab's databases, Redis database and processes are fixed names on a shared machine:
    a second run of the lab waits for the first instead of truncating its tables mid-test."""
    with LOCK.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


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


@pytest.fixture(scope="session", params=["pack2", "pack2-db"])
def queue_variant(request: pytest.FixtureRequest) -> Variant:
    return next(v for v in harness.variants() if v.id == request.param)


@pytest.fixture(scope="session")
def queue_source(queue_variant: Variant, venv: Path) -> Path:
    """The generated pack-2 project, migrated onto the lab's own database for that variant."""
    path = harness.materialize(queue_variant)
    url = lab_queues.database_url(queue_variant)
    harness.recreate_database(url.rpartition("/")[2])
    env = backend_env(venv, queue_variant, DATABASE_URL=url)
    harness.run(["python", "manage.py", "migrate", "--noinput"], path / "backend", env)
    return path


@pytest.fixture
def queue_project(queue_source: Path, queue_variant: Variant, tmp_path: Path) -> Path:
    """A copy of the project per scenario, on a database without earlier scenarios' jobs."""
    lab_queues.reset_jobs(lab_queues.database_url(queue_variant))
    return lab_queues.copy_project(queue_source, tmp_path / "demo")


STREAMS_DATABASE = "sp_doctor3_lab"
SOCKETS_DATABASE = "sp_doctor4_lab"


def migrated(variant: Variant, venv: Path, database: str) -> Path:
    """The variant's generated project, migrated onto the lab's own database for it."""
    path = harness.materialize(variant)
    harness.recreate_database(database)
    url = f"postgres://postgres@127.0.0.1:5432/{database}"
    env = backend_env(venv, variant, DATABASE_URL=url)
    harness.run(["python", "manage.py", "migrate", "--noinput"], path / "backend", env)
    return path


@pytest.fixture(scope="session")
def stream_variant() -> Variant:
    return next(v for v in harness.variants() if v.id == "pack3")


@pytest.fixture(scope="session")
def stream_project(stream_variant: Variant, venv: Path) -> Path:
    return migrated(stream_variant, venv, STREAMS_DATABASE)


@pytest.fixture(scope="session")
def socket_variant() -> Variant:
    return next(v for v in harness.variants() if v.id == "pack4")


@pytest.fixture(scope="session")
def socket_project(socket_variant: Variant, venv: Path) -> Path:
    return migrated(socket_variant, venv, SOCKETS_DATABASE)
