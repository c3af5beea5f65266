"""P2 benchmark: `stackpacks upgrade` vs `copier update`, pack 1 -> 4 of a project with 2,000 user
files and the week-one edits (tests/upgrade/week_one.py: a Python dependency, a Procfile process,
a compose service, an .env.example variable).

    .venv/bin/python benchmarks/upgrade_vs_copier.py [--user-files 2000] [--runs 5]

Both tools make the same move on the same project, from the real templates. For copier, the
overlaid layers of pack 1 and of packs 1..4 are committed to a git template repository as v1 and
v4, every render-context value declared as an unasked question whose default is that pack's
value, so that `copier update` renders exactly what stackpacks renders. Each run starts from a
fresh pack-1 project (a clean git work tree holding the 2,000 user files and the edits); only the
upgrade itself is timed, in this process, both libraries already imported. Conflicts are written
(stackpacks `--conflicts markers`, copier's inline markers), so both do the whole job; the count of
each is printed. Prints the median and the spread (min-max) of each, and the ratio of the medians;
the target is a ratio <= 0.25 and an upgrade under 2 s.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.upgrade import week_one  # noqa: E402  (the repository root must be importable first)

from stackpacks import state  # noqa: E402
from stackpacks.catalogue import Selection  # noqa: E402
from stackpacks.catalogue.context import build  # noqa: E402
from stackpacks.project import create  # noqa: E402
from stackpacks.render import COPIER_CONFIG, layer_dirs, overlay, templates_root  # noqa: E402
from stackpacks.unresolved import SIDECAR_SUFFIX  # noqa: E402
from stackpacks.upgrade import Request, upgrade  # noqa: E402
from stackpacks.upgrade.apply import ConflictMode  # noqa: E402

GIT_ID = ["-c", "user.email=bench@example.com", "-c", "user.name=bench"]
FROM, TO = 1, 4
# A file only pack 4 has: both tools really made the move.
PACK4_FILE = "backend/config/routing.py"


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *GIT_ID, *args], cwd=cwd, check=True, capture_output=True)


def add_user_files(project: Path, count: int) -> None:
    for n in range(count):
        path = project / "backend" / "apps" / f"own{n % 20:02d}" / f"module_{n:04d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"VALUE = {n}\n\n\ndef f{n}() -> int:\n    return VALUE\n")


def commit(project: Path) -> None:
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated, then a week of work")


def copier_template(into: Path) -> Path:
    """A git template repository: v1 = the layers of pack 1, v4 = those of packs 1..4."""
    templates = templates_root()
    into.mkdir()
    git(into, "init", "-q")
    for pack in (FROM, TO):
        for child in into.iterdir():
            if child.name != ".git":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        selection = Selection("bench", pack)
        overlay(layer_dirs(selection, templates), templates / COPIER_CONFIG, into)
        questions = {
            key: {"type": "yaml", "when": False, "default": json.dumps(value)}
            for key, value in build(selection).items()
        }
        with (into / COPIER_CONFIG).open("a") as config:
            config.write("\n" + "".join(f"{k}: {json.dumps(v)}\n" for k, v in questions.items()))
        (into / "{{ _copier_conf.answers_file }}.jinja").write_text(
            "{{ _copier_answers|to_nice_yaml -}}\n"
        )
        git(into, "add", "-A")
        git(into, "commit", "-qm", f"pack {pack}")
        git(into, "tag", f"v{pack}")
    return into


def conflicted(project: Path, paths: list[str]) -> int:
    """Files holding conflict markers or with a `.rej` / sidecar beside them."""
    found = 0
    for name in paths:
        path = project / name
        has_markers = path.is_file() and b"<<<<<<< " in path.read_bytes()
        beside = (project / (name + ".rej")).exists() or (
            project / (name + SIDECAR_SUFFIX)
        ).exists()
        found += has_markers or beside
    return found


def stackpacks_run(work: Path, user_files: int) -> tuple[float, int]:
    project = create(Selection("bench", FROM), work / "sp").path
    add_user_files(project, user_files)
    week_one.apply(project)
    commit(project)
    start = time.perf_counter()
    report = upgrade(project, Request(TO, conflicts=ConflictMode.MARKERS.value))
    elapsed = time.perf_counter() - start
    assert state.read(project).selection.pack == TO
    assert (project / PACK4_FILE).is_file()
    # An edit inside conflict markers is reported, not lost.
    reported = {a.path for a in report.plan.conflicts}
    lost = [what for what, name in week_one.missing(project).items() if name not in reported]
    assert not lost, f"stackpacks lost week-one edits: {lost}"
    return elapsed, len(report.plan.conflicts)


def copier_run(work: Path, template: Path, user_files: int) -> tuple[float, int]:
    import copier

    project = work / "cp"
    # The layers' copier.yml replaces copier's default `_exclude`, which skips `.git`: stackpacks
    # renders from plain folders, this template is a git repository.
    copier.run_copy(
        str(template),
        str(project),
        vcs_ref=f"v{FROM}",
        defaults=True,
        quiet=True,
        unsafe=True,
        exclude=[".git"],
    )
    add_user_files(project, user_files)
    week_one.apply(project)
    commit(project)
    start = time.perf_counter()
    copier.run_update(
        str(project),
        vcs_ref=f"v{TO}",
        defaults=True,
        overwrite=True,
        quiet=True,
        unsafe=True,
        skip_tasks=True,
        conflict="inline",
        exclude=[".git"],
    )
    elapsed = time.perf_counter() - start
    assert (project / PACK4_FILE).is_file()
    manifests = ["backend/pyproject.toml", "Procfile", "compose.yaml", ".env.example"]
    return elapsed, conflicted(project, manifests)


def spread(times: list[float]) -> str:
    return f"median {statistics.median(times):.2f} s (min {min(times):.2f} - max {max(times):.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user-files", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import copier  # noqa: F401  (imported before any timing, like stackpacks)

    ours: list[float] = []
    theirs: list[float] = []
    with tempfile.TemporaryDirectory(prefix="stackpacks-bench-") as tmp:
        root = Path(tmp)
        template = copier_template(root / "copier-template")
        for n in range(args.runs):
            (root / f"run{n}").mkdir()
            took, ours_conflicts = stackpacks_run(root / f"run{n}", args.user_files)
            ours.append(took)
            took, copier_conflicts = copier_run(root / f"run{n}", template, args.user_files)
            theirs.append(took)
            shutil.rmtree(root / f"run{n}")
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(
        f"pack {FROM} -> {TO}, {args.user_files} user files + the week-one edits; {args.runs} runs"
    )
    print(f"stackpacks upgrade: {spread(ours)}; {ours_conflicts} conflict(s)")
    print(f"copier update:      {spread(theirs)}; {copier_conflicts} manifest(s) with conflicts")
    print(f"ratio of medians: {ratio:.3f}x (target <= 0.25x, upgrade < 2 s)")


if __name__ == "__main__":
    main()
