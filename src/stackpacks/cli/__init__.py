"""The command line: parse, call one core function, present its result, return an exit code."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Annotated

import typer

from stackpacks import __version__
from stackpacks.catalogue import Selection
from stackpacks.cli import present
from stackpacks.cli.handler import run
from stackpacks.cli.plain_help import PlainCommand

app = typer.Typer(
    name="stackpacks",
    help="Grow a Django + Next.js product one measured pack at a time.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # Click's plain help: `--to N`, `[refuse|markers|sidecar]`
)

QUEUES = "[celery|db]"
JsonFlag = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stackpacks {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Grow a Django + Next.js product one measured pack at a time."""


@app.command(cls=PlainCommand)
def new(
    name: Annotated[
        str,
        typer.Argument(metavar="NAME", help="Project name: lowercase letters, digits, hyphens."),
    ],
    pack: Annotated[
        int, typer.Option("--pack", "-p", metavar="N", help="Pack to generate (1-6).")
    ] = 1,
    with_: Annotated[
        list[str] | None,
        typer.Option("--with", metavar="OPTION", help="An option of the pack; repeatable."),
    ] = None,
    queue: Annotated[str, typer.Option(metavar=QUEUES, help="Queue of packs 2+.")] = "celery",
    path: Annotated[
        Path | None, typer.Option(metavar="DIR", help="Project folder (default: ./NAME).")
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Generate a ready Django + Next.js project at the given pack."""
    from stackpacks.project import create  # deferred: imports copier only when rendering

    selection = Selection(name, pack, tuple(with_ or ()), queue)
    dest = path if path is not None else Path(name)
    run(lambda: create(selection, dest), present.new_result, json)


@app.command()
def packs(json: JsonFlag = False) -> None:
    """List the packs and options: what each adds and the pain that triggers it."""
    from stackpacks import catalogue

    run(lambda: (catalogue.PACKS, catalogue.OPTIONS), present.catalogue, json)


@app.command()
def status(
    path: Annotated[
        Path, typer.Option(metavar="DIR", help="A folder inside the project.")
    ] = Path(),
    json: JsonFlag = False,
) -> None:
    """Show the project's pack, options, tool version and the generated files you changed."""
    from stackpacks.status import status as project_status

    run(lambda: project_status(path), present.status_report, json)


@app.command()
def upgrade(
    to: Annotated[
        int | None,
        typer.Option(
            "--to",
            metavar="N",
            help="The pack to move up to. Required, unless --with, --queue or --recover is given.",
        ),
    ] = None,
    with_: Annotated[
        list[str] | None,
        typer.Option("--with", metavar="OPTION", help="An option to add; repeatable."),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Summarize what would change; write nothing.")
    ] = False,
    diff: Annotated[bool, typer.Option("--diff", help="With --dry-run: show each diff.")] = False,
    conflicts: Annotated[
        str,
        typer.Option(
            metavar="[refuse|markers|sidecar]",
            help="On conflict: write nothing, diff3 markers in place, or the new version beside.",
        ),
    ] = "refuse",
    allow_dirty: Annotated[
        bool,
        typer.Option("--allow-dirty", help="Run even with uncommitted changes or outside git."),
    ] = False,
    recover: Annotated[
        bool, typer.Option("--recover", help="Finish or undo an interrupted upgrade, then stop.")
    ] = False,
    queue: Annotated[
        str | None,
        typer.Option(metavar=QUEUES, help="Queue of packs 2+; switch db to celery at any pack."),
    ] = None,
    path: Annotated[
        Path, typer.Option(metavar="DIR", help="A folder inside the project.")
    ] = Path(),
    json: JsonFlag = False,
) -> None:
    """Move the project up to pack N, keeping every edit you made (3-way merge)."""
    from stackpacks import upgrade as core
    from stackpacks.cli import present_upgrade

    if recover:
        run(lambda: core.recover(path), present_upgrade.recover_report, json)
        return
    request = core.Request(to, tuple(with_ or ()), dry_run, conflicts, allow_dirty, queue, diff)
    show = partial(present_upgrade.upgrade_report, show_diff=diff)
    run(lambda: core.upgrade(path, request), show, json)


@app.command()
def doctor(
    url: Annotated[
        str | None,
        typer.Option(metavar="URL", help="The running app (default: the project's, port 8000)."),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(metavar="TOKEN", help="SIGNALS_TOKEN of the app (default: from .env)."),
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(metavar="URL", help="PostgreSQL to inspect (default: DATABASE_URL)."),
    ] = None,
    redis_url: Annotated[
        str | None, typer.Option(metavar="URL", help="Redis to inspect (default: REDIS_URL).")
    ] = None,
    window: Annotated[
        float,
        typer.Option(
            metavar="SECONDS", help="Seconds between two scrapes; 0: one scrape, since start."
        ),
    ] = 10.0,
    path: Annotated[
        Path, typer.Option(metavar="DIR", help="A folder inside the project.")
    ] = Path(),
    front_url: Annotated[
        str | None,
        typer.Option(
            metavar="URL",
            help="Where users reach the app, for pack 3-4 checks (default: port 3000).",
        ),
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Measure the running app and recommend the pack it needs, with evidence."""
    from stackpacks import doctor as core
    from stackpacks.cli import present_doctor

    options = core.DoctorOptions(url, token, database_url, redis_url, window, path, front_url)
    run(lambda: core.diagnose(options), present_doctor.doctor_report, json)


def main() -> None:
    app()
