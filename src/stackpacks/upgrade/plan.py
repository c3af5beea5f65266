"""The pure part of an upgrade: three trees in, one decision per file out.

    base    the pristine render the project was generated (or last upgraded) from
    ours    what is on disk now, read only at the paths base and theirs know
    theirs  the pristine render of the new answers (plus the upgrade's records)

docs/upgrade.md holds the table of rules; each `Rule` below is one row and has a test named
after it in tests/upgrade/test_decision_table.py.

A path the tool itself moved (catalogue.MOVES) is one file under two names: the old one in base
and ours, the new one in theirs. Its decision lands at the new path, naming the old.
"""

from __future__ import annotations

import difflib
import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from stackpacks.catalogue.model import Move
from stackpacks.unresolved import SIDECAR_SUFFIX
from stackpacks.upgrade.merge import is_binary, merge3
from stackpacks.upgrade.structured import merge_file


class Action(StrEnum):
    ADD = "added"
    UPDATE = "updated"
    DELETE = "deleted"
    MERGE = "merged"
    KEEP = "kept"
    MOVE = "moved"
    CONFLICT = "conflicted"


class Rule(StrEnum):
    """One row of the decision table (base / ours / theirs -> action)."""

    UNCHANGED = "unchanged everywhere"
    TAKE_THEIRS = "user untouched, pack changed"
    KEEP_OURS = "user changed, pack unchanged"
    SAME_CHANGE = "both made the same change"
    MERGED = "both changed, merged cleanly"
    MERGED_BY_STRUCTURE = "both changed a manifest, merged key by key"
    BOTH_CHANGED = "both changed the same lines"
    KEY_CONFLICT = "both changed the same key of a manifest"
    BINARY = "binary changed on both sides"
    PACK_ADDS = "pack adds a file"
    ADDED_IDENTICAL = "user already has the added file, identical"
    ADDED_BOTH = "pack adds a file where the user has a different one"
    PACK_REMOVES = "pack removes a file the user left alone"
    REMOVED_EDITED = "pack removes a file the user edited"
    USER_DELETED = "user deleted a file the pack left alone"
    DELETED_CHANGED = "user deleted a file the pack changed"
    DELETED_BOTH = "both deleted the file"
    NOT_A_FILE = "a folder or special file stands where the pack has a file"
    MOVED = "pack moves a file the user left alone"
    MOVED_EDITED = "pack moves a file the user edited"
    MOVED_BOTH_CHANGED = "pack moves a file and changed the lines the user changed"
    MOVED_USER_DELETED = "user deleted a file the pack moves"
    MOVED_ALREADY = "user already made the same move"
    MOVED_TARGET_TAKEN = "pack moves a file to a path where the user has another"


ACTION_OF = {
    Rule.UNCHANGED: None,
    Rule.SAME_CHANGE: None,
    Rule.ADDED_IDENTICAL: None,
    Rule.DELETED_BOTH: None,
    Rule.TAKE_THEIRS: Action.UPDATE,
    Rule.KEEP_OURS: Action.KEEP,
    Rule.USER_DELETED: Action.KEEP,
    Rule.MERGED: Action.MERGE,
    Rule.MERGED_BY_STRUCTURE: Action.MERGE,
    Rule.PACK_ADDS: Action.ADD,
    Rule.PACK_REMOVES: Action.DELETE,
    Rule.BOTH_CHANGED: Action.CONFLICT,
    Rule.KEY_CONFLICT: Action.CONFLICT,
    Rule.BINARY: Action.CONFLICT,
    Rule.ADDED_BOTH: Action.CONFLICT,
    Rule.REMOVED_EDITED: Action.CONFLICT,
    Rule.DELETED_CHANGED: Action.CONFLICT,
    Rule.NOT_A_FILE: Action.CONFLICT,
    Rule.MOVED: Action.MOVE,
    Rule.MOVED_EDITED: Action.MOVE,
    Rule.MOVED_BOTH_CHANGED: Action.CONFLICT,
    Rule.MOVED_USER_DELETED: Action.KEEP,
    Rule.MOVED_ALREADY: None,
    Rule.MOVED_TARGET_TAKEN: Action.CONFLICT,
}

