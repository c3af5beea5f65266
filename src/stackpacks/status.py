"""`stackpacks status`: the pack, the answers, the generated files the user changed, and the
conflicts an upgrade left unresolved."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from stackpacks import state
from stackpacks.catalogue import Selection
from stackpacks.unresolved import unresolved


@dataclass(frozen=True)
class StatusReport:
    path: Path
    selection: Selection
    tool_version: str
    generated_files: int
    changed: tuple[str, ...]
    deleted: tuple[str, ...]
    unresolved: tuple[str, ...] = ()  # an upgrade's conflict markers and sidecars still there


def changes(project: Path, manifest: dict[str, str]) -> tuple[list[str], list[str]]:
    """Generated files whose bytes differ from the pristine render, and those no longer there."""
    changed, deleted = [], []
    for name, digest in sorted(manifest.items()):
        path = project / name
        if not path.is_file():
            deleted.append(name)
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            changed.append(name)
    return changed, deleted


def status(start: Path) -> StatusReport:
    project = state.find_project(start.absolute())
    recorded = state.read(project)
    changed, deleted = changes(project, recorded.manifest)
    return StatusReport(
        project,
        recorded.selection,
        recorded.tool_version,
        len(recorded.manifest),
        tuple(changed),
        tuple(deleted),
        unresolved(project, recorded.manifest),
    )
