"""Answers -> files. Pure and deterministic: the same selection renders the same bytes.

The pack-N project is the overlay of template layers 1..N, then the layer of each chosen option
that adds files (a later layer's file replaces an earlier one at the same path, which
tests/unit/test_layers.py allows only where it names a reason), rendered by copier in one pass:
copier's fixed cost per call is larger than the whole render, so it is paid once, not per layer.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from stackpacks import api_snapshot, catalogue
from stackpacks.catalogue import Selection
from stackpacks.catalogue.context import build

COPIER_CONFIG = "copier.yml"
TEMPLATE_SUFFIX = ".jinja"  # copier's default `_templates_suffix`
SKIPPED_DIRS = frozenset(
    {"__pycache__", "node_modules", ".next", ".venv", ".ruff_cache", ".pytest_cache", ".mypy_cache"}
)
SKIPPED_FILES = frozenset({"LAYER.md"})


@dataclass(frozen=True)
class RenderResult:
    root: Path
    manifest: dict[str, str]  # relative POSIX path -> sha256 of the rendered bytes

    @property
    def files(self) -> list[str]:
        return sorted(self.manifest)


def templates_root() -> Path:
    """The template layers: inside the installed wheel, or beside `src/` in a checkout."""
    override = os.environ.get("STACKPACKS_TEMPLATES")
    if override:
        return Path(override)
    packaged = Path(__file__).parent / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


def layer_dirs(selection: Selection, root: Path) -> list[Path]:
    packs = [root / p.folder for p in catalogue.PACKS if p.number <= selection.pack]
    options = [root / catalogue.get_option(name).folder for name in sorted(selection.options)]
    return packs + [folder for folder in options if folder.is_dir()]


def overlay(layers: list[Path], config: Path, into: Path) -> None:
    """Copy the layers into one folder, later layers winning, plus the shared copier config."""
    for layer in layers:
        for source in _layer_files(layer):
            target = into / source.relative_to(layer)
            target.parent.mkdir(parents=True, exist_ok=True)
            # `x.py` and `x.py.jinja` render to the same file: the later layer's replaces both.
            twin = target.with_name(rendered_name(target.name) + TEMPLATE_SUFFIX)
            for earlier in {twin, target.with_name(rendered_name(target.name))}:
                earlier.unlink(missing_ok=True)
            shutil.copyfile(source, target)
            shutil.copymode(source, target)
    shutil.copyfile(config, into / COPIER_CONFIG)


def rendered_name(name: str) -> str:
    """The name copier gives a template file: its own, less the template suffix."""
    return name.removesuffix(TEMPLATE_SUFFIX)


def _layer_files(layer: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, files in os.walk(layer):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        base = Path(folder)
        found.extend(
            base / name for name in sorted(files) if not (base == layer and name in SKIPPED_FILES)
        )
    return found


def render(selection: Selection, dest: Path, templates: Path | None = None) -> RenderResult:
    """Render the selection into `dest` (which must not exist yet) and hash what was written."""
    import copier  # deferred: `--help`, `packs` and `status` should not pay for it

    root = templates or templates_root()
    with tempfile.TemporaryDirectory(prefix="stackpacks-layers-") as staging:
        source = Path(staging)
        overlay(layer_dirs(selection, root), root / COPIER_CONFIG, source)
        api_snapshot.stage(root, selection.pack, source)
        copier.run_copy(
            str(source),
            str(dest),
            data=build(selection),
            defaults=True,
            quiet=True,
            overwrite=True,
            skip_tasks=True,
            unsafe=True,  # our own template: it loads stackpacks.jinja_cache; it has no tasks
        )
    return RenderResult(dest, hash_tree(dest))


def hash_tree(root: Path, exclude: frozenset[str] = frozenset()) -> dict[str, str]:
    """sha256 of every file under `root`, keyed by POSIX relative path, in sorted order."""
    manifest = {}
    for path in sorted(p for p in root.rglob("*") if p.is_file() or p.is_symlink()):
        relative = path.relative_to(root).as_posix()
        if relative.split("/", 1)[0] in exclude:
            continue
        manifest[relative] = hashlib.sha256(path.read_bytes()).hexdigest()
    return manifest