# Stand-in for "something that is not a regular file" (a folder, a socket) at a path in `ours`.
NOT_A_FILE = b"\0stackpacks: not a regular file\0"


@dataclass(frozen=True)
class FileAction:
    path: str
    rule: Rule
    ours: bytes | None  # on disk now (None: absent)
    theirs: bytes | None  # the pack's new version (None: the pack no longer ships it)
    merged: bytes | None = None  # the merge result: clean, or with conflict markers (or notes)
    moved_from: str | None = None  # a file the tool moved: its old path (`ours` was read there)
    notes: tuple[str, ...] = ()  # per key conflicts of a structured merge; why lines were merged

    @property
    def action(self) -> Action | None:
        return ACTION_OF[self.rule]

    @property
    def sidecar(self) -> str:
        return self.path + SIDECAR_SUFFIX


@dataclass(frozen=True)
class Plan:
    actions: tuple[FileAction, ...]  # every path that changes or that the user changed

    def having(self, action: Action) -> tuple[FileAction, ...]:
        return tuple(a for a in self.actions if a.action is action)

    @property
    def conflicts(self) -> tuple[FileAction, ...]:
        return self.having(Action.CONFLICT)


def plan(
    base: Mapping[str, bytes],
    ours: Mapping[str, bytes | None],
    theirs: Mapping[str, bytes],
    labels: tuple[str, str, str] = ("yours", "as generated", "new pack"),
    moves: Sequence[Move] = (),
) -> Plan:
    """Decide every path known to base or theirs; `ours` must hold each of them (None: absent)."""
    moved = moved_paths(base, theirs, moves)
    paired = set(moved) | set(moved.values())
    decided = [
        decide(path, base.get(path), ours[path], theirs.get(path), labels)
        for path in sorted(set(base) | set(theirs))
        if path not in paired
    ]
    decided += (
        decide_moved(old, new, base[old], (ours[old], ours[new]), theirs[new], labels)
        for old, new in moved.items()
    )
    kept = (d for d in decided if d.rule is not Rule.UNCHANGED)
    return Plan(tuple(sorted(kept, key=lambda d: d.path)))


def moved_paths(
    base: Mapping[str, bytes], theirs: Mapping[str, bytes], moves: Sequence[Move]
) -> dict[str, str]:
    """Old path -> new path of each file the tool moved since base was rendered: base has it
    only under the old name, theirs only under the new one. The moves apply in order."""
    found = {}
    for path in sorted(set(base) - set(theirs)):
        new = path
        for move in moves:
            new = move.of(new) or new
        if new != path and new in theirs and new not in base:
            found[path] = new
    return found


def decide(
    path: str,
    base: bytes | None,
    ours: bytes | None,
    theirs: bytes | None,
    labels: tuple[str, str, str],
) -> FileAction:
    if ours == NOT_A_FILE:
        return FileAction(path, Rule.NOT_A_FILE, None, theirs)
    if base is None:
        return _added(path, ours, theirs, labels)
    if theirs is None:
        return _removed(path, base, ours)
    if ours is None:
        rule = Rule.USER_DELETED if theirs == base else Rule.DELETED_CHANGED
        return FileAction(path, rule, None, theirs)
    return _changed(path, base, ours, theirs, labels)


def decide_moved(
    old: str,
    new: str,
    base: bytes,
    ours: tuple[bytes | None, bytes | None],
    theirs: bytes,
    labels: tuple[str, str, str],
) -> FileAction:
    """One file under two names: the user's version at `old` (ours[0]) goes to `new`, where
    ours[1] is whatever the user already has there."""
    at_old, at_new = ours

    def moving(rule: Rule, merged: bytes | None = None, notes: tuple[str, ...] = ()) -> FileAction:
        return FileAction(new, rule, at_old, theirs, merged, moved_from=old, notes=notes)

    if NOT_A_FILE in ours:
        return FileAction(new, Rule.NOT_A_FILE, None, theirs, moved_from=old)
    if at_new is not None:
        done = at_old is None and at_new == theirs
        return moving(Rule.MOVED_ALREADY if done else Rule.MOVED_TARGET_TAKEN)
    if at_old is None:
        return moving(Rule.MOVED_USER_DELETED)
    if at_old == base:
        return moving(Rule.MOVED)
    if theirs in (base, at_old):
        return moving(Rule.MOVED_EDITED, at_old)
    if is_binary(base, at_old, theirs):
        return moving(Rule.MOVED_BOTH_CHANGED)
    result = merge_file(new, base, at_old, theirs, labels)
    return moving(
        Rule.MOVED_EDITED if result.clean else Rule.MOVED_BOTH_CHANGED, result.content, result.notes
    )


