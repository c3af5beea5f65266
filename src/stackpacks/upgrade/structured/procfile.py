"""`Procfile`: one process a line, `name: command`, merged by process name."""

from __future__ import annotations

from stackpacks.upgrade.structured import lines

merge = lines.merger(r"^(?P<key>[A-Za-z0-9_-]+):(?P<value>.*)$", "a Procfile", "process")
