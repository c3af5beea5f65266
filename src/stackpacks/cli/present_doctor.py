"""How doctor's report looks: one headline (the verdict, with the numbers behind it), then per
finding its evidence (a row each, fitting the terminal; detail on the lines under it), then the
views that took the most time. `--json` prints the same data."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.padding import Padding
from rich.text import Text

from stackpacks.cli.handler import dump
from stackpacks.doctor import Report
from stackpacks.doctor.glance import Figure, ViewTime
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
INDENT = "  "
SERIES = re.compile(r"\b[a-z_]+\{([^}]*)\}")  # family{view="x",method="GET"} -> x GET
LABEL_VALUE = re.compile(r'\w+="([^"]*)"')


def doctor_report(report: Report, as_json: bool) -> ExitCode:
    if as_json:
        dump(report.to_dict())
        return report.exit_code
    _headline(report)
    for item in report.recommendation.findings:
        if item.silenced:
            console.print(f"[dim]silenced {item.rule} ({item.title}): {escape(item.silenced)}[/]")
        else:
            _finding(item)
    _views(report)
    for skip in report.skipped:
        _detail(f"skipped {skip.probe}: {skip.reason}", "dim", 0)
    if report.project:
        console.print(f"[dim]Saved to {REPORT_FILE.as_posix()}[/]")
    return report.exit_code


def _headline(report: Report) -> None:
    rec = report.recommendation
    style = VERDICT_STYLE[rec.direction]
    numbers = ", ".join(_figure(f) for f in report.figures)
    if rec.direction is Direction.STAY and numbers:
        fixes = sum(1 for f in rec.findings if f.severity is Severity.FIX and not f.silenced)
        tail = f"; {fixes} smaller fix{'es' if fixes != 1 else ''} below" if fixes else ""
        console.print(f"[{style}]STAY[/] at pack {rec.current}: {numbers}{tail}")
    else:
        moved = rec.pack != rec.current
        where = f"pack {rec.current} → {rec.pack}" if moved else f"pack {rec.current}"
        console.print(f"[{style}]{rec.direction.value.upper()}[/] {where}: {escape(rec.summary)}")
        if numbers:
            _detail(numbers)
    console.print(
        f"[dim]measured {', '.join(report.measured) or 'nothing'} over {report.window.describe()}"
        f", {report.requests} requests[/]"
    )
    if not report.signals.get("pack_known", True):
        source = report.signals.get("pack_source", "assumed")
        console.print(f"[dim]Not inside a project: pack {rec.current}, {source}.[/]")


def _figure(figure: Figure) -> str:
    where = f" {figure.group}" if figure.group else ""
    few = f", n {figure.n} of {figure.min_n}" if figure.n < figure.min_n else ""
    limit = _amount(figure.threshold, figure.unit)
    value = _amount(figure.value, figure.unit)
    return f"{figure.name}{where} p{round(figure.quantile * 100)} {value} (threshold {limit}{few})"


def _amount(value: float, unit: str) -> str:
    if unit == "s":
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.3g} s"
    if unit.startswith("share"):
        return f"{value * 100:.0f} %"
    return f"{value:g} {unit}"


def _finding(item: Finding) -> None:
    mark, color = MARK[item.severity]
    toward = f" → pack {item.move.pack}" if item.move else ""
    if item.move and item.move.option:
        toward += f" ({item.move.option})"
    console.print(f"\n{mark} [{color}]{item.title}[/] x{item.count}{toward}  [dim]{item.rule}[/]")
    _evidence_rows(item.evidence)
    for window in dict.fromkeys(e.window for e in item.evidence):
        _detail(f"window: {window}", "dim")
    for source in dict.fromkeys(e.source for e in item.evidence):
        _detail(f"source: {source}", "dim")
    for step in item.next_steps:
        _detail(f"next: {step}")


def _detail(text: str, style: str = "", indent: int = len(INDENT)) -> None:
    """Prose under a row, wrapped inside its indent."""
    console.print(Padding(Text(text, style=style), (0, 0, 0, indent), expand=False))


def _evidence_rows(evidence: tuple[Evidence, ...]) -> None:
    """One row per piece of evidence; a signal too long for the row is cut there and shown
    whole on the line under it."""
    head = ("value", "threshold", "n (needed)", "signal")
    rows = [
        (
            _amount(e.value, e.unit),
            f"{e.comparator} {_amount(e.threshold, e.unit)}",
            f"{e.n} ({e.min_n})",
            _short(e.signal),
        )
        for e in evidence
    ]
    widths = [max(cell_len(row[i]) for row in (head, *rows)) for i in range(3)]
    room = max(console.width - len(INDENT) - sum(widths) - 3 * 2, 10)
    for number, row in enumerate((head, *rows)):
        signal = row[3] if cell_len(row[3]) <= room else row[3][: room - 1] + "…"
        cells = "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        line = f"{INDENT}{cells}  {signal}"
        console.print(f"[dim]{escape(line)}[/]" if number == 0 else escape(line))
        if signal != row[3]:
            _detail(row[3], "dim", 2 * len(INDENT))


def _short(signal: str) -> str:
    """`p95 of family{view="x",method="GET"}` -> `p95 x GET` (the family is in --json)."""
    labels = SERIES.sub(lambda m: " ".join(LABEL_VALUE.findall(m.group(1))), signal)
    return re.sub(r"^(p\d+) of ", r"\1 ", labels)


def _views(report: Report) -> None:
    if not report.views:
        return
    shown = len(report.views)
    console.print(f"\nTime by view (top {shown} of {report.views_seen})")
    head = ("count", "p50", "p95", "total")
    rows = [(str(v.count), _seconds(v.p50), _p95(v), _seconds(v.total)) for v in report.views]
    widths = [max(len(row[i]) for row in (head, *rows)) for i in range(4)]
    room = max(console.width - len(INDENT) - sum(widths) - 4 * 2, 10)
    name_width = min(max(len(v.view) for v in report.views), room)
    lines = [
        ("view", head),
        *((_cut(v.view, name_width), row) for v, row in zip(report.views, rows, strict=True)),
    ]
    for number, (name, cells) in enumerate(lines):
        numbers = "  ".join(c.rjust(w) for c, w in zip(cells, widths, strict=True))
        line = escape(f"{INDENT}{name.ljust(name_width)}  {numbers}")
        console.print(f"[dim]{line}[/]" if number == 0 else line)
    if any(not v.p95_enough for v in report.views):
        console.print(f"[dim]{INDENT}* p95 of fewer than 200 requests: a rough figure[/]")


def _p95(view: ViewTime) -> str:
    return _seconds(view.p95) + ("*" if not view.p95_enough else "")


def _seconds(value: float) -> str:
    return _amount(value, "s")


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
