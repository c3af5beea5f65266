"""Kill the upgrade (SIGKILL) at every checkpoint, then `--recover`: exactly the old or new tree.

The CLI runs in a subprocess (tests/upgrade/driver.py) that kills itself at the Nth checkpoint of
staging, commit and replay, through the test hook STACKPACKS_TEST_HOOK_KILL_AT.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from stackpacks.errors import ExitCode
from stackpacks.upgrade import recover
from stackpacks.upgrade.apply import KILL_HOOK_ENV
from tests.conftest import tree_snapshot
from tests.upgrade.support import driver_env

UPGRADE = ["upgrade", "--to", "3", "--allow-dirty", "--conflicts", "sidecar"]
DONE = ExitCode.CONFLICTS  # finished, with the binary conflict's sidecar left to resolve
# Staging (15 files, .env.example and .env among them), commit, replay (15 ops), done: every
# checkpoint; the last is one past them.
CHECKPOINTS = range(1, 34)


def cli(project: Path, templates: Path, args: list[str], kill_at: int = 0) -> int:
    env = driver_env(templates)
    env[KILL_HOOK_ENV] = str(kill_at)
    done = subprocess.run(
        [sys.executable, "-m", "tests.upgrade.driver", *args, "--path", str(project)],
        env=env,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return done.returncode


@pytest.fixture
def edited(project: Path) -> Path:
    """A project with a merge, a binary conflict (sidecar), a removal and an own file ahead."""
    with (project / "backend/settings.py").open("a") as settings:
        settings.write("MINE = 1\n")
    (project / "static/logo.png").write_bytes(b"\0my logo")
    (project / "backend/mine.py").write_text("own\n")
    return project


@pytest.fixture
def states(edited: Path, templates: Path) -> tuple[dict[str, str], dict[str, str]]:
    """The snapshots of the old tree and of the tree an uninterrupted upgrade leaves."""
    finished = edited.parent / "finished"
    shutil.copytree(edited, finished)
    assert cli(finished, templates, UPGRADE) == DONE
    return tree_snapshot(edited), tree_snapshot(finished)


@pytest.mark.parametrize("kill_at", CHECKPOINTS)
def test_kill_at_any_point_then_recover_gives_old_or_new_tree(
    edited: Path, templates: Path, states: tuple[dict[str, str], dict[str, str]], kill_at: int
) -> None:
    old, new = states
    code = cli(edited, templates, UPGRADE, kill_at)
    assert code == (DONE if kill_at == CHECKPOINTS[-1] else -signal.SIGKILL)
    recover(edited)
    assert tree_snapshot(edited) in (old, new)
    if code == DONE:
        assert tree_snapshot(edited) == new


@pytest.mark.parametrize("kill_at", [16, 20])
def test_recover_itself_can_be_killed_and_rerun(
    edited: Path, templates: Path, states: tuple[dict[str, str], dict[str, str]], kill_at: int
) -> None:
    _, new = states
    assert cli(edited, templates, UPGRADE, kill_at) == -signal.SIGKILL
    assert cli(edited, templates, ["upgrade", "--recover"], kill_at=3) == -signal.SIGKILL
    assert cli(edited, templates, ["upgrade", "--recover"]) == 0
    assert tree_snapshot(edited) == new


def test_pending_upgrade_blocks_a_new_one_until_recovered(
    edited: Path, templates: Path, states: tuple[dict[str, str], dict[str, str]]
) -> None:
    assert cli(edited, templates, UPGRADE, kill_at=18) == -signal.SIGKILL
    assert cli(edited, templates, UPGRADE) == 2


# An outside SIGKILL at random moments, between and inside the checkpoints above: a slow disk
# write, a half-written journal line. The delays are drawn from a fixed seed so a failure replays.
RANDOM_KILLS = 10


def test_sigkill_from_outside_at_random_moments_then_recover(
    edited: Path, templates: Path, states: tuple[dict[str, str], dict[str, str]]
) -> None:
    import random
    import time

    old, new = states
    started = time.perf_counter()
    shutil.copytree(edited, edited.parent / "timing")
    assert cli(edited.parent / "timing", templates, UPGRADE) == DONE
    full_run = time.perf_counter() - started
    draw = random.Random(20261123)
    for attempt in range(RANDOM_KILLS):
        trial = edited.parent / f"trial{attempt}"
        shutil.copytree(edited, trial)
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.upgrade.driver", *UPGRADE, "--path", str(trial)],
            env=driver_env(templates),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(draw.uniform(0.2, 1.0) * full_run)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        recover(trial)
        after = tree_snapshot(trial)
        assert after in (old, new), f"attempt {attempt}: a tree that is neither old nor new"
