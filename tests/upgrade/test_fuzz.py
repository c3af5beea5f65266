"""Property: whatever the user did to the project, no edit is ever silently lost.

Random edit scripts on a fixture project (append, rewrite a line, delete, own files, a file at a
path the pack adds, a binary rewrite), then upgrade with conflict markers. Every edit must be in
the result, or its path reported as a conflict with the user's version still on disk. The same
for the files of a project made before the tool moved them: each edit follows its file.
"""

from __future__ import annotations

import functools
import re
import shutil
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stackpacks.catalogue import Selection
from stackpacks.render import render
from stackpacks.upgrade import Outcome
from stackpacks.upgrade.plan import Action, Rule, decide
from tests.upgrade.conftest import Upgrade
from tests.upgrade.support import generated_before_the_moves

TEXT_FILES = ("README.md", "backend/settings.py", "backend/app.py", "backend/legacy.py")
BINARY = "static/logo.png"
ADDED_BY_PACK = "backend/worker.py"
LABELS = ("yours", "pack 1 as generated", "pack 4")


@dataclass(frozen=True)
class Edit:
    kind: str  # append | rewrite-line | delete | create | binary
    path: str
    token: str

    def apply(self, root: Path) -> None:
        path = root / self.path
        if self.kind == "delete":
            path.unlink()
        elif self.kind == "binary":
            path.write_bytes(path.read_bytes() + b"\0" + self.token.encode())
        elif self.kind == "create":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{self.token}\n")
        elif self.kind == "append":
            path.write_text(path.read_text() + f"{self.token}\n")
        else:
            lines = path.read_text().splitlines(keepends=True)
            lines[len(self.token) % len(lines)] = f"{self.token}\n"
            path.write_text("".join(lines))


def edits() -> st.SearchStrategy[list[Edit]]:
    token = st.integers(0, 10**6).map(lambda n: f"USER_EDIT_{n}")
    text = st.tuples(st.sampled_from(["append", "rewrite-line", "delete"]), token)
    per_file = [st.none() | text.map(lambda e, p=p: Edit(e[0], p, e[1])) for p in TEXT_FILES]
    binary = st.none() | st.sampled_from(["binary", "delete"]).flatmap(
        lambda kind: token.map(lambda t: Edit(kind, BINARY, t))
    )
    own = st.none() | st.sampled_from([ADDED_BY_PACK, "backend/mine.py", "docs/notes.md"]).flatmap(
        lambda path: token.map(lambda t: Edit("create", path, t))
    )
    return st.tuples(*per_file, binary, own).map(lambda found: [e for e in found if e])


def survives(edit: Edit, root: Path, before: bytes | None) -> bool:
    path = root / edit.path
    if edit.kind == "delete":
        return not path.exists()
    if edit.kind == "binary":
        return path.read_bytes() == before
    return path.is_file() and edit.token in path.read_text()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=edits(), target=st.sampled_from([2, 3]))
