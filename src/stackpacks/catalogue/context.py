"""The render context: a selection's answers plus the shared manifests merged from the catalogue."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from stackpacks.catalogue import PACKS, Contribution, Selection, constraints, contributions

PYTHON_VERSION = "3.12"
NODE_VERSION = "20"
# The backend's build backend, pinned like its dependencies: pip installs it into an isolated
# build environment that `-c constraints.txt` does not reach, on every install of the project.
BUILD_BACKEND = "setuptools==84.2.1"

T = TypeVar("T")
# Settings components that must come after every other: instrumentation wraps the middleware and
# database engines the others configured; pack 3's asgi then swaps that middleware for
# async-native equivalents, and pack 4's ws extends the ASGI setup.
LAST_COMPONENTS = ("instrumentation", "asgi", "ws")
_REQ_NAME = re.compile(r"^[A-Za-z0-9._-]+")


def requirement_name(requirement: str) -> str:
    match = _REQ_NAME.match(requirement)
    return (match.group(0) if match else requirement).lower().replace("_", "-")


def merge_pins(groups: Iterable[Iterable[str]]) -> list[str]:
    """Later pins of the same distribution replace earlier ones; sorted by name."""
    pins: dict[str, str] = {}
    for group in groups:
        for requirement in group:
            pins[requirement_name(requirement)] = requirement
    return [pins[name] for name in sorted(pins)]


def merge_mappings(groups: Iterable[Mapping[str, T]], *, sort: bool) -> dict[str, T]:
    merged: dict[str, T] = {}
    for group in groups:
        merged.update(group)
    return dict(sorted(merged.items())) if sort else merged


def merge_services(groups: Iterable[Mapping[str, Mapping[str, Any]]]) -> dict[str, Any]:
    """Services by name, merged key by key: a later contribution's keys replace the earlier
    ones (in its order), keys it does not name stay. An option can then swap the backend's
    command without knowing which queue set its environment."""
    merged: dict[str, dict[str, Any]] = {}
    for group in groups:
        for name, service in group.items():
            earlier = merged.get(name, {})
            merged[name] = {**service, **{k: v for k, v in earlier.items() if k not in service}}
    return merged


def merge_named(groups: Iterable[Iterable[T]], key: str) -> list[T]:
    """Keep first-appearance order; a later record of the same name replaces the earlier one."""
    merged: dict[str, T] = {}
    for group in groups:
        for record in group:
            merged[getattr(record, key)] = record
    return list(merged.values())


def unique(groups: Iterable[Iterable[T]]) -> list[T]:
    """Every item once, in the order it first appears."""
    return list(dict.fromkeys(item for group in groups for item in group))


def build(selection: Selection) -> dict[str, Any]:
    parts = contributions(selection)
    return {
        "project_name": selection.name,
        "project_slug": selection.slug,
        "project_title": selection.title,
        "pack": selection.pack,
        "options": sorted(selection.options),
        "queue": selection.queue,
        "python_version": PYTHON_VERSION,
        "node_version": NODE_VERSION,
        "build_backend": BUILD_BACKEND,
        "python_deps": merge_pins(p.python_deps for p in parts),
        "python_dev_deps": merge_pins(p.python_dev_deps for p in parts),
        # The same for every selection (the union): backend/constraints.txt never changes on
        # an upgrade, only when the tool's pins do.
        "python_constraints": constraints.lines(),
        "npm_deps": merge_mappings((p.npm_deps for p in parts), sort=True),
        "npm_dev_deps": merge_mappings((p.npm_dev_deps for p in parts), sort=True),
        "processes": [
            {"name": p.name, "command": p.command}
            for p in merge_named((p.processes for p in parts), "name")
        ],
        "routes": [{"prefix": r.prefix, "urls": r.urls} for r in unique(p.routes for p in parts)],
        "services": _plain(merge_services(p.services for p in parts)),
        "ci_services": _plain(merge_services(p.ci_services for p in parts)),
        "volumes": {v: {} for v in unique(p.volumes for p in parts)},
        "proxy_paths": unique(p.proxy_paths for p in parts),
        "untyped_modules": sorted(unique(p.untyped_modules for p in parts)),
        "settings_components": settings_components(parts),
        "catalogue": [
            {
                "number": p.number,
                "title": p.title,
                "adds": p.adds,
                "trigger": p.trigger,
                "costs": p.costs,
            }
            for p in PACKS
        ],
        "env_vars": [
            {"name": v.name, "example": v.example, "comment": v.comment, "secret": v.secret}
            for v in merge_named((p.env_vars for p in parts), "name")
        ],
    }


def settings_components(parts: list[Contribution]) -> list[str]:
    names = list(dict.fromkeys(c for p in parts for c in p.settings_components))
    return [n for n in names if n not in LAST_COMPONENTS] + [
        n for n in LAST_COMPONENTS if n in names
    ]


def _plain(value: Any) -> Any:
    """Read-only mappings and tuples as plain dicts and lists, so YAML/JSON filters take them."""
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
