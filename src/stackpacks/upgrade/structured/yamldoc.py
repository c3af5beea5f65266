"""`compose.yaml` and CI workflows: YAML read with ruamel.yaml (round-trip, with each key's line),
merged as text blocks so every line nobody changed keeps its bytes, comments and indentation.

A block map is split key by key, a list of named items (a job's steps: `name`, else `uses`) item
by item; any other value (a scalar, a plain list such as a `command`) is one block merged by
lines. The comment lines right above a key (at its indentation or less) belong to it.
"""

from __future__ import annotations

import json
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from stackpacks.upgrade.structured.result import Structured, Unparsed
from stackpacks.upgrade.structured.text import Block, Merger

KIND = "YAML"
IDENTITY = ("name", "uses")


def merge(base: str, ours: str, theirs: str, pack: str) -> Structured:
    mine, new = parse(ours, "yours"), parse(theirs, "the pack's")
    merger = Merger(
        pack, lambda path: f"`{'.'.join(path).replace('.[', '[')}`" if path else "the file"
    )
    content = merger.block((), parse(base, "the version generated"), mine, new)
    return Structured(content.encode(), tuple(merger.conflicts))


def parse(text: str, side: str) -> Block:
    try:
        data = YAML(typ="rt").load(text)
    except YAMLError:
        raise Unparsed(side, KIND) from None
    lines = text.splitlines(keepends=True)
    if not _is_block(data, -1):
        return Block(text, value=describe(data))
    head, children = _children(lines, 0, len(lines), data)
    return Block(head, children, keyed=True)


def describe(value: Any) -> str:
    """A value as a conflict message shows it: a list of words joined, anything else as JSON."""
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict | list):
        return json.dumps(value, default=str)
    return str(value)


def _children(
    lines: list[str], start: int, end: int, node: CommentedMap | CommentedSeq
) -> tuple[str, dict[str, Block]]:
    """The text of `node` between `start` and `end`, cut into its head and one block a child."""
    keyed = _positions(node)
    starts: list[int] = []
    for line, col, _key, _value in keyed:
        at = line
        floor = max(starts[-1] + 1 if starts else start, start)
        while at > floor and _comment_within(lines[at - 1], col):
            at -= 1
        starts.append(at)
    children = {}
    # A named item's keys start on its own line (`- name: Lint`): as if it had a key line above.
    above = 1 if isinstance(node, CommentedSeq) else 0
    for n, (line, _col, key, value) in enumerate(keyed):
        stop = starts[n + 1] if n + 1 < len(keyed) else end
        children[key] = _block(lines, starts[n], stop, line - above, value)
    return "".join(lines[start : starts[0]]), children


def _block(lines: list[str], start: int, end: int, line: int, value: Any) -> Block:
    if not _is_block(value, line):
        return Block("".join(lines[start:end]), value=describe(value))
    head, children = _children(lines, line + 1, end, value)
    return Block("".join(lines[start : line + 1]) + head, children, describe(value), keyed=True)


def _positions(node: CommentedMap | CommentedSeq) -> list[tuple[int, int, str, Any]]:
    """(line, column, key, value) of each child: a map's keys, a named list's names."""
    if isinstance(node, CommentedMap):
        return [(*node.lc.key(key), str(key), value) for key, value in node.items()]
    return [(*node.lc.item(n), _identity(item), item) for n, item in enumerate(node)]


def _is_block(value: Any, line: int) -> bool:
    """A non-empty block-style map, or list of named items, whose children start below `line`."""
    if not isinstance(value, CommentedMap | CommentedSeq) or not value or value.fa.flow_style():
        return False
    if isinstance(value, CommentedSeq):
        names = [_identity(item) for item in value]
        if "" in names or len(set(names)) != len(names):
            return False
    first = value.lc.key(next(iter(value))) if isinstance(value, CommentedMap) else value.lc.item(0)
    return bool(first[0] > line)


def _identity(item: Any) -> str:
    if isinstance(item, CommentedMap):
        for key in IDENTITY:
            if isinstance(item.get(key), str):
                return f"[{item[key]}]"
    return ""


def _comment_within(line: str, col: int) -> bool:
    stripped = line.lstrip()
    return stripped.startswith("#") and len(line) - len(stripped) <= col
