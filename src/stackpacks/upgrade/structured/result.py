"""What a structured merge gives back, and how one describes a value in a conflict message."""

from __future__ import annotations

from dataclasses import dataclass

# Written beside the user's value when both sides changed it; like diff3 markers, `stackpacks
# status` lists a file holding one and the next upgrade waits until it is gone.
from stackpacks.unresolved import CONFLICT_NOTE

__all__ = ["CONFLICT_NOTE", "Structured", "Unparsed", "contrast"]

SHORT = 60


@dataclass(frozen=True)
class Structured:
    """A merge key by key: the result, and one message per key both sides changed differently.

    With conflicts, `content` keeps the user's value with a note naming the pack's beside it, or
    is None where the format has no comments (JSON)."""

    content: bytes | None
    conflicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unparsed(Exception):
    """One side is not valid in the file's format: the file is merged by lines instead."""

    side: str  # "yours", "as generated", "the pack's"
    kind: str  # "TOML", "YAML", "JSON", "a Procfile", "a .env file"

    @property
    def reason(self) -> str:
        return f"merged by lines: {self.side} did not parse as {self.kind}"


def brief(value: str) -> str:
    """A value one side alone has, cut to a line's worth: a removed service is not shown whole."""
    return value if len(value) <= SHORT else value[: SHORT - 1] + "…"


def contrast(ours: str, theirs: str) -> tuple[str, str]:
    """Two long values shortened to where they differ: `celery … -c 8` against `celery … -c 2`."""
    if len(ours) <= SHORT and len(theirs) <= SHORT:
        return ours, theirs
    a, b = ours.split(" "), theirs.split(" ")
    prefix = 0
    while prefix < min(len(a), len(b)) - 1 and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix - 1 and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    return _cut(a, prefix, suffix), _cut(b, prefix, suffix)


def _cut(words: list[str], prefix: int, suffix: int) -> str:
    head = words[:1] + (["…"] if prefix > 2 else []) + words[max(1, prefix - 1) : prefix]
    tail = ["…"] if suffix else []
    return " ".join([*head, *words[prefix : len(words) - suffix], *tail])
