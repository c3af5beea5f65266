"""Django's request handling stays Django's unless the project chose `--with asgi-fastpath`.

The option's package restates or replaces framework internals (Django's ASGI handler, the
middleware's thread hops, session reads, DRF's dispatch). Without the option no backend file
may carry any of it, or import it (the docs may name the option, as the way out of a measured
pain); with it, the package and its tests are there.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from stackpacks.catalogue import Selection
from stackpacks.render import render

# What only the fast path does: its package, and the framework internals it restates.
MARKERS = (
    "fastpath",
    "class ASGIHandler",  # Django's handler, restated
    "ASYNC_NATIVE_MIDDLEWARE",
    "AsyncConnectionPool",  # session and user reads over async psycopg
    "_aget_session_from_db",  # Django's session engine, overridden
    "AsyncAPIView",  # DRF's dispatch, re-implemented
)
DEFAULTS = [
    Selection("demo", 3, (), "celery"),
    Selection("demo", 4, (), "db"),
    Selection("demo", 4, ("daphne",), "celery"),
]


def _text_files(root: Path) -> dict[str, str]:
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            try:
                found[path.relative_to(root).as_posix()] = path.read_text()
            except UnicodeDecodeError:
                continue
    return found


@pytest.mark.parametrize("selection", DEFAULTS, ids=lambda s: f"pack{s.pack}-{s.queue}")
def test_the_default_asgi_packs_carry_no_restated_framework_code(
    selection: Selection, tmp_path: Path
) -> None:
    files = _text_files(render(selection, tmp_path / "app").root)
    code = {name: text for name, text in files.items() if name.startswith("backend/")}
    assert len(code) > 50  # the walk found the backend
    assert not [name for name in code if name.startswith("backend/fastpath/")]
    leaks = {name: marker for name, text in code.items() for marker in MARKERS if marker in text}
    assert not leaks, f"fast-path code outside the option: {leaks}"


def test_the_option_brings_its_package_its_settings_and_its_tests(tmp_path: Path) -> None:
    files = _text_files(render(Selection("demo", 3, ("asgi-fastpath",)), tmp_path / "app").root)
    package = {name for name in files if name.startswith("backend/fastpath/")}
    assert {"backend/fastpath/handler.py", "backend/fastpath/db.py"} <= package
    assert "backend/config/settings/components/fastpath.py" in files
    assert "fastpath.handler" in files["backend/config/asgi.py"]
    assert [name for name in files if name.startswith("backend/tests/test_fastpath_")]
