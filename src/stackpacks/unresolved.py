"""Conflicts an upgrade left for the user to resolve: the diff3 markers it wrote into a file (or
the note a structured merge wrote beside a value), and the pack's versions it wrote beside
files as `<file>.stackpacks-new`.

`status` lists them; a later upgrade refuses to start while any remain, since merging again
over markers would bury them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

SIDECAR_SUFFIX = ".stackpacks-new"
OURS_LABEL = "yours"  # `<<<<<<< yours`; the base is `pack K as generated`, theirs `pack N`

# The comment a structured merge writes beside the user's value where the pack's differs.
CONFLICT_NOTE = "stackpacks conflict:"

_START = re.compile(rb"^<<<<<<< " + OURS_LABEL.encode() + rb"\r?$", re.MULTILINE)
_END = re.compile(rb"^>>>>>>> pack \d+\r?$", re.MULTILINE)
_NOTE = re.compile(rb"# " + CONFLICT_NOTE.encode() + rb" ")


def theirs_label(pack: int) -> str:
    return f"pack {pack}"


def has_markers(content: bytes) -> bool:
    """Both ends of a conflict block as an upgrade writes them, or a structured merge's note."""
    return bool(_START.search(content) and _END.search(content)) or bool(_NOTE.search(content))


def unresolved(project: Path, generated: Iterable[str]) -> tuple[str, ...]:
    """Of the generated paths, those holding an upgrade's markers, and the sidecars beside them.
    Only generated paths are read: the user's own files never are."""
    found = []
    for name in sorted(generated):
        path = project / name
        if path.is_file() and has_markers(path.read_bytes()):
            found.append(name)
        if (project / (name + SIDECAR_SUFFIX)).is_file():
            found.append(name + SIDECAR_SUFFIX)
    return tuple(found)
