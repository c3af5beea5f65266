"""`stackpacks upgrade`: re-render at the new answers, merge three ways, apply atomically.

preflight   every check before any write (exit 2, nothing changed)
plan        base (the recorded pristine render) / ours (disk) / theirs (the new render) ->
            one decision per file; pure
derived     constraints and the npm lock both sides changed: re-derived, not line-merged
dotenv      the untracked .env gains the variables the upgrade adds to .env.example
apply       staged, journaled, atomic; `recover` finishes or undoes an interrupted one
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from stackpacks import catalogue, envfile, state, unresolved
from stackpacks.catalogue import Selection
from stackpacks.catalogue.context import build
from stackpacks.render import render
from stackpacks.upgrade import apply as applying
from stackpacks.upgrade import records
from stackpacks.upgrade.apply import Checkpoint, ConflictMode, Recovered, checkpoint_from_env
from stackpacks.upgrade.derived import Derivation, Locker, npm_lock, rederive
from stackpacks.upgrade.dotenv import EXAMPLE, EnvUpdate, topped_up
from stackpacks.upgrade.plan import NOT_A_FILE, Action, Plan, plan
from stackpacks.upgrade.preflight import Checked, Request, preflight

__all__ = ["Context", "Outcome", "RecoverReport", "Request", "UpgradeReport", "recover", "upgrade"]


class Outcome(StrEnum):
    APPLIED = "applied"
    DRY_RUN = "dry run: nothing written"
    REFUSED = "refused: conflicts, nothing written"


@dataclass(frozen=True)
class Context:
    """The side effects an upgrade depends on, replaceable by tests."""

    templates: Path | None = None  # None: the installed templates
    checkpoint: Checkpoint = field(default_factory=checkpoint_from_env)
    locker: Locker = npm_lock  # re-derives frontend/package-lock.json
    token: envfile.Token = envfile.new_token  # the secrets appended to .env


@dataclass(frozen=True)
class UpgradeReport:
    project: Path
    old: Selection
    new: Selection
    outcome: Outcome
    conflict_mode: ConflictMode
    plan: Plan
    records: tuple[str, ...]  # the ADR and runbook paths the upgrade writes
    next_steps: tuple[str, ...]
    derived: tuple[Derivation, ...] = ()  # each derived file both sides changed, and its fate
    env_added: tuple[str, ...] = ()  # the variables appended to .env (a dry run: would be)

    def paths(self, action: Action) -> tuple[str, ...]:
        return tuple(a.path for a in self.plan.having(action))


@dataclass(frozen=True)
class RecoverReport:
    project: Path
    outcome: Recovered | None  # None: nothing was pending


def upgrade(start: Path, request: Request, context: Context | None = None) -> UpgradeReport:
    """Move the project containing `start` up to pack `request.target`, keeping every user edit."""
    context = context or Context()
    checked = preflight(start, request)
    theirs, modes = render_files(checked.new, context.templates)
    written = record_files(checked)
    the_plan = plan(
        checked.base,
        read_ours(checked.project, [*checked.base, *theirs, *written]),
        {**theirs, **written},
        (
            unresolved.OURS_LABEL,
            f"pack {checked.recorded.selection.pack} as generated",
            unresolved.theirs_label(checked.new.pack),
        ),
        catalogue.MOVES,
    )
    the_plan, derived = rederive(the_plan, checked.base, theirs, context.locker)
    env = env_update(checked, theirs, context.token)
    outcome = decide_outcome(request, checked, the_plan)
    if outcome is Outcome.APPLIED:
        ops = applying.operations(the_plan, checked.mode, modes)
        ops += env_ops(env)
        applying.apply(checked.project, [*ops, *state_ops(checked.new, theirs)], context.checkpoint)
    return UpgradeReport(
        checked.project,
        checked.recorded.selection,
        checked.new,
        outcome,
        checked.mode,
        the_plan,
        tuple(sorted(written)),
        next_steps(checked.recorded.selection, checked.new),
        derived,
        env.added if env and outcome is not Outcome.REFUSED else (),
    )


def recover(start: Path, context: Context | None = None) -> RecoverReport:
    """Finish (journal committed) or drop (still staging) an interrupted upgrade."""
    context = context or Context()
    project = state.find_project(start.absolute())
    return RecoverReport(project, applying.recover(project, context.checkpoint))


def decide_outcome(request: Request, checked: Checked, the_plan: Plan) -> Outcome:
    if request.dry_run:
        return Outcome.DRY_RUN
    if the_plan.conflicts and checked.mode is ConflictMode.REFUSE:
        return Outcome.REFUSED
    return Outcome.APPLIED


def render_files(
    selection: Selection, templates: Path | None
) -> tuple[dict[str, bytes], dict[str, int]]:
    """The pristine render of the new answers, in memory, with each file's mode."""
    with tempfile.TemporaryDirectory(prefix="stackpacks-upgrade-") as tmp:
        result = render(selection, Path(tmp) / "theirs", templates)
        files = state.read_tree(result.root, result.files)
        modes = {name: stat.S_IMODE((result.root / name).stat().st_mode) for name in result.files}
    return files, modes


