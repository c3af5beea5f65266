"""How `stackpacks upgrade` results look: rich for people, the same data as JSON for scripts."""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Console

from stackpacks.catalogue import Selection, answers
from stackpacks.cli.handler import dump
from stackpacks.errors import ExitCode
from stackpacks.upgrade import Outcome, RecoverReport, UpgradeReport
from stackpacks.upgrade.plan import Action, FileAction, Rule, line_counts, preview

console = Console(highlight=False, soft_wrap=True)  # paths and diffs are never re-wrapped
SHOWN = (
    Action.ADD,
    Action.UPDATE,
    Action.MERGE,
    Action.MOVE,
    Action.DELETE,
    Action.KEEP,
    Action.CONFLICT,
)
COLOUR = {Action.CONFLICT: "red", Action.KEEP: "dim", Action.DELETE: "yellow"}
# What a moved file's line adds; the tool moves files, it never edits the user's lines.
DRY_RUN_LABEL = {
    Action.ADD: "added",
    Action.UPDATE: "changed",
    Action.MERGE: "merged cleanly",
    Action.MOVE: "moved",
    Action.DELETE: "deleted",
    Action.KEEP: "kept yours",
    Action.CONFLICT: "would conflict",
}
MOVE_NOTE = {
    Rule.MOVED_EDITED: "your edits kept; imports you wrote are not rewritten",
    Rule.MOVED_USER_DELETED: "you deleted it: it stays deleted",
}


def exit_code(report: UpgradeReport) -> ExitCode:
    """4 whenever a conflict is left to the user: refused, previewed, or written as markers."""
    return ExitCode.CONFLICTS if report.plan.conflicts else ExitCode.OK


def as_data(report: UpgradeReport) -> dict[str, Any]:
    data: dict[str, Any] = {
        "path": str(report.project),
        "from": answers(report.old),
        "to": answers(report.new),
        "outcome": report.outcome.name.lower(),
        "conflicts_mode": report.conflict_mode.value,
    }
    data |= {action.value: list(report.paths(action)) for action in SHOWN}
    data["conflict_reasons"] = {a.path: a.rule.value for a in report.plan.conflicts}
    data["moved_from"] = {a.path: a.moved_from for a in report.plan.actions if a.moved_from}
    data["notes"] = {a.path: list(a.notes) for a in report.plan.actions if a.notes}
    data["derived"] = {d.path: {"derived": d.derived, "why": d.why} for d in report.derived}
    data["env_added"] = list(report.env_added)
    data["records"] = list(report.records)
    data["next_steps"] = list(report.next_steps)
    if report.outcome is Outcome.DRY_RUN:
        data["diffs"] = {a.path: preview(a) for a in report.plan.actions if a.action}
    return data


def upgrade_report(report: UpgradeReport, as_json: bool, show_diff: bool = False) -> ExitCode:
    if as_json:
        dump(as_data(report))
        return exit_code(report)
    old, new = _described(report.old), _described(report.new)
    _say(f"{report.old.name}: {old} -> {new} ({report.outcome.value})", "bold")
    shown = [a for a in report.plan.actions if a.action is not None]
    if report.outcome is Outcome.DRY_RUN:
        _summary(shown)
        if show_diff:
            _say("")
            for file_action in shown:
                if file_action.action is not Action.KEEP:
                    _say(preview(file_action), end="")
    else:
        for file_action in shown:
            action = file_action.action
            assert action is not None
            _say(f"  {action.value:<10} {_line(file_action)}", COLOUR.get(action, "green"))
            _notes(file_action)
    _derived_and_env(report)
    _closing(report)
    return exit_code(report)


def _summary(shown: list[FileAction]) -> None:
    """`git diff --stat`'s shape: the counts, then one line per file with its +N -M."""
    counts = Counter(a.action for a in shown)
    parts = [f"{counts[action]} {DRY_RUN_LABEL[action]}" for action in SHOWN if counts[action]]
    _say(f"{len(shown)} file(s): {', '.join(parts)}" if shown else "Nothing to change.")
    width = max((len(_path(a)) for a in shown), default=0)
    for file_action in shown:
        action = file_action.action
        assert action is not None
        label = DRY_RUN_LABEL[action]
        stat = "" if action is Action.KEEP else _stat(file_action)
        note = f"  ({file_action.rule.value})" if action is Action.CONFLICT else ""
        line = f"  {label:<15} {_path(file_action):<{width}}  {stat}{note}".rstrip()
        _say(line, COLOUR.get(action, "green"))
        _notes(file_action)


def _notes(file_action: FileAction) -> None:
    """Under a file's line: each key both sides changed, or why it was merged by lines."""
    for note in file_action.notes:
        _say(f"      {note}", COLOUR.get(file_action.action or Action.KEEP, "dim"))


def _stat(file_action: FileAction) -> str:
    counts = line_counts(file_action)
    return "binary" if counts is None else f"+{counts[0]} -{counts[1]}"


def _path(file_action: FileAction) -> str:
    path = file_action.path
    return f"{file_action.moved_from} → {path}" if file_action.moved_from else path


def _line(file_action: FileAction) -> str:
    """`backend/x.py`, or `old → new` for a file the tool moved, then why, where it matters."""
    path = _path(file_action)
    if file_action.action is Action.CONFLICT:
        return f"{path}  ({file_action.rule.value})"
    note = MOVE_NOTE.get(file_action.rule)
    return f"{path} ({note})" if note else path


def _described(selection: Selection) -> str:
    """`pack 4`, with its queue from pack 2 and its options: `pack 4 (celery, daphne)`."""
    extras = ([selection.queue] if selection.pack >= 2 else []) + list(selection.options)
    return f"pack {selection.pack}" + (f" ({', '.join(extras)})" if extras else "")


def _derived_and_env(report: UpgradeReport) -> None:
    """What happened to the derived files both sides changed, and what `.env` gained."""
    for derivation in report.derived:
        _say(f"  {derivation.path}: {derivation.why}", None if derivation.derived else "red")
    if report.env_added:
        verb = "would append" if report.outcome is Outcome.DRY_RUN else "appended"
        _say(f"  .env: {verb} {', '.join(report.env_added)} (your values unchanged)")


def _closing(report: UpgradeReport) -> None:
    conflicts = ", ".join(a.path for a in report.plan.conflicts)
    count = len(report.plan.conflicts)
    if report.outcome is Outcome.REFUSED:
        _say(f"{count} conflict(s), nothing was written: {conflicts}", "red")
        _say("See them with --dry-run --diff; write them with --conflicts markers or sidecar.")
        return
    if report.outcome is Outcome.DRY_RUN:
        if count:
            _say(f"{count} file(s) would conflict: {conflicts}", "red")
        return
    _say(f"Upgraded to {_described(report.new)}. Review: git diff", "green")
    if count:
        _say(f"{count} conflict(s) to resolve: {conflicts}", "red")
        _say("Resolve the markers and .stackpacks-new files; `stackpacks status` lists them.")
    if report.next_steps:
        _say("Next:")
        for step in report.next_steps:
            _say(f"  {step}")


def _say(text: str, style: str | None = None, end: str = "\n") -> None:
    """Plain text, never read as rich markup, never re-wrapped."""
    console.print(text, style=style, end=end, markup=False, soft_wrap=True)


def recover_report(report: RecoverReport, as_json: bool) -> ExitCode:
    outcome = report.outcome.value if report.outcome else "nothing to recover"
    if as_json:
        dump({"path": str(report.project), "outcome": outcome})
    else:
        console.print(f"{report.project}: {outcome}")
    return ExitCode.OK
