"""The generated-app harness: catalogue variants, cached projects, one shared venv, servers.

A variant is one selection the matrix generates (a pack, a queue). Projects are generated under
`.cache/apps/<variant>/` and reused while their render is byte-identical, so `node_modules` and the
Next.js build survive between runs; one virtualenv (Python 3.12) holds every variant's backend
dependencies. Adding a pack to the matrix is a catalogue change, not a test change.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import httpx
import psycopg

from stackpacks import catalogue, project
from stackpacks.catalogue import QUEUES, Selection, Status, constraints
from stackpacks.catalogue.context import build

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Two checkouts running the matrix at once on one machine: each sets its own tag (a suffix of
# its database names) and its own Redis server (host:port), so their runs share no state.
RUN_TAG = os.environ.get("STACKPACKS_TEST_TAG", "")
REDIS_HOST = os.environ.get("STACKPACKS_TEST_REDIS", "127.0.0.1:6379")


# Redis databases of the variants with an option, counted down from here: 0 is the developer's,
# 2 x pack (+1 at --queue db) the plain variants', 14 the doctor pain lab's.
_OPTION_REDIS_DBS = (15, 13)


@dataclass(frozen=True)
class Variant:
    id: str
    selection: Selection
    redis_db: int | None = None  # None: the plain variant's of its pack and queue

    @property
    def db_name(self) -> str:
        return "sp_" + self.id.replace("-", "_") + (f"_{RUN_TAG}" if RUN_TAG else "")

    def database_url(self, suffix: str = "") -> str:
        return f"postgres://postgres@127.0.0.1:5432/{self.db_name}{suffix}"

    def redis_url(self) -> str:
        """A Redis database of its own per variant (the server on 127.0.0.1:6379 is shared)."""
        number = self.redis_db
        if number is None:
            number = 2 * self.selection.pack + (self.selection.queue != "celery")
        return f"redis://{REDIS_HOST}/{number}"


def variants() -> list[Variant]:
    """Every available pack on each queue, and each available option once, at its own pack
    on the default queue (e.g. `pack4-daphne`)."""
    found = []
    for pack in catalogue.PACKS:
        if pack.status is not Status.AVAILABLE:
            continue
        for queue in QUEUES if pack.number >= 2 else ("celery",):
            suffix = "" if queue == "celery" else f"-{queue}"
            selection = Selection("demo", pack.number, (), queue)
            found.append(Variant(f"pack{pack.number}{suffix}", selection))
    options = [o for o in catalogue.OPTIONS if o.status is Status.AVAILABLE]
    if len(options) > len(_OPTION_REDIS_DBS):
        raise RuntimeError("more option variants than Redis databases: extend _OPTION_REDIS_DBS")
    for option, redis_db in zip(options, _OPTION_REDIS_DBS, strict=False):
        selection = Selection("demo", option.pack, (option.name,))
        found.append(Variant(f"pack{option.pack}-{option.name}", selection, redis_db))
    return found


def run(
    cmd: Sequence[str | os.PathLike[str]],
    cwd: Path,
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run a command; on failure, fail with its output's tail so the reason is in the report."""
    result = subprocess.run(
        [str(c) for c in cmd],
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-6000:]
        raise AssertionError(f"{' '.join(map(str, cmd))} exited {result.returncode}:\n{output}")
    return result


def python312() -> str:
    found = os.environ.get("PYTHON312") or shutil.which("python3.12")
    if not found:
        raise RuntimeError("Python 3.12 not found: run the suite through scripts/test")
    return found


def app_venv() -> Path:
    """One virtualenv with every variant's backend requirements, installed with the constraints
    every generated project installs with (so tests run the versions users get), keyed by both."""
    pins: set[str] = set()
    for variant in variants():
        context = build(variant.selection)
        pins.update(context["python_deps"], context["python_dev_deps"])
    locked = "\n".join(constraints.lines())
    key = hashlib.sha256("\n".join([*sorted(pins), locked]).encode()).hexdigest()[:12]
    venv = CACHE / f"app-venv-{key}"
    if not (venv / ".complete").exists():
        shutil.rmtree(venv, ignore_errors=True)
        run([python312(), "-m", "venv", venv], ROOT)
        (venv / "constraints.txt").write_text(locked + "\n")
        install = ["install", "--quiet", "-c", venv / "constraints.txt", *sorted(pins)]
        run([venv / "bin" / "pip", *install], ROOT, timeout=900)
        (venv / ".complete").touch()
    return venv


