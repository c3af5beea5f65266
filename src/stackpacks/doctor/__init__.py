"""`stackpacks doctor`: measure a running app, then say which pack it needs, with evidence.

collect (impure probes -> Signals) -> rules (thresholds as data, with sources) ->
recommend (pure) -> report (data; the CLI renders it, and saves it inside a project).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from stackpacks import errors, state
from stackpacks.doctor import glance
from stackpacks.doctor import recommend as advise
from stackpacks.doctor.collect import Runtime, Targets, collect
from stackpacks.doctor.recommend import RULES, requests_seen
from stackpacks.doctor.report import Report, load_silences, save, summarize

__all__ = ["DoctorOptions", "Report", "Runtime", "diagnose", "resolve"]

MAX_WINDOW = 600.0
FRONTEND = "http://127.0.0.1:3000"  # the Procfile's Next.js server, users' way in
PROBES = ("app", "postgres", "redis", "celery", "schedulers", "front", "host", "docker")


@dataclass(frozen=True)
class DoctorOptions:
    url: str | None = None
    token: str | None = None
    database_url: str | None = None
    redis_url: str | None = None
    window: float = 10.0
    path: Path = Path()
    front_url: str | None = None


def diagnose(
    options: DoctorOptions,
    runtime: Runtime | None = None,
    environ: Mapping[str, str] | None = None,
) -> Report:
    """Measure, recommend, and (inside a project) save the report (report.REPORT_FILE)."""
    project = _project(options.path)
    silences = load_silences(project, {rule.id for rule in RULES})
    targets = resolve(options, project, os.environ if environ is None else environ)
    signals = collect(targets, runtime)
    advice = advise.recommend(signals, silences)
    metrics = signals.app.metrics if signals.app else None
    views = glance.views(metrics) if metrics else ()
    report = Report(
        generated_at=datetime.now(UTC).isoformat(timespec="seconds"),
        project=str(project) if project else None,
        url=targets.url,
        window=signals.window,
        requests=requests_seen(signals.app.metrics) if signals.app else 0,
        measured=tuple(name for name in PROBES if getattr(signals, name) is not None),
        skipped=signals.skipped,
        signals=summarize(signals),
        recommendation=advice,
        figures=glance.figures(RULES, metrics) if metrics else (),
        views=views[: glance.TOP_VIEWS],
        views_seen=len(views),
    )
    if project is not None:
        save(project, report)
    return report


def _project(path: Path) -> Path | None:
    try:
        return state.find_project(path.resolve())
    except errors.NotAProject:
        return None


def resolve(options: DoctorOptions, project: Path | None, environ: Mapping[str, str]) -> Targets:
    """Options first, then the environment, then the project's .env (as the app reads it)."""
    if not 0 <= options.window <= MAX_WINDOW:
        raise errors.InvalidDoctorOption(
            f"--window must be between 0 and {MAX_WINDOW:g} seconds, not {options.window:g}",
            "0 reads one scrape: totals since the app started",
        )
    dotenv = read_dotenv(project / ".env") if project else {}

    def pick(given: str | None, name: str) -> str | None:
        return given or environ.get(name) or dotenv.get(name) or None

    pack, known = 1, False
    chosen: tuple[str, ...] = ()
    if project is not None:
        selection = state.read(project).selection
        pack, known, chosen = selection.pack, True, selection.options
    url = options.url
    if url is None and project is not None:
        url = f"http://127.0.0.1:{pick(None, 'PORT') or '8000'}"
    media = project / "backend" / "media" if project else options.path
    return Targets(
        url=url,
        token=pick(options.token, "SIGNALS_TOKEN") or "",
        database_url=pick(options.database_url, "DATABASE_URL"),
        redis_url=pick(options.redis_url, "REDIS_URL"),
        window=options.window,
        pack=pack,
        pack_known=known,
        disk_paths=(media if media.exists() else (project or options.path),),
        compose_project=project.name if project else None,
        process_root=project,
        options=tuple(chosen),
        front_url=pick(options.front_url, "DOCTOR_FRONT_URL") or (FRONTEND if project else None),
        why_no_url="no --url given and not inside a project",
    )


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines of a .env file, read the way Docker Compose reads them
    (https://docs.docker.com/compose/how-tos/environment-variables/variable-interpolation/
    #env-file-syntax), which is what the app gets under compose and `make up` (honcho also
    drops inline comments): comments, blanks and malformed lines are ignored; an unquoted value
    ends where ` #` starts an inline comment; a quoted value is what its quotes hold."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    found = {}
    for line in lines:
        name, sep, value = line.strip().partition("=")
        if sep and name and not name.startswith("#"):
            found[name.removeprefix("export ").strip()] = _dotenv_value(value.strip())
    return found


def _dotenv_value(raw: str) -> str:
    quote = raw[:1]
    if quote in ("'", '"') and (end := raw.find(quote, 1)) > 0:
        return raw[1:end]  # `KEY="a # b"  # note` is `a # b`
    return re.split(r"(?:^|\s)#", raw, maxsplit=1)[0].strip()  # `KEY=a#b` keeps its `#`
