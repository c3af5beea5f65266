"""P2 benchmark: `stackpacks upgrade` vs `copier update` on a project with 2,000 user files.

    .venv/bin/python benchmarks/upgrade_vs_copier.py [--user-files 2000] [--repeat 3]

Both tools perform the same change on the same project: pack 1 (the real template) to a
synthetic pack 2 layer that edits two shared files and adds three (real pack 2 does not exist
yet). For copier, the overlaid layers are committed to a git template repository, tagged v1 and
v2, every render-context value declared as an unasked question whose default is that pack's
value, so that `copier update` renders exactly what stackpacks renders. Both projects are clean
git work trees holding the same 2,000 user files. Prints both wall times (best of --repeat)
and the ratio; the target is a ratio <= 0.25 and an upgrade under 2 s.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from stackpacks import catalogue
from stackpacks.catalogue import Selection, Status
from stackpacks.catalogue.context import build
from stackpacks.project import create
from stackpacks.render import COPIER_CONFIG, layer_dirs, overlay, templates_root
from stackpacks.upgrade import Request, upgrade

GIT_ID = ["-c", "user.email=bench@example.com", "-c", "user.name=bench"]
PACK2_LAYER = {
    "backend/apps/jobs/__init__.py": "",
    "backend/apps/jobs/tasks.py": "def build_report(report_id: int) -> None:\n    ...\n",
    "backend/config/celery.py": "app = None  # synthetic pack 2\n",
}


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *GIT_ID, *args], cwd=cwd, check=True, capture_output=True)


def make_templates(root: Path) -> Path:
    """The real templates plus a synthetic pack-2 layer."""
    real = templates_root()
    shutil.copytree(real / "pack1_sync", root / "pack1_sync")
    shutil.copyfile(real / COPIER_CONFIG, root / COPIER_CONFIG)
    layer = root / "pack2_queues"
    for name, text in PACK2_LAYER.items():
        (layer / name).parent.mkdir(parents=True, exist_ok=True)
        (layer / name).write_text(text)
    readme = (root / "pack1_sync" / "README.md.jinja").read_text()
    (layer / "README.md.jinja").write_text(readme + "\n## Pack 2\n\nJobs run on a queue.\n")
    makefile = (root / "pack1_sync" / "Makefile.jinja").read_text()
    (layer / "Makefile.jinja").write_text(makefile + "\nworker:\n\tcelery -A config worker\n")
    return root


def mark_pack2_available() -> None:
    catalogue.PACKS = tuple(
        dataclasses.replace(p, status=Status.AVAILABLE) if p.number == 2 else p
        for p in catalogue.PACKS
    )


def add_user_files(project: Path, count: int) -> None:
    for n in range(count):
        path = project / "backend" / "apps" / f"own{n % 20:02d}" / f"module_{n:04d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"VALUE = {n}\n\n\ndef f{n}() -> int:\n    return VALUE\n")


def copier_template(templates: Path, into: Path) -> Path:
    """A git template repository: v1 = layers of pack 1, v2 = layers 1..2."""
    into.mkdir()
    git(into, "init", "-q")
    for pack in (1, 2):
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


def stackpacks_run(work: Path, templates: Path, user_files: int) -> float:
    project = create(Selection("bench", 1), work / "sp").path
    add_user_files(project, user_files)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated")
    start = time.perf_counter()
    report = upgrade(project, Request(2))
    elapsed = time.perf_counter() - start
    assert not report.plan.conflicts, report.plan.conflicts
    assert "## Pack 2" in (project / "README.md").read_text()
    return elapsed


def copier_run(work: Path, template: Path, user_files: int) -> float:
    import copier

    project = work / "cp"
    copier.run_copy(
        str(template),
        str(project),
        vcs_ref="v1",
        defaults=True,
        quiet=True,
        unsafe=True,
        skip_tasks=True,
    )
    add_user_files(project, user_files)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "generated")
    start = time.perf_counter()
    copier.run_update(
        str(project),
        vcs_ref="v2",
        defaults=True,
        overwrite=True,
        quiet=True,
        unsafe=True,
        skip_tasks=True,
    )
    elapsed = time.perf_counter() - start
    assert (project / "backend/apps/jobs/tasks.py").is_file()
    assert "## Pack 2" in (project / "README.md").read_text()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--user-files", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="stackpacks-bench-") as tmp:
        root = Path(tmp)
        templates = make_templates(root / "templates")
        os.environ["STACKPACKS_TEMPLATES"] = str(templates)
        mark_pack2_available()
        template_repo = copier_template(templates, root / "copier-template")
        ours, theirs = [], []
        for n in range(args.repeat):
            (root / f"run{n}").mkdir()
            ours.append(stackpacks_run(root / f"run{n}", templates, args.user_files))
            theirs.append(copier_run(root / f"run{n}", template_repo, args.user_files))
    best_ours, best_copier = min(ours), min(theirs)
    print(f"user files: {args.user_files}; best of {args.repeat} runs")
    print(f"stackpacks upgrade: {best_ours:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in ours)})")
    print(
        f"copier update:      {best_copier:.2f} s  (runs: {', '.join(f'{t:.2f}' for t in theirs)})"
    )
    print(f"ratio: {best_ours / best_copier:.3f}x (target <= 0.25x, upgrade < 2 s)")


if __name__ == "__main__":
    main()
