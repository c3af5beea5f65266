"""Write a plan atomically: stage every new content, commit a journal, replay it, clean up.

Inside the project's `.stackpacks/`:

    upgrade.partial/   being staged; a crash here leaves the old tree untouched (recover: drop it)
    upgrade/           committed (renamed from .partial once complete): journal.json + files/N;
                       recover replays it, which is idempotent, giving the new tree
    upgrade.done/      every operation applied; recover (or the upgrade itself) just removes it

The state files are the journal's last operations, so `.stackpacks/state.yml` names the new pack
only once every project file is in place.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from stackpacks.errors import UpgradeInterrupted
from stackpacks.state import STATE_DIR
from stackpacks.upgrade.plan import Action, FileAction, Plan, Rule

STAGING = "upgrade.partial"
COMMITTED = "upgrade"
DONE = "upgrade.done"
JOURNAL = "journal.json"
FORMAT = 1
# Test hook, for the interruption tests only: SIGKILL this process at the Nth checkpoint.
KILL_HOOK_ENV = "STACKPACKS_TEST_HOOK_KILL_AT"

Checkpoint = Callable[[], None]


class Recovered(StrEnum):
    ROLLED_BACK = "rolled back"  # staging was incomplete: the old tree was never touched
    COMPLETED = "completed"  # the journal was committed: replayed to the new tree


@dataclass(frozen=True)
class Op:
    path: str
    content: bytes | None  # None: delete the path
    mode: int | None = None  # None: keep the mode of the file it replaces (0o644 if new)


def checkpoint_from_env() -> Checkpoint:
    """No-op, unless the test hook asks to be killed at the Nth checkpoint."""
    target = int(os.environ.get(KILL_HOOK_ENV) or 0)
    if not target:
        return lambda: None
    counter = itertools.count(1)

    def hit() -> None:
        if next(counter) == target:
            os.kill(os.getpid(), signal.SIGKILL)

    return hit


def pending(project: Path) -> list[Path]:
    folder = project / STATE_DIR
    return [folder / name for name in (STAGING, COMMITTED, DONE) if (folder / name).exists()]


def apply(project: Path, ops: Iterable[Op], checkpoint: Checkpoint) -> None:
    """Stage, commit, replay and clean up; a kill anywhere is repaired by `recover`."""
    folder = project / STATE_DIR
    try:
        stage(project, list(ops), checkpoint)
        (folder / STAGING).rename(folder / COMMITTED)
        _fsync_dir(folder)
        checkpoint()
        replay(project, checkpoint)
    except KeyboardInterrupt:
        raise _interrupted(folder) from None


def _interrupted(folder: Path) -> UpgradeInterrupted:
    """What is true when Ctrl-C lands: before the commit no file of the project has changed
    (the staged copy is dropped); after it, the upgrade is half-applied until it is replayed."""
    if (folder / DONE).exists():
        return UpgradeInterrupted(
            "interrupted after the upgrade was written (every file is new): "
            "run `stackpacks upgrade --recover` to tidy up"
        )
    if (folder / COMMITTED).exists():
        return UpgradeInterrupted(
            "interrupted while the upgrade was being written, some files already new: "
            "run `stackpacks upgrade --recover` to finish it"
        )
    shutil.rmtree(folder / STAGING, ignore_errors=True)
    return UpgradeInterrupted("interrupted before any file of the project changed")


def recover(project: Path, checkpoint: Checkpoint) -> Recovered | None:
    folder = project / STATE_DIR
    if (folder / COMMITTED).exists():
        replay(project, checkpoint)
        return Recovered.COMPLETED
    if (folder / DONE).exists():
        shutil.rmtree(folder / DONE)
        return Recovered.COMPLETED
    if (folder / STAGING).exists():
        shutil.rmtree(folder / STAGING)
        return Recovered.ROLLED_BACK
    return None


def stage(project: Path, ops: list[Op], checkpoint: Checkpoint) -> None:
    into = project / STATE_DIR / STAGING
    shutil.rmtree(into, ignore_errors=True)
    (into / "files").mkdir(parents=True)
    entries = []
    for number, op in enumerate(ops):
        entry: dict[str, object] = {"path": op.path, "op": "delete"}
        if op.content is not None:
            staged = into / "files" / str(number)
            _write_synced(staged, op.content)
            staged.chmod(op.mode if op.mode is not None else _mode_of(project / op.path))
            entry = {"path": op.path, "op": "write", "staged": str(number)}
        entries.append(entry)
        checkpoint()
    journal = {"format": FORMAT, "ops": entries}
    _write_synced(into / JOURNAL, json.dumps(journal, indent=1).encode())
    _fsync_dir(into / "files")
    _fsync_dir(into)


def replay(project: Path, checkpoint: Checkpoint) -> None:
    """Apply the committed journal; safe to run again after a kill at any point."""
    folder = project / STATE_DIR
    committed = folder / COMMITTED
    journal = json.loads((committed / JOURNAL).read_text(encoding="utf-8"))
    deleted = []
    for entry in journal["ops"]:
        target = project / entry["path"]
        if entry["op"] == "write":
            staged = committed / "files" / entry["staged"]
            if staged.exists():  # otherwise it was moved into place before the kill
                target.parent.mkdir(parents=True, exist_ok=True)
                staged.replace(target)
        else:
            target.unlink(missing_ok=True)
            deleted.append(target)
        checkpoint()
    _prune_empty_parents(project, deleted)
    committed.rename(folder / DONE)
    checkpoint()
    shutil.rmtree(folder / DONE)


def _prune_empty_parents(project: Path, deleted: list[Path]) -> None:
    """Folders that only held files the pack removed go too (a fresh render has none)."""
    for path in deleted:
        for parent in path.parents:
            if parent == project or not parent.is_dir() or any(parent.iterdir()):
                break
            parent.rmdir()


def _mode_of(existing: Path) -> int:
    return existing.stat().st_mode & 0o7777 if existing.is_file() else 0o644


def _write_synced(path: Path, content: bytes) -> None:
    with path.open("wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())


def _fsync_dir(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


class ConflictMode(StrEnum):
    REFUSE = "refuse"  # list the conflicts, write nothing
    MARKERS = "markers"  # diff3 markers in place; what cannot be marked up goes to a sidecar
    SIDECAR = "sidecar"  # the user's file stays; the pack's version lands beside it


def operations(plan: Plan, mode: ConflictMode, modes: Mapping[str, int]) -> list[Op]:
    """What the plan writes and deletes, conflicts resolved the way `mode` says."""
    ops: list[Op] = []
    for action in plan.actions:
        ops.extend(_ops_for(action, mode, modes.get(action.path)))
    return ops


def _ops_for(action: FileAction, mode: ConflictMode, new_mode: int | None) -> list[Op]:
    if action.moved_from is not None:
        return _move_ops(action, action.moved_from, mode, new_mode)
    kind = action.action
    if kind in (Action.ADD, Action.UPDATE):
        return [Op(action.path, action.theirs, new_mode)]
    if kind is Action.MERGE:
        return [Op(action.path, action.merged)]
    if kind is Action.DELETE:
        return [Op(action.path, None)]
    if kind is not Action.CONFLICT or mode is ConflictMode.REFUSE:
        return []
    if mode is ConflictMode.MARKERS and action.merged is not None:
        return [Op(action.path, action.merged)]
    if action.theirs is not None and action.rule is not Rule.NOT_A_FILE:
        return [Op(action.sidecar, action.theirs, new_mode)]
    return []


def _move_ops(action: FileAction, old: str, mode: ConflictMode, new_mode: int | None) -> list[Op]:
    """A moved file is written at its new path and its old path goes, or nothing changes."""
    gone = Op(old, None)
    if action.action is Action.MOVE:
        content = action.merged if action.merged is not None else action.theirs
        return [Op(action.path, content, new_mode), gone]
    if action.rule is not Rule.MOVED_BOTH_CHANGED or mode is ConflictMode.REFUSE:
        return []  # kept deleted, already moved, new path taken, not a file: nothing to write
    if mode is ConflictMode.MARKERS and action.merged is not None:
        return [Op(action.path, action.merged, new_mode), gone]
    # Sidecar (or a binary): the user's version moves as it is, the pack's lands beside it.
    return [
        Op(action.path, action.ours, new_mode),
        Op(action.sidecar, action.theirs, new_mode),
        gone,
    ]
