"""`stackpacks new`: validate everything, render into a staging folder, then move it into place.

Nothing is written at the destination until the whole project, its state and its `.env` exist
beside it; a failure or Ctrl-C removes the staging folder and leaves the disk as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stackpacks import catalogue, envfile, errors, state
from stackpacks.catalogue import Selection
from stackpacks.catalogue.context import build
from stackpacks.render import render
from stackpacks.upgrade import records

ENV_FILE = envfile.ENV_FILE


@dataclass(frozen=True)
class NewResult:
    path: Path
    selection: Selection
    files: int
    next_steps: tuple[str, ...]


def check_destination(dest: Path) -> None:
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise errors.DestinationNotEmpty(
            f"{dest} already exists and is not empty",
            "choose another name or --path, or remove it first",
        )
    if not dest.parent.is_dir():
        raise errors.UserError(
            f"the parent folder {dest.parent} does not exist",
            "create it first or pick another --path",
        )
    if not os.access(dest.parent, os.W_OK):
        raise errors.UserError(f"cannot write into {dest.parent}", "pick another --path")


def create(
    selection: Selection, dest: Path, token: Callable[[], str] = envfile.new_token
) -> NewResult:
    catalogue.validate(selection)
    dest = dest.absolute()
    check_destination(dest)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}.stackpacks-", dir=dest.parent))
    try:
        result = render(selection, staging)
        state.write(
            staging,
            state.new_state(selection, result.manifest),
            state.read_tree(staging, result.files),
        )
        write_env(staging / ENV_FILE, selection, token)
        write_records(staging, selection)
        staging.rename(dest)  # atomic; replaces `dest` only when it is an empty folder
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return NewResult(dest, selection, len(result.manifest), next_steps(selection))


def write_env(path: Path, selection: Selection, token: Callable[[], str]) -> None:
    """The untracked `.env`: fresh secrets, development defaults."""
    text = envfile.HEADER + envfile.entries(build(selection)["env_vars"], token)
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)


def write_records(root: Path, selection: Selection) -> None:
    """One accepted ADR per pack the project contains: the decisions taken at its creation."""
    for name, content in records.for_new(selection).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(content)


def next_steps(selection: Selection) -> tuple[str, ...]:
    return tuple(step for part in catalogue.contributions(selection) for step in part.next_steps)
