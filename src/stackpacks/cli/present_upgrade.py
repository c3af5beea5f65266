"""How `stackpacks upgrade` results look: rich for people, the same data as JSON for scripts."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

from stackpacks.catalogue import Selection, answers
from stackpacks.cli.handler import dump
from stackpacks.errors import ExitCode
from stackpacks.upgrade import Outcome, RecoverReport, UpgradeReport
from stackpacks.upgrade.plan import Action, FileAction, Rule, preview

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
MOVE_NOTE = {
    Rule.MOVED_EDITED: "your edits kept; imports you wrote are not rewritten",
    Rule.MOVED_USER_DELETED: "you deleted it: it stays deleted",
}


def exit_code(report: UpgradeReport) -> ExitCode:
    return ExitCode.CONFLICTS if report.outcome is Outcome.REFUSED else ExitCode.OK


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
    data["records"] = list(report.records)
    data["next_steps"] = list(report.next_steps)
    if report.outcome is Outcome.DRY_RUN:
        data["diffs"] = {a.path: preview(a) for a in report.plan.actions if a.action}
    return data


def upgrade_report(report: UpgradeReport, as_json: bool) -> ExitCode:
    if as_json:
        dump(as_data(report))
        return exit_code(report)
    console.print(
        f"[bold]{report.old.name}[/]: {_described(report.old)} -> {_described(report.new)} "
        f"({report.outcome.value})"
    )
    for file_action in report.plan.actions:
        action = file_action.action
        if action is None:
            continue
        colour = COLOUR.get(action, "green")
        console.print(f"  [{colour}]{action.value:<10}[/] {escape(_line(file_action))}")
        if report.outcome is Outcome.DRY_RUN and action is not Action.KEEP:
            console.print(escape(preview(file_action)), end="", markup=False)
    _closing(report)
    return exit_code(report)


def _line(file_action: FileAction) -> str:
    """`backend/x.py`, or `old → new` for a file the tool moved, then why, where it matters."""
    path = file_action.path
    if file_action.moved_from:
        path = f"{file_action.moved_from} → {path}"
    if file_action.action is Action.CONFLICT:
        return f"{path}  ({file_action.rule.value})"
    note = MOVE_NOTE.get(file_action.rule)
    return f"{path} ({note})" if note else path


def _described(selection: Selection) -> str:
    """`pack 4`, with its queue from pack 2 and its options: `pack 4 (celery, daphne)`."""
    extras = ([selection.queue] if selection.pack >= 2 else []) + list(selection.options)
    return f"pack {selection.pack}" + (f" ({', '.join(extras)})" if extras else "")


def _closing(report: UpgradeReport) -> None:
    if report.outcome is Outcome.REFUSED:
        console.print(
            f"[red]{len(report.plan.conflicts)} conflict(s); nothing was written.[/] "
            "See them with --dry-run; write them with --conflicts markers or --conflicts sidecar."
        )
        return
    if report.outcome is Outcome.APPLIED:
        console.print(f"[green]Upgraded[/] to {_described(report.new)}. Review: git diff")
        if report.plan.conflicts:
            console.print(f"Resolve the {len(report.plan.conflicts)} conflict(s) listed above.")
    if report.next_steps:
        console.print("Next:")
        for step in report.next_steps:
            console.print(f"  {escape(step)}")


def recover_report(report: RecoverReport, as_json: bool) -> ExitCode:
    outcome = report.outcome.value if report.outcome else "nothing to recover"
    if as_json:
        dump({"path": str(report.project), "outcome": outcome})
    else:
        console.print(f"{report.project}: {outcome}")
    return ExitCode.OK
