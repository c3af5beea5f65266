"""The shipped constraints: they cover every pin of the catalogue, agree with it, and every
project renders them unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stackpacks.catalogue import OPTIONS, PACKS, Selection, Status, constraints, lock
from stackpacks.catalogue.context import build, requirement_name
from stackpacks.render import render

SHIPPED = Path(constraints.__file__).with_name(constraints.FILE)


def test_every_catalogue_pin_is_constrained_to_its_own_version() -> None:
    locked = constraints.pins()
    wrong = {}
    for requirement in lock.requirements():
        name, version = requirement.split("==")
        key = constraints.normalize(requirement_name(name))
        if locked.get(key) != version:
            wrong[requirement] = locked.get(key, "missing")
    assert not wrong, f"run scripts/lock-python after changing a pin: {wrong}"


def test_requirements_span_every_available_pack_queue_and_option() -> None:
    chosen = lock.selections()
    available = {p.number for p in PACKS if p.status is Status.AVAILABLE}
    assert {s.pack for s in chosen} == available
    assert {(s.pack, s.queue) for s in chosen} >= {(max(available), "celery"), (2, "db")}
    options = {o.name for o in OPTIONS if o.status is Status.AVAILABLE}
    assert {name for s in chosen for name in s.options} == options


def test_shipped_file_is_exactly_what_the_lock_script_writes() -> None:
    """Sorted, normalized names, the header: a hand edit shows up here."""
    text = SHIPPED.read_text(encoding="utf-8")
    assert text == lock.HEADER + constraints.format_pins(constraints.parse(text))
    assert "scripts/lock-python" in lock.HEADER


def test_constraints_pin_more_than_the_catalogue_names() -> None:
    """Transitive dependencies (asgiref under Django, kombu under celery) are pinned too."""
    named = {constraints.normalize(requirement_name(r)) for r in lock.requirements()}
    assert {"asgiref", "kombu", "sqlparse"} <= set(constraints.pins())
    assert set(constraints.pins()) - named


@pytest.mark.parametrize("line", ["django>=6.0", "django", "django==6.0 ; python_version<'4'"])
def test_only_exact_pins_parse(line: str) -> None:
    with pytest.raises(ValueError, match="not an exact pin"):
        constraints.parse(line)


def test_parse_normalizes_names() -> None:
    assert constraints.parse("# c\n\nDjango==6.0.10\nzope.interface==8.0\n") == {
        "django": "6.0.10",
        "zope-interface": "8.0",
    }


def test_every_pack_renders_the_same_constraints(tmp_path: Path) -> None:
    """The union: the file does not change on an upgrade, and lists every shipped pin."""
    rendered = [
        (render(Selection("demo", n), tmp_path / str(n)).root / "backend" / "constraints.txt")
        for n in (1, max(p.number for p in PACKS if p.status is Status.AVAILABLE))
    ]
    first, last = (path.read_text(encoding="utf-8") for path in rendered)
    assert first == last
    assert constraints.parse(first) == constraints.pins()
    assert first.endswith("\n") and not first.endswith("\n\n")


def test_the_build_backend_is_pinned_exactly() -> None:
    """pip builds the backend project in an isolated environment that `-c` does not reach."""
    name, version = build(Selection("demo"))["build_backend"].split("==")
    assert name == "setuptools" and re.fullmatch(r"\d+(\.\d+)+", version)
