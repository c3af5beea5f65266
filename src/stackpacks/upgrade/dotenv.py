"""The untracked `.env` after an upgrade: the variables the upgrade documents, appended.

An upgrade adds variables to `.env.example` (pack 2's `REDIS_URL`, ...). `.env` is yours and is
never merged: no line of it changes. Each variable the new `.env.example` has and the recorded
one did not, and that `.env` neither sets nor mentions commented out, is appended the way
`stackpacks new` writes it: its comment, then a fresh secret or the development default. A
project without a `.env` gets none (nothing to top up). Pure but for the token.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from stackpacks import envfile

EXAMPLE = ".env.example"


@dataclass(frozen=True)
class EnvUpdate:
    content: bytes  # the whole new `.env`
    added: tuple[str, ...]  # the variables appended, in order


def topped_up(
    current: bytes | None,
    examples: tuple[bytes | None, bytes | None],
    env_vars: Iterable[Mapping[str, Any]],
    token: envfile.Token,
) -> EnvUpdate | None:
    """`current` (the `.env`, None when there is none) with the variables the upgrade adds to
    `.env.example` (`examples`: the recorded one, the new one) that it lacks; `env_vars` are the
    new selection's catalogue variables. None when there is nothing to add."""
    old, new = (envfile.names((text or b"").decode(errors="replace")) for text in examples)
    if current is None:
        return None
    present = envfile.names(current.decode(errors="replace"))
    missing = [v for v in env_vars if v["name"] in new - old and v["name"] not in present]
    if not missing:
        return None
    separator = b"" if current.endswith(b"\n") or not current else b"\n"
    content = current + separator + envfile.entries(missing, token).encode()
    return EnvUpdate(content, tuple(v["name"] for v in missing))