def test_no_edit_is_ever_silently_lost(
    project: Path, run_upgrade: Upgrade, script: list[Edit], target: int
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "shop"
        shutil.copytree(project, root)
        for edit in script:
            edit.apply(root)
        edited = {e.path: _read(root / e.path) for e in script}
        report = run_upgrade(root, to=target, conflicts="markers")
        assert report.outcome is Outcome.APPLIED
        reported = {a.path: a.action for a in report.plan.actions}
        for edit in script:
            assert survives(edit, root, edited[edit.path]), (edit, reported)
            if _read(root / edit.path) != edited[edit.path]:  # changed: merged or reported
                assert reported.get(edit.path) in (Action.MERGE, Action.CONFLICT), edit


def _read(path: Path) -> bytes | None:
    return path.read_bytes() if path.is_file() else None


MOVED_FILES = ("backend/apps/signals/apps.py", "backend/apps/signals/views.py")


def moved_edits() -> st.SearchStrategy[list[Edit]]:
    token = st.integers(0, 10**6).map(lambda n: f"USER_EDIT_{n}")
    text = st.tuples(st.sampled_from(["append", "rewrite-line", "delete"]), token)
    per_file = [st.none() | text.map(lambda e, p=p: Edit(e[0], p, e[1])) for p in MOVED_FILES]
    taken = st.none() | token.map(lambda t: Edit("create", _moved(MOVED_FILES[1]), t))
    return st.tuples(*per_file, taken).map(lambda found: [e for e in found if e])


def _moved(path: str) -> str:
    return path.replace("/signals/", "/metrics/")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(script=moved_edits())
def test_no_edit_of_a_file_the_tool_moved_is_ever_silently_lost(
    project: Path, run_upgrade: Upgrade, script: list[Edit]
) -> None:
    """In a project made before the moves, an edit at an old path follows the file to its new
    path; only where the user has a file of their own at the new path (a reported conflict)
    does it stay at the old one."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "shop"
        shutil.copytree(project, root)
        generated_before_the_moves(root)
        for edit in script:
            edit.apply(root)
        report = run_upgrade(root, to=2, conflicts="markers")
        assert report.outcome is Outcome.APPLIED
        actions = {a.moved_from: a for a in report.plan.actions if a.moved_from}
        for edit in script:
            if edit.kind == "create":  # the user's own file at the new path: never touched
                assert edit.token in (root / edit.path).read_text(), edit
                continue
            action = actions[edit.path]
            old, new = root / edit.path, root / action.path
            stays = action.rule is Rule.MOVED_TARGET_TAKEN  # nothing moves: a reported conflict
            assert action.action is Action.CONFLICT or not stays
            if edit.kind == "delete":
                assert not old.exists() and new.exists() is stays, (edit, action.rule)
            else:
                assert edit.token in (old if stays else new).read_text(), (edit, action.rule)
                assert old.exists() is stays, (edit, action.rule)


# The manifests, edited the way users do (add, remove, bump, reorder), on the real pack-1 render,
# merged against the real pack 2-4 renders: plan-level, no project on disk.
MANIFEST_PACKS = (1, 2, 3, 4)


@dataclass(frozen=True)
class Manifest:
    """A manifest as key -> value lines, enough to edit it and to check a merge of it."""

    path: str
    pattern: str  # a line of one entry: groups `key` and `value`

    def entries(self, text: str) -> dict[str, str]:
        found = (re.match(self.pattern, line) for line in text.splitlines())
        return {m["key"]: m["value"] for m in found if m}

    def line(self, text: str, key: str) -> str:
        return next(
            line
            for line in text.splitlines(keepends=True)
            if (m := re.match(self.pattern, line)) and m["key"] == key
        )


MANIFESTS = (
    Manifest("Procfile", r"^(?P<key>[a-z0-9_-]+): (?P<value>.*)$"),
    Manifest(".env.example", r"^(?P<key>[A-Z_0-9]+)=(?P<value>.*)$"),
    Manifest(
        "backend/pyproject.toml",
        r'^    "(?P<key>[A-Za-z0-9_.-]+)(?P<value>(\[[^\]]*\])?==[^"]*)",$',
    ),
)


@dataclass(frozen=True)
class ManifestEdit:
    kind: str  # add | remove | bump | reorder
    index: int  # which existing entry (modulo their number)
    token: int

    def apply(self, manifest: Manifest, text: str) -> tuple[str, str]:
        """The edited text, and the key the edit touched."""
        keys = list(manifest.entries(text))
        if not keys:  # the user removed every entry: nothing left to edit
            return text, ""
        key = keys[self.index % len(keys)]
        line = manifest.line(text, key)
        if self.kind == "add":
            new = f"mine-{self.token}"
            added = {
                "Procfile": f"{new}: run {self.token}\n",
                ".env.example": f"\n# mine\nMINE_{self.token}=1\n",
                "backend/pyproject.toml": f'    "{new}=={self.token}.0",\n',
            }[manifest.path]
            return text.replace(line, line + added, 1), added
        if self.kind == "remove":
            return text.replace(line, "", 1), key
        if self.kind == "bump":
            value = manifest.entries(text)[key]
            bumped = line.replace(value, f"{value}{self.token}" if value else f"=={self.token}")
            return text.replace(line, bumped, 1), key
        return _to_the_top(manifest, text.replace(line, "", 1), line, text.index(line)), key


def _to_the_top(manifest: Manifest, text: str, line: str, was: int) -> str:
    """Reorder: the entry moves first (in a TOML file, first of its own list)."""
    if not manifest.path.endswith(".toml"):
        return line + text
    lists = [m.end() for m in re.finditer(r"^[a-z-]+ = \[\n", text, re.MULTILINE)]
    at = max(end for end in lists if end <= was)
    return text[:at] + line + text[at:]


def manifest_edits() -> st.SearchStrategy[list[ManifestEdit]]:
    edit = st.builds(
        ManifestEdit,
        st.sampled_from(["add", "remove", "bump", "reorder"]),
        st.integers(0, 50),
        st.integers(1, 10**6),
    )
    return st.lists(edit, min_size=1, max_size=3, unique_by=lambda e: e.token)


@functools.cache
def manifest_renders() -> dict[int, dict[str, str]]:
    """The real renders of packs 1-4, rendered once."""
    rendered = {}
    with tempfile.TemporaryDirectory() as tmp:
        for pack in MANIFEST_PACKS:
            result = render(Selection("demo", pack, (), "celery"), Path(tmp) / f"p{pack}")
            rendered[pack] = {m.path: (result.root / m.path).read_text() for m in MANIFESTS}
    return rendered


@settings(max_examples=60, deadline=None)
@given(
    manifest=st.sampled_from(MANIFESTS), script=manifest_edits(), target=st.sampled_from([2, 3, 4])
)
def test_manifest_edits_merge_by_key_and_conflict_only_on_a_key_both_changed(
    manifest: Manifest, script: list[ManifestEdit], target: int
) -> None:
    renders = manifest_renders()
    base, theirs = renders[1][manifest.path], renders[target][manifest.path]
    ours, touched = base, []
    for edit in script:
        ours, key = edit.apply(manifest, ours)
        touched.append((edit.kind, key))
    action = decide(manifest.path, base.encode(), ours.encode(), theirs.encode(), LABELS)
    if ours == base:
        return
    assert action.rule in (Rule.MERGED_BY_STRUCTURE, Rule.KEY_CONFLICT, Rule.TAKE_THEIRS), action
    merged = (action.merged or theirs.encode()).decode()
    if manifest.path.endswith(".toml"):
        tomllib.loads(merged)  # still parses
    old, mine, new, result = (manifest.entries(t) for t in (base, ours, theirs, merged))
    pack_changed = {k for k in {*old, *new} if old.get(k) != new.get(k)}
    user_changed = {k for k in {*old, *mine} if old.get(k) != mine.get(k)}
    clash = {k for k in pack_changed & user_changed if mine.get(k) != new.get(k)}
    assert len(action.notes) == len(clash), (action.notes, clash)
    for key in {*mine, *new} - clash:  # every edit of the user's and every change of the pack's
        expected = mine.get(key) if key in user_changed else new.get(key)
        assert result.get(key) == expected, (key, touched)
    for key in clash:  # a conflict keeps the user's side
        assert result.get(key) == mine.get(key), key


# compose.yaml's services, edited the way users do: a service added, removed, given a key of its
# own (`x-mine-N`), moved first. Compared as parsed YAML, service by service and key by key.
COMPOSE = "compose.yaml"


@dataclass(frozen=True)
class ServiceEdit:
    kind: str  # add | remove | extend | reorder
    index: int  # which existing service (modulo their number)
    token: int

    def apply(self, text: str) -> str:
        blocks = _service_blocks(text)
        if not blocks:
            return text
        name, block = list(blocks.items())[self.index % len(blocks)]
        if self.kind == "add":
            return text.replace(
                block, f"{block}  mine-{self.token}:\n    image: mine:{self.token}\n"
            )
        if self.kind == "remove":
            return text.replace(block, "", 1)
        if self.kind == "extend":
            header = f"  {name}:\n"
            return text.replace(
                block, f"{header}    x-mine-{self.token}: 1\n{block[len(header) :]}"
            )
        first = next(iter(blocks.values()))
        return (
            text.replace(block, "", 1).replace(first, block + first, 1) if block != first else text
        )


def _service_blocks(text: str) -> dict[str, str]:
    """Each service's lines (its header and everything indented under it), by name."""
    services = re.search(r"^services:\n((?:  .*\n|\n)*)", text, re.MULTILINE)
    assert services is not None
    found = re.finditer(r"^  (?P<name>[a-z0-9_-]+):\n(?:    .*\n)*", services[1], re.MULTILINE)
    return {m["name"]: m[0] for m in found}


@functools.cache
def compose_renders() -> dict[int, str]:
    with tempfile.TemporaryDirectory() as tmp:
        return {
            pack: (
                render(Selection("demo", pack, (), "celery"), Path(tmp) / f"p{pack}").root / COMPOSE
            ).read_text()
            for pack in MANIFEST_PACKS
        }


@settings(max_examples=40, deadline=None)
@given(
    script=st.lists(
        st.builds(
            ServiceEdit,
            st.sampled_from(["add", "remove", "extend", "reorder"]),
            st.integers(0, 50),
            st.integers(1, 10**6),
        ),
        min_size=1,
        max_size=3,
        unique_by=lambda e: e.token,
    ),
    target=st.sampled_from([2, 3, 4]),
)
def test_compose_service_edits_merge_by_key_and_conflict_only_on_a_service_both_changed(
    script: list[ServiceEdit], target: int
) -> None:
    base, theirs = compose_renders()[1], compose_renders()[target]
    ours = base
    for edit in script:
        ours = edit.apply(ours)
    if ours == base:
        return
    action = decide(COMPOSE, base.encode(), ours.encode(), theirs.encode(), LABELS)
    assert action.rule in (Rule.MERGED_BY_STRUCTURE, Rule.KEY_CONFLICT), action
    merged = (action.merged or b"").decode()
    old, mine, new, result = (
        yaml.safe_load(t)["services"] or {} for t in (base, ours, theirs, merged)
    )
    # A conflict is a service the user removed and the pack changed (the user never changes a
    # key the pack has).
    clash = {n for n in old if n not in mine and new.get(n) != old[n]}
    assert bool(action.notes) == bool(clash), (action.notes, clash)
    for name in {*mine, *new}:
        if name in clash:
            continue
        if mine.get(name) == old.get(name):
            expected = new.get(name)
        elif new.get(name) == old.get(name):
            expected = mine.get(name)
        else:  # both changed it: the user's own key on top of the pack's service
            own = {key: value for key, value in mine[name].items() if key.startswith("x-mine")}
            expected = {**new[name], **own}
        assert result.get(name) == expected, (name, script)