def materialize(variant: Variant) -> Path:
    """The variant's project under .cache, regenerated only when its render changed."""
    home = CACHE / "apps" / variant.id
    dest = home / variant.selection.name
    home.mkdir(parents=True, exist_ok=True)
    # Cleanup errors ignored: a server of another run may still write into the stale copy.
    with tempfile.TemporaryDirectory(dir=home, ignore_cleanup_errors=True) as scratch:
        fresh = Path(scratch) / variant.selection.name
        project.create(variant.selection, fresh)
        state_file = Path(".stackpacks") / "state.yml"
        current = dest / state_file
        if current.is_file() and current.read_bytes() == (fresh / state_file).read_bytes():
            return dest
        _keep_node_modules(dest, fresh)
        # Moved aside, not deleted in place: a `next start` still running from it keeps writing
        # there (.next/cache), and the new project is not left half-deleted by an interrupted run.
        if dest.exists():
            dest.rename(Path(scratch) / "stale")
        fresh.rename(dest)
    return dest


def _keep_node_modules(old: Path, new: Path) -> None:
    lock = Path("frontend") / "package-lock.json"
    modules = old / "frontend" / "node_modules"
    if (
        modules.is_dir()
        and (old / lock).is_file()
        and (old / lock).read_bytes() == (new / lock).read_bytes()
    ):
        modules.rename(new / "frontend" / "node_modules")


def makefile_recipe(makefile: Path, target: str) -> list[str]:
    """The command lines of a Makefile target (its tab-indented lines)."""
    lines = makefile.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{target}:"))
    recipe = []
    for line in lines[start + 1 :]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def npm_install(app: Path) -> None:
    frontend = app / "frontend"
    stamp = frontend / "node_modules" / ".stackpacks-lock"
    lock = (frontend / "package-lock.json").read_bytes()
    if not stamp.exists() or stamp.read_bytes() != lock:
        run(["npm", "ci", "--no-audit", "--no-fund", "--prefer-offline"], frontend, timeout=900)
        stamp.write_bytes(lock)


def recreate_database(name: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def server(
    cmd: Sequence[str | os.PathLike[str]],
    cwd: Path,
    env: dict[str, str],
    ready_url: str | None,
    label: str = "server",
) -> Iterator[Path]:
    """Start a long-running process in its own process group; stop the group on exit."""
    log = Path(tempfile.mkstemp(prefix=f"stackpacks-{label}-", suffix=".log")[1])
    with log.open("w") as out:
        proc = subprocess.Popen(
            [str(c) for c in cmd],
            cwd=cwd,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_ready(proc, ready_url, log)
        yield log
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


SERVED_BY_THE_HARNESS = frozenset({"web", "frontend"})
# How the Procfile's web process binds 127.0.0.1:8000: gunicorn's --bind, or Daphne's options.
PROCFILE_BINDS = ("127.0.0.1:{port}", "--bind 127.0.0.1 --port {port}")


def procfile(app: Path) -> dict[str, str]:
    """The Procfile's processes by name, in order."""
    found = {}
    for line in (app / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if command:
            found[name.strip()] = command.strip()
    return found


def web_command(app: Path, port: int) -> list[str]:
    """The Procfile's `web` process (WSGI in pack 1, ASGI from pack 3), on `port`; run it
    from the project root like the other Procfile processes."""
    command = procfile(app)["web"]
    for bind in PROCFILE_BINDS:
        if bind.format(port=8000) in command:
            return ["bash", "-c", command.replace(bind.format(port=8000), bind.format(port=port))]
    raise AssertionError(f"the web process does not bind 127.0.0.1:8000: {command}")


def companions(app: Path) -> list[tuple[str, str]]:
    """Procfile processes other than the two servers the tests start on free ports (workers,
    schedulers): started as the Procfile says, from the project root."""
    return [(n, c) for n, c in procfile(app).items() if n not in SERVED_BY_THE_HARNESS]


@contextlib.contextmanager
def companion_processes(app: Path, env: dict[str, str]) -> Iterator[None]:
    with contextlib.ExitStack() as stack:
        for name, command in companions(app):
            stack.enter_context(process(["bash", "-c", command], app, env, name))
        yield


@contextlib.contextmanager
def process(
    cmd: Sequence[str | os.PathLike[str]], cwd: Path, env: dict[str, str], name: str
) -> Iterator[Path]:
    """A process with no URL to poll (a worker): started, checked alive after a moment."""
    with server(cmd, cwd, env, ready_url=None, label=name) as log:
        yield log


def _wait_ready(
    proc: subprocess.Popen[bytes], url: str | None, log: Path, timeout: float = 90
) -> None:
    if url is None:  # nothing to poll: alive after a moment is ready
        time.sleep(2)
        if proc.poll() is not None:
            raise AssertionError(f"{log} exited {proc.returncode}:\n{log.read_text()[-4000:]}")
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text()[-4000:]
            raise AssertionError(f"{url} server exited {proc.returncode}:\n{tail}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code < 500:
                return
        time.sleep(0.3)
    raise AssertionError(f"{url} not ready after {timeout}s:\n{log.read_text()[-4000:]}")
