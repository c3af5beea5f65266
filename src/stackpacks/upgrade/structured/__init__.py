"""Structure-aware three-way merges of the manifests every user edits, chosen by path.

Each merger is pure: (base, ours, theirs) text in, a `Structured` result out, or `Unparsed` when
a side is not valid in its format (the plan then merges the file by lines and says why). A path
none of them knows is merged by lines.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fnmatch import fnmatchcase
from pathlib import PurePosixPath

from stackpacks.upgrade.merge import merge3
from stackpacks.upgrade.structured import dotenv, packagejson, procfile, pyproject, yamldoc
from stackpacks.upgrade.structured.result import Structured, Unparsed

__all__ = ["MERGERS", "FileMerge", "Structured", "Unparsed", "merge", "merge_file", "merger_for"]

Merge = Callable[[str, str, str, str], Structured]

# Path pattern -> merger; the first pattern that matches wins.
MERGERS: tuple[tuple[str, Merge], ...] = (
    ("backend/pyproject.toml", pyproject.merge),
    ("frontend/package.json", packagejson.merge),
    ("Procfile", procfile.merge),
    (".env.example", dotenv.merge),
    ("compose.yaml", yamldoc.merge),
    (".github/workflows/*.yml", yamldoc.merge),
    (".github/workflows/*.yaml", yamldoc.merge),
)


def merger_for(path: str) -> Merge | None:
    return next((merge for pattern, merge in MERGERS if fnmatchcase(path, pattern)), None)


def merge(path: str, base: bytes, ours: bytes, theirs: bytes, pack: str) -> Structured | None:
    """The merge of `path` by its structure; None when no merger knows the path. Raises
    `Unparsed` when a side is not valid UTF-8 or not valid in the format."""
    merger = merger_for(path)
    if merger is None:
        return None
    result = merger(
        _text(base, "the version generated"),
        _text(ours, "yours"),
        _text(theirs, "the pack's"),
        pack,
    )
    name = PurePosixPath(path).name
    return Structured(result.content, tuple(f"{name}: {c}" for c in result.conflicts))


def _text(content: bytes, side: str) -> str:
    try:
        return content.decode()
    except UnicodeDecodeError:
        raise Unparsed(side, "UTF-8 text") from None


@dataclass(frozen=True)
class FileMerge:
    content: bytes | None  # None: a conflict with no marked-up content (the pack's goes beside)
    clean: bool
    by_structure: bool
    notes: tuple[str, ...] = ()


def merge_file(
    path: str, base: bytes, ours: bytes, theirs: bytes, labels: tuple[str, str, str]
) -> FileMerge:
    """By structure where the path is a manifest whose three versions parse, else by lines."""
    notes: tuple[str, ...] = ()
    try:
        found = merge(path, base, ours, theirs, labels[2])
    except Unparsed as unparsed:
        found, notes = None, (unparsed.reason,)
    if found is not None:
        return FileMerge(found.content, not found.conflicts, True, found.conflicts)
    result = merge3(base, ours, theirs, labels)
    return FileMerge(result.content, result.conflicts == 0, False, notes)
