"""`.env.example`: `NAME=value` lines, merged by variable name, each with the comment above it."""

from __future__ import annotations

from stackpacks.upgrade.structured import lines

merge = lines.merger(
    r"^(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_]*)=(?P<value>.*)$", "a .env file", "variable"
)
