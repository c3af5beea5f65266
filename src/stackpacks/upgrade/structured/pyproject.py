"""`backend/pyproject.toml`, round-tripped with tomlkit: the user's document is edited in place,
so their order, comments and formatting stay.

The dependency lists (`project.dependencies`, each `project.optional-dependencies` group, each
`dependency-groups` group) are sets keyed by the PEP 503 name of the distribution; a dependency
the pack adds goes after the one it follows in the pack's list. Every other table is merged key
by key; a key the pack adds goes at the end of its table.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

import tomlkit
from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import Array, Table

from stackpacks.upgrade.structured import keyed
from stackpacks.upgrade.structured.keyed import MISSING, Take
from stackpacks.upgrade.structured.result import CONFLICT_NOTE, Structured, Unparsed

KIND = "TOML"
DEPENDENCY_LISTS = (("project", "dependencies"),)
DEPENDENCY_GROUPS = (("project", "optional-dependencies"), ("dependency-groups",))


def merge(base: str, ours: str, theirs: str, pack: str) -> Structured:
    mine, new = _parse(ours, "yours"), _parse(theirs, "the pack's")
    merging = _Merging(pack)
    merging.table((), _parse(base, "the version generated"), mine, new)
    return Structured(tomlkit.dumps(mine).encode(), tuple(merging.conflicts))


def _parse(text: str, side: str) -> tomlkit.TOMLDocument:
    try:
        return tomlkit.parse(text)
    except TOMLKitError:
        raise Unparsed(side, KIND) from None


def is_dependency_list(path: tuple[str, ...]) -> bool:
    return path in DEPENDENCY_LISTS or path[:-1] in DEPENDENCY_GROUPS


class _Merging:
    def __init__(self, pack: str) -> None:
        self.pack = pack
        self.conflicts: list[str] = []

    def table(self, path: tuple[str, ...], base: Any, ours: Any, theirs: Any) -> None:
        """Merge into `ours` (a tomlkit table, edited in place) key by key."""
        old, mine = _plain(base), _plain(ours)
        for key, take in keyed.merge(old, mine, _plain(theirs)):
            if take is Take.THEIRS:
                ours[key] = theirs[key]
            elif take is Take.CONFLICT:
                self.both((*path, key), ours, base.get(key, MISSING), theirs.get(key, MISSING))
        for key in [k for k in mine if k not in theirs and mine[k] == old.get(k, MISSING)]:
            del ours[key]  # the pack removed it, the user left it alone

    def both(self, path: tuple[str, ...], ours: Any, base: Any, theirs: Any) -> None:
        key = path[-1]
        mine = ours.get(key, MISSING)
        if MISSING not in (mine, base, theirs):
            if is_dependency_list(path) and _all(Array, mine, base, theirs):
                return self.dependencies(path, base, mine, theirs)
            if _all(MutableMapping, mine, base, theirs):
                return self.table(path, base, mine, theirs)
        shown = ".".join(path)
        if mine is MISSING:
            self.conflicts.append(f"`{shown}` — you removed it, {self.pack} changes it")
        elif theirs is MISSING:
            self.conflicts.append(f"`{shown}` — yours {_show(mine)}, {self.pack} removes it")
        else:
            self.conflicts.append(f"`{shown}` — yours {_show(mine)}, {self.pack}'s {_show(theirs)}")
            _note(mine, f"{self.pack} has {_show(theirs)}")

    def dependencies(self, path: tuple[str, ...], base: Array, ours: Array, theirs: Array) -> None:
        """Merge into `ours` (edited in place) as a set keyed by distribution name."""
        old, mine, new = _by_name(base), _by_name(ours), _by_name(theirs)
        notes = []
        picks = keyed.merge(old, mine, new, _same_requirement)
        result = []
        for name, take in picks:
            if take is Take.CONFLICT:
                notes.append(self._dependency_conflict(path, name, mine.get(name), new.get(name)))
            chosen = new if take is Take.THEIRS else mine
            if name in chosen:
                result.append(chosen[name])
        _rewrite(ours, [str(item) for item in ours], result)
        if notes := [n for n in notes if n]:
            _note(ours, "; ".join(notes))

    def _dependency_conflict(
        self, path: tuple[str, ...], name: str, mine: str | None, new: str | None
    ) -> str:
        where = "" if path == DEPENDENCY_LISTS[0] else f" (in `{'.'.join(path)}`)"
        if mine is None:
            self.conflicts.append(f"`{name}`{where} — you removed it, {self.pack} has {new}")
            return ""
        if new is None:
            self.conflicts.append(f"`{name}`{where} — yours {_spec(mine)}, {self.pack} removes it")
            return f"{self.pack} removes {name}"
        self.conflicts.append(f"`{name}`{where} — yours {_spec(mine)}, {self.pack}'s {_spec(new)}")
        return f"{self.pack} has {new}"


def _rewrite(array: Array, before: list[str], after: list[str]) -> None:
    """Edit `array` from `before` to `after` with the fewest moves, so each untouched item keeps
    its comment and place: drop what goes, then insert what comes where it belongs."""
    for index in reversed([i for i, item in enumerate(before) if item not in after]):
        del array[index]
    for index, item in enumerate(after):
        if index >= len(array) or str(array[index]) != item:
            array.insert(index, item)


def _by_name(array: Array) -> dict[str, str]:
    found: dict[str, str] = {}
    for item in array:
        text = str(item)
        try:
            found[canonicalize_name(Requirement(text).name)] = text
        except InvalidRequirement:
            found[text] = text
    return found


def _same_requirement(a: str, b: str) -> bool:
    try:
        return Requirement(a) == Requirement(b)
    except InvalidRequirement:
        return a == b


def _spec(requirement: str) -> str:
    """`==0.28.2` of `httpx==0.28.2` (extras and markers kept)."""
    try:
        parsed = Requirement(requirement)
    except InvalidRequirement:
        return requirement
    return requirement[len(parsed.name) :].strip() or "(any version)"


def _plain(table: Any) -> dict[str, Any]:
    return {str(k): (v.unwrap() if hasattr(v, "unwrap") else v) for k, v in table.items()}


def _all(kind: type, *values: Any) -> bool:
    return all(isinstance(v, kind) for v in values)


def _show(item: Any) -> str:
    value = item.unwrap() if hasattr(item, "unwrap") else item
    return tomlkit.item(value).as_string() if not isinstance(value, dict) else "(a table)"


def _note(item: Any, text: str) -> None:
    if hasattr(item, "comment") and not isinstance(item, Table):
        item.comment(f"{CONFLICT_NOTE} {text}")
