"""Packs and options as data, the validation of a selection, and the render context it gives."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from stackpacks import errors
from stackpacks.catalogue.model import (
    Contribution,
    EnvVar,
    Move,
    Option,
    Pack,
    Process,
    Route,
    Status,
)
from stackpacks.catalogue.moves import MOVES
from stackpacks.catalogue.packs import OPTIONS, PACKS, QUEUES

__all__ = [
    "MOVES",
    "OPTIONS",
    "PACKS",
    "QUEUES",
    "Contribution",
    "EnvVar",
    "Move",
    "Option",
    "Pack",
    "Process",
    "Route",
    "Selection",
    "Status",
    "contributions",
    "get_option",
    "get_pack",
    "validate",
    "validate_name",
]

NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
MAX_NAME = 40
# Names that would shadow a module the generated backend imports.
RESERVED_NAMES = frozenset({"apps", "config", "django", "test", "tests", "backend", "frontend"})


@dataclass(frozen=True)
class Selection:
    """What the user chose: the answers every render is a pure function of."""

    name: str
    pack: int = 1
    options: tuple[str, ...] = ()
    queue: str = "celery"

    @property
    def slug(self) -> str:
        return self.name.replace("-", "_")

    @property
    def title(self) -> str:
        return " ".join(part.capitalize() for part in self.name.split("-"))


def get_pack(number: int) -> Pack:
    for pack in PACKS:
        if pack.number == number:
            return pack
    known = ", ".join(str(p.number) for p in PACKS)
    raise errors.UnknownPack(f"there is no pack {number}", f"choose one of {known}")


def get_option(name: str) -> Option:
    for option in OPTIONS:
        if option.name == name:
            return option
    known = ", ".join(o.name for o in OPTIONS)
    raise errors.UnknownOption(f"unknown option {name!r}", f"choose from {known}")


def validate_name(name: str) -> None:
    if len(name) > MAX_NAME or not NAME_RE.match(name):
        raise errors.InvalidName(
            f"invalid project name {name!r}",
            f"use lowercase letters, digits and single hyphens, starting with a letter, "
            f"at most {MAX_NAME} characters, e.g. 'shop' or 'demo-app'",
        )
    if name in RESERVED_NAMES:
        raise errors.InvalidName(
            f"project name {name!r} would shadow a module of the generated backend",
            "pick another name",
        )


def validate(selection: Selection) -> None:
    """Raise the first thing wrong with a selection; pure, run before anything is written."""
    validate_name(selection.name)
    pack = get_pack(selection.pack)
    if pack.status is not Status.AVAILABLE:
        raise errors.PackNotAvailable(
            f"pack {pack.number} ({pack.title}) is planned and has no template yet",
            "run `stackpacks packs` to see which packs are available",
        )
    if selection.queue not in QUEUES:
        raise errors.UserError(
            f"unknown queue {selection.queue!r}", f"choose {' or '.join(QUEUES)}"
        )
    if selection.queue != "celery" and selection.pack < 2:
        raise errors.UserError("--queue applies from pack 2 on", "add --pack 2 or drop --queue")
    for name in selection.options:
        _validate_option(get_option(name), selection)


def _validate_option(option: Option, selection: Selection) -> None:
    if selection.pack < option.pack:
        raise errors.UserError(
            f"option {option.name!r} belongs to pack {option.pack}",
            f"add --pack {option.pack} or drop --with {option.name}",
        )
    if option.status is not Status.AVAILABLE:
        raise errors.PackNotAvailable(
            f"option {option.name!r} is planned and has no template yet",
            "run `stackpacks packs` to see what is available",
        )
    clash = sorted(set(option.conflicts_with) & set(selection.options))
    if clash:
        raise errors.IncompatibleOptions(
            f"option {option.name!r} cannot be combined with {', '.join(clash)}",
            "choose one of them",
        )


def contributions(selection: Selection) -> list[Contribution]:
    """Every contribution of the selection, in the order later ones win."""
    found: list[Contribution] = []
    for pack in PACKS:
        if pack.number > selection.pack:
            break
        found.append(pack.contribution)
        if selection.queue in pack.by_queue:
            found.append(pack.by_queue[selection.queue])
    found.extend(get_option(name).contribution for name in sorted(selection.options))
    return found


def answers(selection: Selection) -> dict[str, Any]:
    """The recorded answers: what a later upgrade re-renders from."""
    return {
        "name": selection.name,
        "pack": selection.pack,
        "options": sorted(selection.options),
        "queue": selection.queue,
    }


def selection_from_answers(data: dict[str, Any]) -> Selection:
    return Selection(
        name=str(data["name"]),
        pack=int(data["pack"]),
        options=tuple(str(o) for o in data.get("options", [])),
        queue=str(data.get("queue", "celery")),
    )
