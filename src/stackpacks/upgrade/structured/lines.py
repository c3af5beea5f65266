"""Files of one `KEY<sep>value` entry a line (Procfile, .env): a block per entry, carrying the
comment lines (and blank lines) above it; the comment at the top of the file is the head."""

from __future__ import annotations

import re
from collections.abc import Callable

from stackpacks.upgrade.structured.result import Structured, Unparsed
from stackpacks.upgrade.structured.text import Block, Merger

Entry = Callable[[str], "tuple[str, str] | None"]  # a line -> (key, value), None: not an entry


def parse(text: str, entry: Entry, side: str, kind: str) -> Block:
    children: dict[str, Block] = {}
    pending: list[str] = []
    head = ""
    for line in text.splitlines(keepends=True):
        found = entry(line)
        if found is None:
            if line.strip() and not line.lstrip().startswith("#"):
                raise Unparsed(side, kind)
            pending.append(line)
            continue
        key, value = found
        if key in children:
            raise Unparsed(side, kind)
        if not children:
            head, pending = _split_head(pending)
        children[key] = Block("".join([*pending, line]), value=value)
        pending = []
    if pending and children:  # comments after the last entry stay with it
        last = next(reversed(children))
        children[last] = Block(children[last].head + "".join(pending), value=children[last].value)
    elif pending:
        head = "".join(pending)
    return Block(head, children, keyed=True)


def _split_head(lines: list[str]) -> tuple[str, list[str]]:
    """The lines above the first entry: its own comment (and the blank lines above that) go
    with it; anything higher is the head of the file."""
    at = len(lines)
    while at and lines[at - 1].lstrip().startswith("#"):
        at -= 1
    while at and not lines[at - 1].strip():
        at -= 1
    return "".join(lines[:at]), lines[at:]


def keyed_by(pattern: str) -> Entry:
    compiled = re.compile(pattern)

    def entry(line: str) -> tuple[str, str] | None:
        found = compiled.match(line.rstrip("\r\n"))
        return (found["key"], found["value"].strip()) if found else None

    return entry


def parse_three(
    base: str, ours: str, theirs: str, entry: Entry, kind: str
) -> tuple[Block, Block, Block]:
    """(base, ours, theirs) parsed; the first side that does not parse raises `Unparsed`."""
    mine = parse(ours, entry, "yours", kind)
    new = parse(theirs, entry, "the pack's", kind)
    return parse(base, entry, "the version generated", kind), mine, new


def merger(pattern: str, kind: str, noun: str) -> Callable[[str, str, str, str], Structured]:
    """The merge of a file of such lines: entries by key (`pattern`'s groups `key` and `value`),
    a conflict naming the entry as `noun` `key`."""
    entry = keyed_by(pattern)

    def merge(base: str, ours: str, theirs: str, pack: str) -> Structured:
        trees = parse_three(base, ours, theirs, entry, kind)
        by_key = Merger(pack, lambda path: f"{noun} `{path[-1]}`" if path else "the file")
        content = by_key.block((), *trees)
        return Structured(content.encode(), tuple(by_key.conflicts))

    return merge
