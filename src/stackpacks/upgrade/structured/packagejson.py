"""`frontend/package.json`: objects merged key by key, written back with the file's own indentation
and key order (a key the pack adds goes after the one it follows in the pack's version).

JSON has no comments, so a conflict leaves no marked-up content: the pack's version goes beside.
"""

from __future__ import annotations

import json
import re
from typing import Any

from stackpacks.upgrade.structured import keyed
from stackpacks.upgrade.structured.keyed import MISSING, Take
from stackpacks.upgrade.structured.result import Structured, Unparsed, brief, contrast

KIND = "JSON"
INDENT = re.compile(r"^\{\s*?\n([ \t]+)\S")


def merge(base: str, ours: str, theirs: str, pack: str) -> Structured:
    old = _parse(base, "the version generated")
    mine, new = _parse(ours, "yours"), _parse(theirs, "the pack's")
    conflicts: list[str] = []
    merged = _object((), old, mine, new, pack, conflicts)
    if conflicts:
        return Structured(None, tuple(conflicts))
    found = INDENT.match(ours)
    indent = found[1] if found else 2
    text = json.dumps(merged, indent=indent, ensure_ascii=False)
    return Structured((text + ("\n" if ours.endswith("\n") else "")).encode())


def _parse(text: str, side: str) -> Any:
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise Unparsed(side, KIND) from None
    if not isinstance(value, dict):
        raise Unparsed(side, "a JSON object")
    return value


def _object(
    path: tuple[str, ...], base: Any, ours: Any, theirs: Any, pack: str, conflicts: list[str]
) -> dict[str, Any]:
    merged = {}
    for key, take in keyed.merge(base, ours, theirs):
        old, mine, new = (side.get(key, MISSING) for side in (base, ours, theirs))
        if take is Take.CONFLICT and all(isinstance(v, dict) for v in (old, mine, new)):
            merged[key] = _object((*path, key), old, mine, new, pack, conflicts)
        elif take is Take.CONFLICT:
            conflicts.append(_conflict(".".join((*path, key)), mine, new, pack))
            if mine is not MISSING:
                merged[key] = mine
        elif (mine if take is Take.OURS else new) is not MISSING:
            merged[key] = mine if take is Take.OURS else new
    return merged


def _conflict(key: str, mine: Any, new: Any, pack: str) -> str:
    if mine is MISSING:
        return f"`{key}` — you removed it, {pack} changes it to {brief(json.dumps(new))}"
    if new is MISSING:
        return f"`{key}` — yours {json.dumps(mine)}, {pack} removes it"
    shown = contrast(json.dumps(mine), json.dumps(new))
    return f"`{key}` — yours {shown[0]}, {pack}'s {shown[1]}"
