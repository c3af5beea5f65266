"""How doctor's report looks: the verdict first, one line per finding with its severity and
count, the evidence table under it, then the next step. `--json` prints the same data."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from stackpacks.cli.handler import dump
from stackpacks.doctor import Report
from stackpacks.doctor.model import Direction, Evidence, Finding, Severity
from stackpacks.doctor.report import REPORT_FILE
from stackpacks.errors import ExitCode

console = Console(highlight=False)

VERDICT_STYLE = {
    Direction.UP: "bold red",
    Direction.DOWN: "bold yellow",
    Direction.STAY: "bold green",
    Direction.UNKNOWN: "bold blue",
}
MARK = {
    Severity.ACT: ("[red]✗ MOVE[/]", "red"),
    Severity.IDLE: ("[yellow]↓ IDLE[/]", "yellow"),
    Severity.FIX: ("[yellow]! FIX [/]", "yellow"),
    Severity.INSUFFICIENT: ("[blue]? FEW [/]", "blue"),
}


def doctor_report(report: Report, as_json: bool) -> ExitCode:
    if as_json:
        dump(report.to_dict())
        return report.exit_code
    _verdict(report)
    active = [f for f in report.recommendation.findings if not f.silenced]
    for item in active:
        _finding(item)
    silenced = [f for f in report.recommendation.findings if f.silenced]
    for item in silenced:
        console.print(f"[dim]silenced {item.rule} ({item.title}): {item.silenced}[/]")
    if report.project:
        console.print(f"[dim]Saved to {REPORT_FILE.as_posix()}[/]")
    return report.exit_code


def _verdict(report: Report) -> None:
    rec = report.recommendation
    style = VERDICT_STYLE[rec.direction]
    where = f"pack {rec.current} → {rec.pack}" if rec.pack != rec.current else f"pack {rec.current}"
    console.print(f"[{style}]{rec.direction.value.upper()}[/] {where}: {rec.summary}")
    skipped = "; ".join(f"{s.probe}: {s.reason}" for s in report.skipped) or "none"
    console.print(
        f"[dim]measured {', '.join(report.measured) or 'nothing'} over {report.window.describe()}"
        f", {report.requests} requests. Skipped: {skipped}[/]"
    )
    if not report.signals.get("pack_known", True):
        source = report.signals.get("pack_source", "assumed")
        console.print(
            f"[dim]Not inside a project: pack {report.recommendation.current}, {source}.[/]"
        )


def _finding(item: Finding) -> None:
    mark, color = MARK[item.severity]
    toward = f" → pack {item.move.pack}" if item.move else ""
    if item.move and item.move.option:
        toward += f" ({item.move.option})"
    console.print(f"\n{mark} [{color}]{item.title}[/] x{item.count}{toward}  [dim]{item.rule}[/]")
    console.print(_evidence_table(item.evidence))
    for step in item.next_steps:
        console.print(f"   next: {step}")


def _evidence_table(evidence: tuple[Evidence, ...]) -> Table:
    table = Table(show_edge=False, pad_edge=False, box=None, padding=(0, 1))
    for column in ("signal", "value", "threshold", "n (needed)", "window", "source"):
        table.add_column(column, overflow="fold")
    for e in evidence:
        table.add_row(
            e.signal,
            f"{e.value:g} {e.unit}",
            f"{e.comparator} {e.threshold:g}",
            f"{e.n} ({e.min_n})",
            e.window,
            e.source,
        )
    return table