def _added(
    path: str, ours: bytes | None, theirs: bytes | None, labels: tuple[str, str, str]
) -> FileAction:
    # Only the pack knows the path (a path known to neither side is never planned).
    if ours is None:
        return FileAction(path, Rule.PACK_ADDS, None, theirs)
    if ours == theirs or theirs is None:
        return FileAction(path, Rule.ADDED_IDENTICAL, ours, theirs)
    return _conflict(path, Rule.ADDED_BOTH, b"", ours, theirs, labels)


def _removed(path: str, base: bytes, ours: bytes | None) -> FileAction:
    if ours is None:
        return FileAction(path, Rule.DELETED_BOTH, None, None)
    rule = Rule.PACK_REMOVES if ours == base else Rule.REMOVED_EDITED
    return FileAction(path, rule, ours, None)


def _changed(
    path: str, base: bytes, ours: bytes, theirs: bytes, labels: tuple[str, str, str]
) -> FileAction:
    if ours == theirs:
        return FileAction(path, Rule.UNCHANGED if ours == base else Rule.SAME_CHANGE, ours, theirs)
    if ours == base:
        return FileAction(path, Rule.TAKE_THEIRS, ours, theirs)
    if theirs == base:
        return FileAction(path, Rule.KEEP_OURS, ours, theirs)
    return _conflict(path, Rule.BOTH_CHANGED, base, ours, theirs, labels)


def _conflict(
    path: str, rule: Rule, base: bytes, ours: bytes, theirs: bytes, labels: tuple[str, str, str]
) -> FileAction:
    """Both sides wrote the path: merge text with git, never binaries."""
    if is_binary(base, ours, theirs):
        return FileAction(path, Rule.BINARY, ours, theirs)
    if rule is not Rule.BOTH_CHANGED:
        return FileAction(path, rule, ours, theirs, merge3(base, ours, theirs, labels).content)
    result = merge_file(path, base, ours, theirs, labels)
    rule = {
        (True, True): Rule.MERGED_BY_STRUCTURE,
        (True, False): Rule.KEY_CONFLICT,
        (False, True): Rule.MERGED,
        (False, False): Rule.BOTH_CHANGED,
    }[result.by_structure, result.clean]
    return FileAction(path, rule, ours, theirs, result.content, notes=result.notes)


def preview(action: FileAction) -> str:
    """A unified diff of the path from what is on disk to what the upgrade would leave there;
    a moved file's starts as git's does, with its old and new names."""
    renamed = f"rename from {action.moved_from}\nrename to {action.path}\n"
    return (renamed if action.moved_from else "") + _diff(action)


def line_counts(action: FileAction) -> tuple[int, int] | None:
    """Lines added and removed, as `git diff --stat` counts them; None for a binary file."""
    before, after = _sides(action)
    if is_binary(before, after):
        return None
    added = removed = 0
    for line in itertools.islice(_diff_lines(action, before, after), 2, None):
        added += line.startswith("+")
        removed += line.startswith("-")
    return added, removed


def _sides(action: FileAction) -> tuple[bytes, bytes]:
    """What is on disk at the path now, and what the upgrade would leave there."""
    before = action.ours or b""
    after = action.merged if action.merged is not None else (action.theirs or b"")
    if action.action is Action.DELETE:
        after = b""
    return before, after


def _diff(action: FileAction) -> str:
    before, after = _sides(action)
    if is_binary(before, after):
        return f"Binary file {action.path} differs\n"
    lines = _diff_lines(action, before, after)
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _diff_lines(action: FileAction, before: bytes, after: bytes) -> Iterator[str]:
    return difflib.unified_diff(
        before.decode(errors="replace").splitlines(keepends=True),
        after.decode(errors="replace").splitlines(keepends=True),
        f"a/{action.moved_from or action.path}" if action.ours is not None else "/dev/null",
        f"b/{action.path}",
    )
