"""Tiny fixture template layers for packs 1-3, and a switch that marks their packs available.

The layers exercise every row of the decision table between pack 1 and pack 2: a file only the
pack changes, one it leaves alone, one it removes (a conditional file name), one it adds, a
binary it replaces, and shared manifests rendered from the catalogue.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from types import MappingProxyType

from stackpacks import catalogue
from stackpacks.catalogue import Contribution, EnvVar, Process, Status
from stackpacks.render import templates_root

SETTINGS_1 = "".join(f"SETTING_{n} = {n}\n" for n in range(1, 21))
SETTINGS_2 = SETTINGS_1.replace("SETTING_2 = 2\n", "SETTING_2 = 'queues'\n")
SETTINGS_3 = SETTINGS_2.replace("SETTING_4 = 4\n", "SETTING_4 = 'async'\n")
LOGO_1 = b"\x89PNG\r\n\x1a\n\0\0\0pack-one" + bytes(range(256))
LOGO_2 = b"\x89PNG\r\n\x1a\n\0\0\0pack-two" + bytes(range(256))
WORKER = "".join(f"def task_{n}():\n    return {n}\n\n" for n in range(5))

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
        ".gitignore": ".env\n",
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
