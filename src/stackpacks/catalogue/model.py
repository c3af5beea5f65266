"""The catalogue's record types: packs, options and what each contributes to a project."""

from __future__ import annotations

import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

EMPTY: Mapping[str, Any] = MappingProxyType({})


def _empty() -> Mapping[str, Any]:
    return EMPTY


class Status(StrEnum):
    AVAILABLE = "available"
    PLANNED = "planned"


@dataclass(frozen=True)
class Route:
    """One entry of the backend's URLconf: `path(prefix, include(urls))`, in catalogue order."""

    prefix: str
    urls: str  # the module of an app's urlpatterns


# In a process's argv: where the bind flags of the place it runs go.
BIND = "<bind>"


@dataclass(frozen=True, kw_only=True)
class Process:
    """A long-running process of the generated app, written once and rendered wherever it
    runs: the Procfile's line on this machine and compose's `command` in a container (pack 5's
    Kubernetes manifests are to read the same record).
    """

    name: str
    folder: str  # the project folder it runs in (the Procfile `cd`s there; its image's workdir)
    argv: tuple[str, ...]  # the program and its arguments, with BIND where a server binds
    local_bind: tuple[str, ...] = ()  # on this machine: loopback, on an explicit port
    container_bind: tuple[str, ...] = ()  # in a container; none where the server's config binds

    @property
    def command(self) -> str:
        """The Procfile's line after `name:`; `exec`, so that a stop signal reaches the process."""
        return f"cd {self.folder} && exec {shlex.join(self._argv(self.local_bind))}"

    @property
    def container_command(self) -> tuple[str, ...]:
        """Compose's `command`: the image's working directory is already the folder."""
        return self._argv(self.container_bind)

    def _argv(self, bind: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(word for arg in self.argv for word in (bind if arg == BIND else (arg,)))


@dataclass(frozen=True, kw_only=True)
class Move:
    """A generated path the tool itself renamed: a folder (`old` ends with `/`) or one file.

    An upgrade whose recorded base still has the old path carries the user's version of it,
    edits and all, to the new one (docs/upgrade.md, "Files the tool moved").
    """

    old: str
    new: str

    def __post_init__(self) -> None:
        if self.old.endswith("/") != self.new.endswith("/"):
            raise ValueError(f"a folder moves to a folder: {self.old!r} -> {self.new!r}")

    def of(self, path: str) -> str | None:
        """Where this move takes `path`, or None if it does not touch it."""
        if self.old.endswith("/"):
            return self.new + path.removeprefix(self.old) if path.startswith(self.old) else None
        return self.new if path == self.old else None


@dataclass(frozen=True)
class EnvVar:
    """One documented variable of `.env.example`; `secret` ones get a fresh value in `.env`."""

    name: str
    example: str
    comment: str
    secret: bool = False


@dataclass(frozen=True)
class Contribution:
    """What a pack or option adds to the shared manifests of a project.

    Later contributions win by name: a pack-3 `web` process replaces pack 1's, a pinned
    requirement of the same distribution replaces the earlier pin. Services merge key by key:
    a later `backend` that names only `command` keeps the earlier environment.
    """

    python_deps: tuple[str, ...] = ()
    python_dev_deps: tuple[str, ...] = ()
    npm_deps: Mapping[str, str] = field(default_factory=_empty)
    npm_dev_deps: Mapping[str, str] = field(default_factory=_empty)
    processes: tuple[Process, ...] = ()
    routes: tuple[Route, ...] = ()
    services: Mapping[str, Mapping[str, Any]] = field(default_factory=_empty)
    ci_services: Mapping[str, Mapping[str, Any]] = field(default_factory=_empty)
    volumes: tuple[str, ...] = ()
    settings_components: tuple[str, ...] = ()
    env_vars: tuple[EnvVar, ...] = ()
    next_steps: tuple[str, ...] = ()
    # Modules the backend imports that ship no types and have no stub distribution: mypy
    # treats them as untyped (`ignore_missing_imports`) rather than failing on the import.
    untyped_modules: tuple[str, ...] = ()
    # First path segments the Next.js server proxies to Django (`api` for `/api/...`), so the
    # browser reaches Django on the frontend's own origin with its cookies.
    proxy_paths: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Pack:
    number: int
    name: str
    title: str
    adds: str
    trigger: str
    costs: str
    status: Status
    contribution: Contribution = field(default_factory=Contribution)
    by_queue: Mapping[str, Contribution] = field(default_factory=_empty)

    @property
    def folder(self) -> str:
        return f"pack{self.number}_{self.name}"


@dataclass(frozen=True, kw_only=True)
class Option:
    name: str
    pack: int
    summary: str
    trigger: str
    status: Status
    conflicts_with: tuple[str, ...] = ()
    contribution: Contribution = field(default_factory=Contribution)

    @property
    def folder(self) -> str:
        """Its template layer, if it adds files: `options/<name>` (hyphens as underscores)."""
        return "options/" + self.name.replace("-", "_")
