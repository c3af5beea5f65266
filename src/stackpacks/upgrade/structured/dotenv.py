"""`.env.example`: `NAME=value` lines, merged by variable name, each with the comment above it."""

from __future__ import annotations

from stackpacks.upgrade.structured import lines
from stackpacks.upgrade.structured.result import Structured
from stackpacks.upgrade.structured.text import Merger

VARIABLE = lines.keyed_by(r"^(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)$")
KIND = "a .env file"


def merge(base: str, ours: str, theirs: str, pack: str) -> Structured:
    trees = lines.parse_three(base, ours, theirs, VARIABLE, KIND)
    merger = Merger(pack, lambda path: f"variable `{path[-1]}`" if path else "the file")
    content = merger.block((), *trees)
    return Structured(content.encode(), tuple(merger.conflicts))
