"""Everything an upgrade checks before it writes a byte; each failure is a UserError (exit 2).

A project outside git counts as dirty: git is how an upgrade is reviewed and undone, so without
it the user must say `--allow-dirty`. `--dry-run` writes nothing and so skips the git check.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, replace
from pathlib import Path

from stackpacks import catalogue, errors, state
from stackpacks.catalogue import Selection
from stackpacks.unresolved import unresolved
from stackpacks.upgrade import apply
from stackpacks.upgrade.apply import ConflictMode


@dataclass(frozen=True)
class Request:
    """What the user asked for on the command line."""

    target: int | None
    options: tuple[str, ...] = ()
    dry_run: bool = False
    conflicts: str = ConflictMode.REFUSE.value
    allow_dirty: bool = False
    queue: str | None = None  # switch `--queue db` to celery, at this pack or with --to
    diff: bool = False  # show each diff of a dry run


@dataclass(frozen=True)
class Checked:
    project: Path
    recorded: state.ProjectState
    base: dict[str, bytes]
    new: Selection
    mode: ConflictMode


def preflight(start: Path, request: Request) -> Checked:
    mode = conflict_mode(request.conflicts)
    if request.diff and not request.dry_run:
        raise errors.UserError("--diff shows a dry run's changes", "add --dry-run")
    if request.target is None and request.queue is None and not request.options:
        raise errors.UserError(
            "which pack? --to N is missing",
            "e.g. `stackpacks upgrade --to 2`, or `--with OPTION` to add an option",
        )
    project = find_idle_project(start)
    recorded = state.read(project)
    require_resolved(project, recorded.manifest)
    base = state.read_base(project, recorded)
    current = recorded.selection
    if request.queue is not None:
        current = switch_queue(current, request.queue)
    target = current.pack if request.target is None else request.target
    new = target_selection(current, target, request.options, recorded.selection)
    if not (request.allow_dirty or request.dry_run):
        require_clean(project)
    return Checked(project, recorded, base, new, mode)


def conflict_mode(value: str) -> ConflictMode:
    try:
        return ConflictMode(value)
    except ValueError:
        choices = ", ".join(m.value for m in ConflictMode)
        raise errors.UserError(
            f"unknown --conflicts {value!r}", f"choose one of {choices}"
        ) from None


def find_idle_project(start: Path) -> Path:
    project = state.find_project(start.absolute())
    if apply.pending(project):
        raise errors.UpgradePending(
            f"an interrupted upgrade is pending in {project}",
            "run `stackpacks upgrade --recover` first",
        )
    return project


QUEUE_UPGRADES = {("db", "celery")}  # PostgreSQL as the queue -> Celery on Redis, not back


def switch_queue(current: Selection, queue: str) -> Selection:
    """The selection with its queue switched, when that is a move up."""
    if queue == current.queue:
        return current
    if current.pack < 2:  # no queue yet: this is the first choice (checked with the pack)
        return replace(current, queue=queue)
    if (current.queue, queue) not in QUEUE_UPGRADES:
        raise errors.UserError(
            f"cannot switch the queue from {current.queue} to {queue}",
            "upgrades move from --queue db to celery only",
        )
    return replace(current, queue=queue)


def target_selection(
    current: Selection, target: int, options: tuple[str, ...], recorded: Selection | None = None
) -> Selection:
    pack = catalogue.get_pack(target)
    queue_switched = recorded is not None and recorded.queue != current.queue
    adds_option = bool(set(options) - set(current.options))
    if pack.number < current.pack or (
        pack.number == current.pack and not (queue_switched or adds_option)
    ):
        raise errors.TargetNotHigher(
            f"the project is at pack {current.pack}; --to {target} is not higher",
            "packs only go up; choose a higher pack",
        )
    new = replace(current, pack=pack.number, options=tuple(sorted({*current.options, *options})))
    catalogue.validate(new)
    return new


def require_resolved(project: Path, manifest: dict[str, str]) -> None:
    left = unresolved(project, manifest)
    if left:
        raise errors.UnresolvedConflicts(
            f"the last upgrade left {len(left)} conflict(s) unresolved: {', '.join(left)}",
            "edit out the markers, delete the .stackpacks-new files, then run it again",
        )


def require_clean(project: Path) -> None:
    changes = git_changes(project)
    if changes is None:
        raise errors.DirtyWorkTree(
            f"{project} is not in a git repository, so the upgrade could not be reviewed or undone",
            "commit the project to git first, or pass --allow-dirty",
        )
    if changes:
        raise errors.DirtyWorkTree(
            f"the git work tree has uncommitted changes ({len(changes)} paths)",
            "commit or stash them first so the upgrade is one reviewable change, "
            "or pass --allow-dirty",
        )


def git_changes(project: Path) -> list[str] | None:
    """Uncommitted and untracked paths under the project; None outside a git work tree."""
    try:
        done = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=normal", "--", "."],
            cwd=project,
            capture_output=True,
            check=False,
            timeout=120,
        )
    except FileNotFoundError:
        raise errors.UserError(
            "git was not found on PATH", "install git: upgrade needs it"
        ) from None
    if done.returncode != 0:
        return None
    return done.stdout.decode(errors="replace").splitlines()
