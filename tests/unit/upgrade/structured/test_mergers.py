"""Each structured merger against the same six questions, on a small file of its kind."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from stackpacks.upgrade import structured
from stackpacks.upgrade.structured import Unparsed
from stackpacks.upgrade.structured.result import CONFLICT_NOTE


@dataclass(frozen=True)
class Kind:
    path: str
    base: str
    ours_adds: tuple[str, str]  # (old, new): the user's edit, a replace in base
    theirs_adds: tuple[str, str]
    both_added: str  # the expected merge of the two additions, byte for byte
    ours_changes: tuple[str, str]  # the user and the pack change one key differently
    theirs_changes: tuple[str, str]
    key: str  # how the conflict names that key
    deleted: tuple[str, str]  # the user removes the key the pack changes
    broken: str  # not valid in the format

    def edit(self, change: tuple[str, str], text: str | None = None) -> str:
        text = self.base if text is None else text
        assert change[0] in text, change
        return text.replace(*change, 1)


PROCFILE = Kind(
    path="Procfile",
    base="web: run web\nworker: run worker -c 2\n",
    ours_adds=(
        "worker: run worker -c 2\n",
        "worker: run worker -c 2\n# sends mail\nmail: run mail\n",
    ),
    theirs_adds=("worker: run worker -c 2\n", "worker: run worker -c 2\nbeat: run beat\n"),
    both_added="web: run web\nworker: run worker -c 2\nbeat: run beat\n"
    "# sends mail\nmail: run mail\n",
    ours_changes=("-c 2", "-c 8"),
    theirs_changes=("-c 2", "-c 4"),
    key="process `worker`",
    deleted=("worker: run worker -c 2\n", ""),
    broken="web: run web\nthis is not a process\n",
)
DOTENV = Kind(
    path=".env.example",
    base="# Settings.\n\n# the key\nSECRET=x\n\n# debug\nDEBUG=1\n",
    ours_adds=("DEBUG=1\n", "DEBUG=1\n\n# mail\nSMTP_URL=smtp://\n"),
    theirs_adds=("DEBUG=1\n", "DEBUG=1\n\n# redis\nREDIS_URL=redis://\n"),
    both_added="# Settings.\n\n# the key\nSECRET=x\n\n# debug\nDEBUG=1\n"
    "\n# redis\nREDIS_URL=redis://\n\n# mail\nSMTP_URL=smtp://\n",
    ours_changes=("DEBUG=1", "DEBUG=0"),
    theirs_changes=("DEBUG=1", "DEBUG=true"),
    key="variable `DEBUG`",
    deleted=("\n# debug\nDEBUG=1\n", ""),
    broken="SECRET=x\nnot a variable\n",
)
PYPROJECT = Kind(
    path="backend/pyproject.toml",
    base='[project]\nname = "x"\n# what the backend needs\ndependencies = [\n'
    '    "Django==6.0",\n    "httpx==0.28.1",\n]\n\n[tool.ruff]\nline-length = 100\n',
    ours_adds=(
        '    "httpx==0.28.1",\n',
        '    "httpx==0.28.1",\n    "httpx-sse==0.4",  # streams\n',
    ),
    theirs_adds=(
        '    "Django==6.0",\n',
        '    "celery==5.7",\n    "Django==6.0",\n    "django-x==1",\n',
    ),
    both_added='[project]\nname = "x"\n# what the backend needs\ndependencies = [\n'
    '    "celery==5.7",\n    "Django==6.0",\n    "django-x==1",\n    "httpx==0.28.1",\n'
    '    "httpx-sse==0.4",  # streams\n]\n\n[tool.ruff]\nline-length = 100\n',
    ours_changes=("httpx==0.28.1", "httpx==0.28.2"),
    theirs_changes=("httpx==0.28.1", "httpx==0.28.0"),
    key="`httpx` — yours ==0.28.2, pack 4's ==0.28.0",
    deleted=('    "httpx==0.28.1",\n', ""),
    broken='[project\nname = "x"\n',
)
COMPOSE = Kind(
    path="compose.yaml",
    base="# the whole app\nservices:\n  web:\n    image: web:1\n  db:\n    image: pg:16\n"
    "volumes:\n  pgdata: {}\n",
    ours_adds=(
        "    image: pg:16\n",
        "    image: pg:16\n  # catches mail\n  mail:\n    image: mailpit\n",
    ),
    theirs_adds=("    image: pg:16\n", "    image: pg:16\n  redis:\n    image: redis:8\n"),
    both_added="# the whole app\nservices:\n  web:\n    image: web:1\n  db:\n    image: pg:16\n"
    "  redis:\n    image: redis:8\n  # catches mail\n  mail:\n    image: mailpit\n"
    "volumes:\n  pgdata: {}\n",
    ours_changes=("pg:16", "pg:17"),
    theirs_changes=("pg:16", "pg:18"),
    key="`services.db.image`",
    deleted=("  db:\n    image: pg:16\n", ""),
    broken="services: [\n",
)
WORKFLOW = Kind(
    path=".github/workflows/ci.yml",
    base="name: ci\njobs:\n  test:\n    steps:\n      - uses: actions/checkout@v4\n"
    "      - name: Lint\n        run: ruff check\n      - name: Test\n        run: pytest\n",
    ours_adds=(
        "      - name: Test\n",
        "      - name: Audit\n        run: pip-audit\n      - name: Test\n",
    ),
    theirs_adds=(
        "        run: pytest\n",
        "        run: pytest\n      - name: Build\n        run: build\n",
    ),
    both_added="name: ci\njobs:\n  test:\n    steps:\n      - uses: actions/checkout@v4\n"
    "      - name: Lint\n        run: ruff check\n      - name: Audit\n        run: pip-audit\n"
    "      - name: Test\n        run: pytest\n      - name: Build\n        run: build\n",
    ours_changes=("run: pytest", "run: pytest -x"),
    theirs_changes=("run: pytest", "run: pytest -q"),
    key="`jobs.test.steps[Test].run`",
    deleted=("      - name: Test\n        run: pytest\n", ""),
    broken="jobs: {\n",
)
PACKAGE_JSON = Kind(
    path="frontend/package.json",
    base='{\n    "name": "x",\n    "scripts": {\n        "dev": "next dev"\n    },\n'
    '    "dependencies": {\n        "next": "16.0.0"\n    }\n}\n',
    ours_adds=('"next": "16.0.0"\n', '"next": "16.0.0",\n        "zod": "4.0.0"\n'),
    theirs_adds=('"next": "16.0.0"\n', '"next": "16.0.0",\n        "react": "19.0.0"\n'),
    both_added='{\n    "name": "x",\n    "scripts": {\n        "dev": "next dev"\n    },\n'
    '    "dependencies": {\n        "next": "16.0.0",\n        "react": "19.0.0",\n'
    '        "zod": "4.0.0"\n    }\n}\n',
    ours_changes=('"next": "16.0.0"', '"next": "16.1.0"'),
    theirs_changes=('"next": "16.0.0"', '"next": "16.2.0"'),
    key="`dependencies.next`",
    deleted=(',\n    "dependencies": {\n        "next": "16.0.0"\n    }', ""),
    broken="{ not json",
)
KINDS = [PROCFILE, DOTENV, PYPROJECT, COMPOSE, WORKFLOW, PACKAGE_JSON]
ids = pytest.mark.parametrize("kind", KINDS, ids=[k.path for k in KINDS])


def merged(kind: Kind, ours: str, theirs: str) -> structured.Structured:
    result = structured.merge(
        kind.path, kind.base.encode(), ours.encode(), theirs.encode(), "pack 4"
    )
    assert result is not None
    return result


@ids
def test_both_sides_add_different_keys_merges_cleanly_in_the_pack_order(kind: Kind) -> None:
    result = merged(kind, kind.edit(kind.ours_adds), kind.edit(kind.theirs_adds))
    assert result.conflicts == ()
    assert result.content is not None and result.content.decode() == kind.both_added


@ids
def test_same_key_same_value_is_clean(kind: Kind) -> None:
    both = kind.edit(kind.theirs_adds)
    result = merged(kind, both, both)
    assert result.conflicts == () and result.content == both.encode()


@ids
def test_same_key_different_values_is_one_named_conflict(kind: Kind) -> None:
    ours = kind.edit(kind.ours_changes, kind.edit(kind.ours_adds))
    result = merged(kind, ours, kind.edit(kind.theirs_changes, kind.edit(kind.theirs_adds)))
    assert len(result.conflicts) == 1
    assert kind.key in result.conflicts[0] and "pack 4" in result.conflicts[0]
    assert result.conflicts[0].startswith(kind.path.rsplit("/", 1)[-1] + ": ")
    if kind is PACKAGE_JSON:
        assert result.content is None  # no comments in JSON: the pack's version goes beside
    else:  # the user's value stays, the pack's named beside it; the clean additions are in
        assert result.content is not None
        content = result.content.decode()
        assert kind.ours_changes[1] in content and CONFLICT_NOTE in content
        assert kind.theirs_changes[1] in content.split(CONFLICT_NOTE, 1)[1]
        assert kind.theirs_adds[1].strip().splitlines()[-1] in content


@ids
def test_one_side_deletes_the_other_changes_is_a_conflict(kind: Kind) -> None:
    result = merged(kind, kind.edit(kind.deleted), kind.edit(kind.theirs_changes))
    assert len(result.conflicts) == 1 and "removed" in result.conflicts[0]
    if kind is PACKAGE_JSON or kind.path.endswith(".toml"):
        if result.content is not None:
            assert kind.theirs_changes[1] not in result.content.decode()  # the deletion stays
        return
    # The deletion stays; a comment where the entry was names the pack's version of it.
    assert result.content is not None
    notes = [line for line in result.content.decode().splitlines() if CONFLICT_NOTE in line]
    assert len(notes) == 1 and "you removed this" in notes[0], notes
    assert kind.theirs_changes[1].split(": ")[-1] in notes[0]
    uncommented = [line for line in result.content.decode().splitlines() if "#" not in line]
    assert not any(kind.theirs_changes[1] in line for line in uncommented)


@ids
def test_unchanged_lines_keep_their_bytes(kind: Kind) -> None:
    """The user's own edit (a comment, an order) and everything nobody changed stay as they are."""
    ours = kind.edit(kind.ours_adds)
    result = merged(kind, ours, kind.base)
    assert result.content == ours.encode()


@ids
def test_a_side_that_does_not_parse_is_reported(kind: Kind) -> None:
    with pytest.raises(Unparsed) as raised:
        merged(kind, kind.broken, kind.edit(kind.theirs_adds))
    assert raised.value.reason.startswith("merged by lines: yours did not parse as ")


def test_a_path_with_no_merger_is_left_to_lines() -> None:
    assert structured.merge("backend/settings.py", b"a\n", b"b\n", b"c\n", "pack 4") is None
