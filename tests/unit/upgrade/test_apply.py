"""apply stages, commits and replays; recover finishes a committed journal or drops staging."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from stackpacks.catalogue import Move
from stackpacks.errors import ExitCode, UpgradeInterrupted
from stackpacks.upgrade.apply import (
    COMMITTED,
    STAGING,
    ConflictMode,
    Op,
    Recovered,
    apply,
    operations,
    pending,
    recover,
    replay,
    stage,
)
from stackpacks.upgrade.plan import Plan, plan


class Killed(Exception):
    pass


def kill_at(target: int, raised: type[BaseException] = Killed) -> Callable[[], None]:
    """A checkpoint that raises at its `target`th call: a crash, or Ctrl-C (KeyboardInterrupt)."""
    seen = [0]

    def hit() -> None:
        seen[0] += 1
        if seen[0] == target:
            raise raised

    return hit


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / ".stackpacks").mkdir()
    (tmp_path / "old.txt").write_text("old\n")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir/gone.txt").write_text("gone\n")
    return tmp_path


OPS = [Op("new/deep.txt", b"new\n", 0o755), Op("old.txt", b"changed\n"), Op("dir/gone.txt", None)]


def test_apply_writes_deletes_and_prunes_emptied_folders(project: Path) -> None:
    apply(project, OPS, lambda: None)
    assert (project / "new/deep.txt").read_text() == "new\n"
    assert (project / "new/deep.txt").stat().st_mode & 0o777 == 0o755
    assert (project / "old.txt").read_text() == "changed\n"
    assert not (project / "dir").exists()
    assert pending(project) == []


def test_a_kill_while_staging_is_rolled_back(project: Path) -> None:
    with pytest.raises(Killed):
        apply(project, OPS, kill_at(2))
    assert recover(project, lambda: None) is Recovered.ROLLED_BACK
    assert (project / "old.txt").read_text() == "old\n" and pending(project) == []


def test_a_kill_while_replaying_is_completed(project: Path) -> None:
    with pytest.raises(Killed):
        apply(project, OPS, kill_at(5))
    assert (project / ".stackpacks" / COMMITTED).is_dir()
    assert recover(project, lambda: None) is Recovered.COMPLETED
    assert (project / "old.txt").read_text() == "changed\n" and not (project / "dir").exists()


def test_ctrl_c_while_staging_says_nothing_changed_and_leaves_nothing(project: Path) -> None:
    with pytest.raises(UpgradeInterrupted, match="before any file") as caught:
        apply(project, OPS, kill_at(2, KeyboardInterrupt))
    assert caught.value.exit_code is ExitCode.INTERRUPTED
    assert (project / "old.txt").read_text() == "old\n" and pending(project) == []


def test_ctrl_c_after_the_commit_says_to_recover(project: Path) -> None:
    with pytest.raises(UpgradeInterrupted, match="upgrade --recover"):
        apply(project, OPS, kill_at(5, KeyboardInterrupt))
    assert recover(project, lambda: None) is Recovered.COMPLETED
    assert (project / "old.txt").read_text() == "changed\n"


def test_ctrl_c_after_the_last_write_says_every_file_is_new(project: Path) -> None:
    with pytest.raises(UpgradeInterrupted, match="every file is new"):
        apply(project, OPS, kill_at(len(OPS) + 1 + len(OPS) + 1, KeyboardInterrupt))
    assert (project / "old.txt").read_text() == "changed\n"
    assert recover(project, lambda: None) is Recovered.COMPLETED and pending(project) == []


def test_replay_twice_is_the_same_as_once(project: Path) -> None:
    stage(project, OPS, lambda: None)
    (project / ".stackpacks" / STAGING).rename(project / ".stackpacks" / COMMITTED)
    with pytest.raises(Killed):
        replay(project, kill_at(3))
    replay(project, lambda: None)
    assert (project / "new/deep.txt").read_text() == "new\n"
    assert (project / "old.txt").read_text() == "changed\n"


def test_nothing_pending_recovers_nothing(project: Path) -> None:
    assert recover(project, lambda: None) is None


def test_refuse_mode_writes_nothing_for_a_conflict() -> None:
    the_plan = plan({"f": b"a\n"}, {"f": b"mine\n"}, {"f": b"theirs\n"})
    assert operations(the_plan, ConflictMode.REFUSE, {}) == []


def test_sidecar_mode_writes_the_new_version_beside() -> None:
    the_plan = plan({"f": b"a\n"}, {"f": b"mine\n"}, {"f": b"theirs\n"})
    assert operations(the_plan, ConflictMode.SIDECAR, {"f": 0o644}) == [
        Op("f.stackpacks-new", b"theirs\n", 0o644)
    ]


MOVE = (Move(old="old/", new="new/"),)


def moving(ours: bytes, theirs: bytes) -> Plan:
    return plan({"old/f": b"a\n"}, {"old/f": ours, "new/f": None}, {"new/f": theirs}, moves=MOVE)


def test_a_move_writes_the_new_path_and_deletes_the_old() -> None:
    ops = operations(moving(b"mine\n", b"a\n"), ConflictMode.REFUSE, {"new/f": 0o755})
    assert ops == [Op("new/f", b"mine\n", 0o755), Op("old/f", None)]


def test_a_conflicting_move_writes_nothing_when_refused() -> None:
    assert operations(moving(b"mine\n", b"theirs\n"), ConflictMode.REFUSE, {}) == []


def test_a_conflicting_move_lands_with_markers_at_the_new_path() -> None:
    (op, gone) = operations(moving(b"mine\n", b"theirs\n"), ConflictMode.MARKERS, {})
    assert op.path == "new/f" and op.content is not None and b"<<<<<<< yours" in op.content
    assert gone == Op("old/f", None)


def test_a_conflicting_move_in_sidecar_mode_moves_the_user_version_as_it_is() -> None:
    assert operations(moving(b"mine\n", b"theirs\n"), ConflictMode.SIDECAR, {}) == [
        Op("new/f", b"mine\n"),
        Op("new/f.stackpacks-new", b"theirs\n"),
        Op("old/f", None),
    ]


def test_a_move_onto_a_path_the_user_has_writes_nothing_in_any_mode() -> None:
    taken = plan(
        {"old/f": b"a\n"}, {"old/f": b"a\n", "new/f": b"own\n"}, {"new/f": b"a\n"}, moves=MOVE
    )
    for mode in ConflictMode:
        assert operations(taken, mode, {}) == []
