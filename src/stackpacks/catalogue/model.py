"""The catalogue's record types: packs, options and what each contributes to a project."""

from __future__ import annotations

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


@dataclass(frozen=True)
class Process:
    """One line of the Procfile: a long-running process of the generated app."""

    name: str
    command: str


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
    # First path segments the Next.js server proxies to Django (`api` for `/api/...`), so the
    # browser reaches Django on the frontend's own origin with its cookies.
    proxy_paths: tuple[str, ...] = ()


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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