def record_files(checked: Checked) -> dict[str, bytes]:
    adr_dir = checked.project / records.ADR_DIR
    existing = sorted(p.name for p in adr_dir.iterdir()) if adr_dir.is_dir() else []
    doctor = checked.project / records.DOCTOR_REPORT
    saved = doctor.read_text(encoding="utf-8", errors="replace") if doctor.is_file() else None
    return records.records(checked.recorded.selection, checked.new, existing, saved)


def read_ours(project: Path, names: list[str]) -> dict[str, bytes | None]:
    """The disk at the given paths only: the user's own files are never read."""
    return {name: _read(project, name) for name in sorted(set(names))}


def _read(project: Path, name: str) -> bytes | None:
    path = project / name
    if path.is_file():
        return path.read_bytes()
    if os.path.lexists(path) or _blocked(project, path):
        return NOT_A_FILE
    return None


def _blocked(project: Path, path: Path) -> bool:
    """A file (not a folder) stands where one of the path's parent folders should be."""
    for parent in path.parents:
        if parent == project:
            return False
        if os.path.lexists(parent):
            return not parent.is_dir()
    return False


def env_update(
    checked: Checked, theirs: dict[str, bytes], token: envfile.Token
) -> EnvUpdate | None:
    """The project's `.env` with the variables the upgrade adds to `.env.example`."""
    path = checked.project / envfile.ENV_FILE
    current = path.read_bytes() if path.is_file() else None
    examples = (checked.base.get(EXAMPLE), theirs.get(EXAMPLE))
    return topped_up(current, examples, build(checked.new)["env_vars"], token)


def env_ops(env: EnvUpdate | None) -> list[applying.Op]:
    """Journaled like every other write; the file keeps its own mode (0600 as `new` made it)."""
    return [applying.Op(envfile.ENV_FILE, env.content)] if env else []


def state_ops(new: Selection, theirs: dict[str, bytes]) -> list[applying.Op]:
    """The new `.stackpacks/` record: written last, so it names the new pack only when complete."""
    recorded = state.new_state(new, {n: _sha(c) for n, c in theirs.items()})
    folder = state.STATE_DIR
    return [
        applying.Op(f"{folder}/{state.BASE_FILE}", state.pack_tree(theirs), 0o644),
        applying.Op(f"{folder}/{state.STATE_FILE}", recorded.to_yaml().encode(), 0o644),
    ]


def next_steps(old: Selection, new: Selection) -> tuple[str, ...]:
    before = catalogue.contributions(old)
    added = [c for c in catalogue.contributions(new) if c not in before]
    return tuple(step for part in added for step in part.next_steps)


def _sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()
