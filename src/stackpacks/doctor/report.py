"""Doctor's report as data: what was measured, what was skipped, the advice; its JSON form;
the per-project silences (`.stackpacks/doctor.yml`, tracked: the team's decisions) and the saved
last report (`.stackpacks/local/doctor.json`, which the generated .gitignore ignores: one
machine's measurement; `stackpacks upgrade` cites its figures in the ADR)."""

from __future__ import annotations

import json
import math
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from stackpacks import errors
from stackpacks.doctor.glance import Figure, ViewTime
from stackpacks.doctor.model import Direction, Recommendation
from stackpacks.doctor.signals import Signals, Skip, Window

SILENCE_FILE = Path(".stackpacks") / "doctor.yml"
REPORT_FILE = Path(".stackpacks") / "local" / "doctor.json"
FORMAT = 1


@dataclass(frozen=True)
class Report:
    generated_at: str
    project: str | None
    url: str | None
    window: Window
    requests: int  # product requests the app served in the window
    measured: tuple[str, ...]
    skipped: tuple[Skip, ...]
    signals: dict[str, Any]  # a JSON-ready summary of the infrastructure signals
    recommendation: Recommendation
    figures: tuple[Figure, ...] = ()  # the headline's numbers, whatever the verdict
    views: tuple[ViewTime, ...] = ()  # the views that took the most time, most first
    views_seen: int = 0  # views that answered requests in the window

    @property
    def exit_code(self) -> errors.ExitCode:
        direction = self.recommendation.direction
        if direction is Direction.UNKNOWN:
            return errors.ExitCode.NOT_MEASURED
        if direction in (Direction.UP, Direction.DOWN):
            return errors.ExitCode.MOVE_RECOMMENDED
        return errors.ExitCode.OK

    def to_dict(self) -> dict[str, Any]:
        rec = self.recommendation
        return {
            "format": FORMAT,
            "generated_at": self.generated_at,
            "project": self.project,
            "url": self.url,
            "window": {
                "seconds": self.window.seconds,
                "cumulative": self.window.cumulative,
                "description": self.window.describe(),
            },
            "requests": self.requests,
            "verdict": {
                "current_pack": rec.current,
                "pack": rec.pack,
                "direction": rec.direction.value,
                "summary": rec.summary,
                "exit_code": int(self.exit_code),
            },
            "figures": [_clean(asdict(f)) for f in self.figures],
            "findings": [_clean(asdict(f)) for f in rec.findings],
            "views": {"seen": self.views_seen, "top": [_clean(asdict(v)) for v in self.views]},
            "measured": list(self.measured),
            "skipped": [asdict(s) for s in self.skipped],
            "signals": self.signals,
        }


def _clean(value: Any) -> Any:
    """JSON has no infinity or NaN: write them as strings."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def summarize(signals: Signals) -> dict[str, Any]:
    """The infrastructure signals as plain data (the app's metrics are summarized by findings)."""
    found: dict[str, Any] = {
        "pack": signals.pack,
        "pack_known": signals.pack_known,
        "pack_source": signals.pack_source,
    }
    for name in ("postgres", "redis", "celery", "schedulers", "front", "host", "docker"):
        probe = getattr(signals, name)
        if probe is not None:
            found[name] = _clean(asdict(probe))
    return found


def load_silences(project: Path | None, known: set[str]) -> dict[str, str]:
    """`silence: {rule-id: reason}` from .stackpacks/doctor.yml; every silence needs a reason."""
    if project is None or not (project / SILENCE_FILE).is_file():
        return {}
    path = project / SILENCE_FILE
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise errors.BadSilenceFile(f"{path} is unreadable ({type(exc).__name__})") from exc
    silence = data.get("silence", {}) if isinstance(data, dict) else None
    if not isinstance(silence, dict):
        raise errors.BadSilenceFile(
            f"{path}: `silence` must map rule ids to reasons", "e.g. silence: {slow-view: why}"
        )
    for rule, reason in silence.items():
        if rule not in known:
            raise errors.BadSilenceFile(
                f"{path}: there is no rule {rule!r}", f"known rules: {', '.join(sorted(known))}"
            )
        if not isinstance(reason, str) or not reason.strip():
            raise errors.BadSilenceFile(
                f"{path}: silencing {rule!r} needs a reason", "write why, for the next person"
            )
    return {str(rule): str(reason).strip() for rule, reason in silence.items()}


def save(project: Path, report: Report) -> Path:
    """Write the report to .stackpacks/local/doctor.json atomically (a reader never sees half)."""
    path = project / REPORT_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report.to_dict(), indent=2) + "\n"
    with tempfile.NamedTemporaryFile(
        "w", dir=path.parent, prefix=".doctor-", suffix=".tmp", delete=False, encoding="utf-8"
    ) as handle:
        handle.write(text)
    Path(handle.name).replace(path)
    path.chmod(0o644)
    return path


def cite(saved: str) -> str:
    """The saved report's figures, for a decision record: the verdict, the window and sample
    sizes, and each finding's evidence against its threshold. The file is named relative to
    the project; no absolute path, no terminal output."""
    name = f"`{REPORT_FILE.as_posix()}`"
    try:
        data = json.loads(saved)
    except json.JSONDecodeError:
        data = None
    if not isinstance(data, dict) or not isinstance(data.get("verdict"), dict):
        return f"{name} is not a doctor report; run `stackpacks doctor` again."
    verdict, window = data["verdict"], data.get("window") or {}
    lines = [
        f"From {name} ({data.get('generated_at', 'undated')}, over "
        f"{window.get('description', 'an unknown window')}, {data.get('requests', 0)} "
        f"requests): {verdict.get('summary', '')}."
    ]
    for item in data.get("findings", []):
        lines.extend(_cited_finding(item))
    skipped = [s.get("probe", "?") for s in data.get("skipped", [])]
    if skipped:
        lines.append(f"\nNot measured: {', '.join(skipped)}.")
    return "\n".join(lines)


def _cited_finding(item: dict[str, Any]) -> list[str]:
    head = f"- {item.get('title')} (`{item.get('rule')}`, {item.get('severity')})"
    if item.get("silenced"):
        return [f"{head}: silenced, {item['silenced']}"]
    return [f"{head}:"] + [
        f"  - {e.get('signal')}: {_figure(e.get('value'))} {e.get('unit')} (threshold "
        f"{e.get('comparator')} {_figure(e.get('threshold'))}; n {e.get('n')} of {e.get('min_n')} "
        f"needed; source: {e.get('source')})"
        for e in item.get("evidence", [])
    ]


def _figure(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)
