"""The one error handler: every failure becomes one line for a person and an exit code."""

from __future__ import annotations

import json as jsonlib
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import typer

from stackpacks.errors import ExitCode, StackpacksError

T = TypeVar("T")


def run(
    action: Callable[[], T],
    show: Callable[[T, bool], ExitCode],
    as_json: bool,
) -> None:
    """Run a core call, present its result, and leave with the matching exit code."""
    try:
        result = action()
    except StackpacksError as exc:
        _fail(str(exc), exc.exit_code, as_json)
    except KeyboardInterrupt:
        # Commands that write do so atomically (`new` renames a finished folder into place;
        # `upgrade` turns Ctrl-C into UpgradeInterrupted, which says what state it left).
        _fail("interrupted", ExitCode.INTERRUPTED, as_json)
    except Exception:
        log = _write_crash_log()
        _fail(f"unexpected error; the full traceback is in {log}", ExitCode.INTERNAL, as_json)
    raise typer.Exit(int(show(result, as_json)))


def _fail(message: str, code: ExitCode, as_json: bool) -> None:
    if as_json:
        typer.echo(jsonlib.dumps({"error": message, "exit_code": int(code)}))
    else:
        typer.echo(f"error: {message}", err=True)
    raise typer.Exit(int(code))


def _write_crash_log() -> Path:
    with tempfile.NamedTemporaryFile(
        "w", prefix="stackpacks-crash-", suffix=".log", delete=False, encoding="utf-8"
    ) as log:
        log.write(f"stackpacks {' '.join(sys.argv[1:])}\n\n")
        log.write(traceback.format_exc())
    return Path(log.name)


def dump(data: Any) -> None:
    typer.echo(jsonlib.dumps(data, indent=2, sort_keys=False, default=str))
