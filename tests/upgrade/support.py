"""Tiny fixture template layers for packs 1-3, and a switch that marks their packs available.

The layers exercise every row of the decision table between pack 1 and pack 2: a file only the
pack changes, one it leaves alone, one it removes (a conditional file name), one it adds, a
binary it replaces, and shared manifests rendered from the catalogue (the Procfile is merged
by structure; fixture pack 2 documents REDIS_URL in `.env.example`, which an upgrade appends
to `.env`). Files at paths the tool
moved (catalogue.MOVES) serve a project made before the moves (`generated_before_the_moves`).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
from pathlib import Path
from types import MappingProxyType

from stackpacks import catalogue, state
from stackpacks.catalogue import Contribution, EnvVar, Move, Process, Status
from stackpacks.render import templates_root

SETTINGS_1 = "".join(f"SETTING_{n} = {n}\n" for n in range(1, 21))
SETTINGS_2 = SETTINGS_1.replace("SETTING_2 = 2\n", "SETTING_2 = 'queues'\n")
SETTINGS_3 = SETTINGS_2.replace("SETTING_4 = 4\n", "SETTING_4 = 'async'\n")
LOGO_1 = b"\x89PNG\r\n\x1a\n\0\0\0pack-one" + bytes(range(256))
LOGO_2 = b"\x89PNG\r\n\x1a\n\0\0\0pack-two" + bytes(range(256))
WORKER = "".join(f"def task_{n}():\n    return {n}\n\n" for n in range(5))
# The metrics app: apps.py names its module (which the move renamed), views.py does not.
METRICS_APPS = "".join(
    f"# line {n}\n" if n != 5 else 'name = "apps.metrics"\n' for n in range(1, 10)
)
METRICS_VIEWS = "".join(f"def view_{n}():\n    return {n}\n\n" for n in range(5))

LAYERS: dict[str, dict[str, str | bytes]] = {
    "pack1_sync": {
        "LAYER.md": "fixture layer\n",
        "README.md.jinja": "# {{ project_title }}\n\nAt pack {{ pack }}.\n\n"
        "{% for p in processes %}- {{ p.name }}\n{% endfor %}\nThe end.\n",
        "backend/settings.py": SETTINGS_1,
        "backend/app.py": "".join(f"line {n}\n" for n in range(1, 11)),
        "backend/{% if pack < 2 %}legacy.py{% endif %}": "legacy = True\n",
        "static/logo.png": LOGO_1,
        "bin/run.sh": "#!/bin/sh\necho run\n",
        "backend/apps/metrics/apps.py": METRICS_APPS,
        "backend/apps/metrics/views.py": METRICS_VIEWS,
        "backend/tests/test_metrics.py": "def test_metrics():\n    pass\n",
        ".gitignore": ".env\n",
        "Procfile.jinja": "{% for p in processes %}{{ p.name }}: {{ p.command }}\n{% endfor %}",
        ".env.example.jinja": "# Settings of {{ project_title }}.\n"
        "{% for var in env_vars %}# {{ var.comment }}\n{{ var.name }}={{ var.example }}\n"
        "{% endfor %}",
    },
    "pack2_queues": {
        "backend/settings.py": SETTINGS_2,
        "backend/worker.py": WORKER,
        "static/logo.png": LOGO_2,
    },
    "pack3_async": {
        "backend/settings.py": SETTINGS_3,
        "backend/asgi.py": "application = None\n",
    },
}


def make_layers(root: Path) -> Path:
    (root).mkdir(parents=True, exist_ok=True)
    (root / "copier.yml").write_bytes((templates_root() / "copier.yml").read_bytes())
    for layer, files in LAYERS.items():
        for name, content in files.items():
            path = root / layer / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content)
    (root / "pack1_sync" / "bin" / "run.sh").chmod(0o755)
    return root


# What fixture pack 2 contributes: the fixture layers stand in for the real templates, so the
# real pack 2's catalogue data (which describes the real layer) is replaced too.
FIXTURE_CONTRIBUTION = Contribution(
    python_deps=("celery==5.6.0",),
    processes=(
        Process(name="worker", folder="backend", argv=("celery", "-A", "config", "worker")),
    ),
    services=MappingProxyType({"redis": {"image": "redis:8-alpine"}}),
    env_vars=(EnvVar("REDIS_URL", "redis://127.0.0.1:6379/0", "the broker"),),
    next_steps=("make install    # celery and redis client", "make up         # now with a worker"),
)


def make_available(*numbers: int) -> tuple[catalogue.Pack, ...]:
    """The catalogue with the given packs marked available; returns the original to restore."""
    original = catalogue.PACKS
    catalogue.PACKS = tuple(_available(p) if p.number in numbers else p for p in original)
    return original


def _available(pack: catalogue.Pack) -> catalogue.Pack:
    if pack.number == 2:
        return dataclasses.replace(
            pack,
            status=Status.AVAILABLE,
            contribution=FIXTURE_CONTRIBUTION,
            by_queue=MappingProxyType({}),
        )
    return dataclasses.replace(pack, status=Status.AVAILABLE)


def driver_env(templates: Path) -> dict[str, str]:
    """Environment for a `python -m tests.upgrade.driver` subprocess on the fixture layers."""
    env = dict(os.environ)
    env["STACKPACKS_TEMPLATES"] = str(templates)
    env["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
    return env


def git_commit_all(project: Path) -> None:
    """Make the project a clean git work tree (one commit of everything)."""
    import subprocess

    identity = ["-c", "user.email=test@example.com", "-c", "user.name=test"]
    for command in (["init", "-q"], ["add", "-A"], [*identity, "commit", "-qm", "generated"]):
        subprocess.run(["git", *command], cwd=project, check=True, capture_output=True)


def generated_before_the_moves(project: Path) -> None:
    """Make `project` what a stackpacks older than every move generated: each path
    catalogue.MOVES moved back at its old name and `apps.metrics` reading `apps.signals` in
    every file, as the old templates had it; on disk and in the recorded base and manifest."""
    recorded = state.read(project)
    base = state.read_base(project, recorded)
    older = {_before_the_moves(name): _older(content) for name, content in base.items()}
    for name in base:
        path = project / name
        if path.is_file():
            target = project / _before_the_moves(name)
            content, mode = _older(path.read_bytes()), path.stat().st_mode
            path.unlink()
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            target.chmod(mode)
    for name in base:
        if _before_the_moves(name) != name:  # drop the folders the moved files leave empty
            for folder in (project / name).parents:
                if folder == project or not folder.is_dir() or any(folder.iterdir()):
                    break
                folder.rmdir()
    manifest = {name: hashlib.sha256(content).hexdigest() for name, content in older.items()}
    state.write(project, dataclasses.replace(recorded, manifest=manifest), older)


def _before_the_moves(path: str) -> str:
    for move in reversed(catalogue.MOVES):
        path = Move(old=move.new, new=move.old).of(path) or path
    return path


def _older(content: bytes) -> bytes:
    return content.replace(b"apps.metrics", b"apps.signals")
