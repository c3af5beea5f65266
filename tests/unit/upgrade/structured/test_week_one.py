"""The edits every team makes in week one, on the real pack-1 manifests, then pack 1 -> 4."""

from __future__ import annotations

import io
import json
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from stackpacks.catalogue import Selection
from stackpacks.render import render
from stackpacks.upgrade.plan import Action, Rule, decide

LABELS = ("yours", "pack 1 as generated", "pack 4")
PARSES: dict[str, Callable[[str], object]] = {
    "backend/pyproject.toml": tomllib.loads,
    "compose.yaml": lambda text: YAML(typ="safe").load(io.StringIO(text)),
    ".github/workflows/ci.yml": lambda text: YAML(typ="safe").load(io.StringIO(text)),
    "frontend/package.json": json.loads,
}
# path -> (text the user's edit follows, what they add after it)
WEEK_ONE = {
    "backend/pyproject.toml": ('    "httpx==0.28.1",\n', '    "httpx-sse==0.4.3",  # streams\n'),
    "Procfile": ("127.0.0.1\n", "mail: cd backend && exec python manage.py send_queued_mail\n"),
    "compose.yaml": (
        "      backend:\n        condition: service_healthy\n",  # the last service
        "  mailpit:\n    image: axllent/mailpit:v1.27\n    ports:\n    - 8025:8025\n",
    ),
    ".env.example": ("DJANGO_API_URL=http://127.0.0.1:8000\n", "\n# the mail server\nSMTP_URL=x\n"),
    ".github/workflows/ci.yml": (
        "          npm ci --prefix frontend\n",
        "      - name: Audit\n        run: pip-audit\n",
    ),
}


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    root = tmp_path_factory.mktemp("renders")
    return {n: render(Selection("demo", n, (), "celery"), root / f"p{n}").root for n in (1, 4)}


def add_after(text: str, anchor: str, added: str) -> str:
    assert text.count(anchor) == 1, anchor
    return text.replace(anchor, anchor + added)


@pytest.mark.parametrize("path", sorted(WEEK_ONE))
def test_week_one_edits_merge_cleanly_from_pack_1_to_4(renders: dict[int, Path], path: str) -> None:
    base, theirs = (renders[n] / path for n in (1, 4))
    ours = add_after(base.read_text(), *WEEK_ONE[path])
    action = decide(path, base.read_bytes(), ours.encode(), theirs.read_bytes(), LABELS)
    assert action.rule is Rule.MERGED_BY_STRUCTURE, action.notes
    assert action.action is Action.MERGE and action.merged is not None
    result = action.merged.decode()
    assert WEEK_ONE[path][1] in result  # the user's edit, as they wrote it
    pack_lines = set(theirs.read_text().splitlines())
    if path in ("compose.yaml", ".github/workflows/ci.yml"):
        pack_lines -= {base.read_text().splitlines()[0]}  # the header comment says the pack
    assert pack_lines <= set(result.splitlines())  # every line of pack 4 is in
    PARSES.get(path, str)(result)


def test_package_json_keeps_its_indentation_and_order(renders: dict[int, Path]) -> None:
    path = "frontend/package.json"
    base = (renders[1] / path).read_text()
    ours = base.replace('"dependencies": {\n', '"dependencies": {\n    "zod": "4.1.0",\n')
    theirs = base.replace('"private": true,\n', '"private": true,\n  "type": "module",\n')
    action = decide(path, base.encode(), ours.encode(), theirs.encode(), LABELS)
    assert action.rule is Rule.MERGED_BY_STRUCTURE
    assert (
        action.merged
        == ours.replace('"private": true,\n', '"private": true,\n  "type": "module",\n').encode()
    )


def test_a_side_that_does_not_parse_is_merged_by_lines_and_says_so(
    renders: dict[int, Path],
) -> None:
    path = "backend/pyproject.toml"
    base, theirs = (renders[n] / path for n in (1, 4))
    ours = base.read_text() + "\n[broken\n"
    action = decide(path, base.read_bytes(), ours.encode(), theirs.read_bytes(), LABELS)
    assert action.rule is Rule.MERGED
    assert action.notes == ("merged by lines: yours did not parse as TOML",)


def test_a_dependency_both_sides_pin_differently_is_one_named_conflict(
    renders: dict[int, Path],
) -> None:
    path = "backend/pyproject.toml"
    base, theirs = (renders[n] / path for n in (1, 4))
    ours = base.read_text().replace('"httpx==0.28.1"', '"httpx==0.28.2"')
    pack = theirs.read_text().replace('"httpx==0.28.1"', '"httpx==0.28.0"')
    action = decide(path, base.read_bytes(), ours.encode(), pack.encode(), LABELS)
    assert action.rule is Rule.KEY_CONFLICT
    assert action.notes == ("pyproject.toml: `httpx` — yours ==0.28.2, pack 4's ==0.28.0",)
    assert action.merged is not None and b'"httpx==0.28.2"' in action.merged
