"""The three-way merge of one keyed collection (a table, a map, a set of dependencies).

Per key: the side that changed it wins; both changed it the same way, either; both changed it
differently (one removing, the other changing, included) is a conflict the caller resolves or
reports. The result keeps the user's order; a key the pack adds goes after the key it follows in
the pack's version (first, if it follows none).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from enum import StrEnum
from typing import Any, TypeVar

K = TypeVar("K", bound=Hashable)
MISSING: Any = object()


class Take(StrEnum):
    OURS = "ours"
    THEIRS = "theirs"
    CONFLICT = "conflict"


def decide(base: Any, ours: Any, theirs: Any, same: Callable[[Any, Any], bool]) -> Take:
    if same(ours, theirs) or same(theirs, base):
        return Take.OURS
    if same(ours, base):
        return Take.THEIRS
    return Take.CONFLICT


def merge(
    base: Mapping[K, Any],
    ours: Mapping[K, Any],
    theirs: Mapping[K, Any],
    same: Callable[[Any, Any], bool] | None = None,
) -> list[tuple[K, Take]]:
    """Each key of the result, in order, with the side it comes from. A conflicting key is
    listed (where the user has it, else where the pack does) even when the user removed it."""

    def equal(a: Any, b: Any) -> bool:
        return a is b or (a is not MISSING and b is not MISSING and (same or _eq)(a, b))

    picks = {
        key: decide(base.get(key, MISSING), ours.get(key, MISSING), theirs.get(key, MISSING), equal)
        for key in [*ours, *(k for k in theirs if k not in ours), *base]
    }
    kept = [k for k in ours if picks[k] is not Take.THEIRS or k in theirs]
    order = _place([k for k in theirs if k not in ours and picks[k] is not Take.OURS], kept, theirs)
    return [(key, picks[key]) for key in order]


def _eq(a: Any, b: Any) -> bool:
    return bool(a == b)


def _place(added: list[K], kept: list[K], theirs: Mapping[K, Any]) -> list[K]:
    """`kept` with each added key after the key it follows in `theirs` (both in the result)."""
    result = list(kept)
    pack_order = list(theirs)
    for key in added:
        before = pack_order[: pack_order.index(key)]
        after = next((k for k in reversed(before) if k in result), None)
        result.insert(0 if after is None else result.index(after) + 1, key)
    return result
