"""The project's untracked `.env`: how `new` writes it and how an upgrade tops it up.

Both write a variable the same way: its comment, then `NAME=value`, a fresh secret for the
catalogue's secret variables and the documented development default otherwise.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

ENV_FILE = ".env"
HEADER = "# Local settings and secrets of this checkout. Never commit this file.\n"
# Left commented out in `.env` so the first run uses SQLite and needs no database server.
COMMENTED_OUT = frozenset({"DATABASE_URL"})
# `NAME=`, `export NAME=`, or either commented out (`# NAME=`): the variable is there.
_NAMED = re.compile(r"^\s*(?:#\s*)?(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=", re.MULTILINE)

Token = Callable[[], str]


def new_token() -> str:
    return secrets.token_urlsafe(48)


def entries(env_vars: Iterable[Mapping[str, Any]], token: Token) -> str:
    """The lines of each variable (the catalogue's `env_vars` as rendered): comment, value."""
    lines = []
    for var in env_vars:
        value = token() if var["secret"] else var["example"]
        prefix = "# " if var["name"] in COMMENTED_OUT else ""
        lines.append(f"# {var['comment']}\n{prefix}{var['name']}={value}\n")
    return "".join(lines)


def names(text: str) -> set[str]:
    """The variables a `.env` (or `.env.example`) sets or mentions commented out."""
    return set(_NAMED.findall(text))
