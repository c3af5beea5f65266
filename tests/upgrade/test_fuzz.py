"""Property: whatever the user did to the project, no edit is ever silently lost.

Random edit scripts on a fixture project (append, rewrite a line, delete, own files, a file at a
path the pack adds, a binary rewrite), then upgrade with conflict markers. Every edit must be in
the result, or its path reported as a conflict with the user's version still on disk. The same
for the files of a project made before the tool moved them: each edit follows its file.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stackpacks.upgrade import Outcome
from stackpacks.upgrade.plan import Action, Rule
from tests.upgrade.conftest import Upgrade
from tests.upgrade.support import generated_before_the_moves

TEXT_FILES = ("README.md", "backend/settings.py", "backend/app.py", "backend/legacy.py")
BINARY = "static/logo.png"
ADDED_BY_PACK = "backend/worker.py"


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
