"""Exact versions of everything a generated backend installs, dependencies of dependencies too.

The catalogue pins what a project asks for; `python-constraints.txt` beside this module pins the
whole resolved set: every distribution that any available selection installs, on CPython 3.12 on
Linux. Every project renders it as `backend/constraints.txt` and every install path passes it to
pip with `-c`, so two installs a month apart get the same versions. pip applies a constraint only
to what is actually requested, so one file (the union) serves every selection, and render needs
no resolver. `scripts/lock-python` (`stackpacks.catalogue.lock`) regenerates it.
"""

from __future__ import annotations

import re
from importlib import resources

FILE = "python-constraints.txt"
_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;]+)$")


def normalize(name: str) -> str:
    """A distribution's name as PEP 503 compares it."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse(text: str) -> dict[str, str]:
    """`name==version` lines (comments and blank lines skipped) as {normalized name: version}."""
    found = {}
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        match = _PIN.match(line)
        if not match:
            raise ValueError(f"not an exact pin: {line!r}")
        found[normalize(match.group(1))] = match.group(2)
    return found


def format_pins(found: dict[str, str]) -> str:
    return "".join(f"{name}=={found[name]}\n" for name in sorted(found))


def pins() -> dict[str, str]:
    """The shipped constraints: {normalized name: version}."""
    text = resources.files("stackpacks.catalogue").joinpath(FILE).read_text(encoding="utf-8")
    return parse(text)


def lines() -> list[str]:
    """The shipped constraints as sorted `name==version` lines: what a project renders."""
    return format_pins(pins()).splitlines()
