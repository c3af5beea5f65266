"""Files merged as a tree of text blocks: each block is the user's or the pack's bytes verbatim.

A `Block` is the text of one key (a process, a variable, a YAML key with its value) with the
comment lines above it; a block holding a map or a list of named items is split into a head and
one child per key. Merging picks, per key, the side that changed it, merges a block both changed
child by child, then line by line (`git merge-file`) where it has no children; what is left is a
conflict, written as the user's block with a note above it naming the pack's.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from stackpacks.upgrade.merge import merge3
from stackpacks.upgrade.structured import keyed
from stackpacks.upgrade.structured.keyed import Take
from stackpacks.upgrade.structured.result import CONFLICT_NOTE, brief, contrast

LABELS = ("yours", "as generated", "pack")


@dataclass(frozen=True)
class Block:
    head: str  # the whole text of a leaf; the text before the first child otherwise
    children: Mapping[str, Block] = field(default_factory=dict)
    value: str = ""  # what a conflict message shows of it
    keyed: bool = False  # a map or a named list (its children, maybe none, are its keys)

    @property
    def text(self) -> str:
        return self.head + "".join(child.text for child in self.children.values())


@dataclass
class Merger:
    """One merge of three trees; `name(path)` says how a conflict message names a key."""

    pack: str  # "pack 4"
    name: Callable[[tuple[str, ...]], str]
    conflicts: list[str] = field(default_factory=list)

    def block(self, path: tuple[str, ...], base: Block, ours: Block, theirs: Block) -> str:
        head = self.text(path, base.head, ours.head, theirs.head, theirs)
        if not (base.keyed and ours.keyed and theirs.keyed):
            return head
        return head + self.children(path, base, ours, theirs)

    def children(self, path: tuple[str, ...], base: Block, ours: Block, theirs: Block) -> str:
        out = []
        picks = keyed.merge(base.children, ours.children, theirs.children, _same_text)
        for key, take in picks:
            mine, new = ours.children.get(key), theirs.children.get(key)
            if take is Take.OURS and mine is not None:
                out.append(mine.text)
            elif take is Take.THEIRS and new is not None:
                out.append(new.text)
            elif take is Take.CONFLICT:
                out.append(self.both((*path, key), base.children.get(key), mine, new))
        return "".join(out)

    def both(
        self, path: tuple[str, ...], base: Block | None, ours: Block | None, theirs: Block | None
    ) -> str:
        if base is None or ours is None or theirs is None:  # added twice, or removed on one side
            return self.conflict(path, ours, theirs)
        if base.keyed and ours.keyed and theirs.keyed:
            return self.block(path, base, ours, theirs)
        return self.text(path, base.text, ours.text, theirs.text, theirs, ours)

    def text(
        self,
        path: tuple[str, ...],
        base: str,
        ours: str,
        theirs: str,
        new: Block,
        mine: Block | None = None,
    ) -> str:
        """One run of text both sides may have changed: by lines, else a conflict."""
        take = keyed.decide(base, ours, theirs, _eq)
        if take is not Take.CONFLICT:
            return ours if take is Take.OURS else theirs
        merged = merge3(base.encode(), ours.encode(), theirs.encode(), LABELS)
        if merged.conflicts == 0:
            return merged.content.decode()
        if mine is None:  # a head: the text above the first key
            self.conflicts.append(f"{self.name(path)}: the lines above it")
            return ours
        return self.conflict(path, mine, new)

    def conflict(self, path: tuple[str, ...], ours: Block | None, theirs: Block | None) -> str:
        key = self.name(path)
        if ours is None:
            assert theirs is not None
            self.conflicts.append(
                f"{key} — you removed it, {self.pack} changes it to `{brief(theirs.value)}`"
            )
            # Your removal stands; a comment where it was names the pack's version.
            note = f"you removed this; {self.pack} has `{brief(_shown(theirs))}`"
            return note_line(theirs.text, note)
        if theirs is None:
            self.conflicts.append(f"{key} — yours is `{brief(ours.value)}`, {self.pack} removes it")
            return annotate(ours.text, f"{self.pack} removes this")
        mine, new = contrast(ours.value, theirs.value)
        self.conflicts.append(f"{key} — yours `{mine}`, {self.pack}'s `{new}`")
        return annotate(ours.text, f"{self.pack} has `{_shown(theirs)}`")


def annotate(text: str, note: str) -> str:
    """The note as a comment just above the block's first line that is neither blank nor one."""
    lines = text.splitlines(keepends=True)
    at = _first_entry(lines)
    lines.insert(at, note_line(text, note))
    return "".join(lines)


def note_line(text: str, note: str) -> str:
    """The note as a comment line, indented as the block's first entry."""
    lines = text.splitlines(keepends=True)
    first = lines[_first_entry(lines)] if lines else ""
    return f"{first[: len(first) - len(first.lstrip())]}# {CONFLICT_NOTE} {note}\n"


def _first_entry(lines: list[str]) -> int:
    return next((i for i, line in enumerate(lines) if line.strip()[:1] not in ("", "#")), 0)


def _shown(block: Block) -> str:
    """The pack's line as it reads (`DEBUG=true`), or its value when it spans several lines."""
    lines = [line.strip() for line in block.text.splitlines() if line.strip()[:1] not in ("", "#")]
    return lines[0] if len(lines) == 1 else block.value


def _same_text(a: Block, b: Block) -> bool:
    return a.text == b.text


def _eq(a: str, b: str) -> bool:
    return a == b
