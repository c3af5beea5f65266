"""`Procfile`: one process a line, `name: command`, merged by process name."""

from __future__ import annotations

from stackpacks.upgrade.structured import lines
from stackpacks.upgrade.structured.result import Structured
from stackpacks.upgrade.structured.text import Merger

PROCESS = lines.keyed_by(r"^(?P<key>[A-Za-z0-9_-]+):(?P<value>.*)$")
KIND = "a Procfile"


def merge(base: str, ours: str, theirs: str, pack: str) -> Structured:
    trees = lines.parse_three(base, ours, theirs, PROCESS, KIND)
    merger = Merger(pack, lambda path: f"process `{path[-1]}`" if path else "the file")
    content = merger.block((), *trees)
    return Structured(content.encode(), tuple(merger.conflicts))
