from __future__ import annotations

from pathlib import Path

import pytest

from stackpacks import errors, state
from stackpacks.catalogue import Selection
from stackpacks.render import hash_tree


def make(tmp_path: Path) -> tuple[Path, state.ProjectState]:
    files = {"a.txt": b"alpha\n", "dir/b.bin": bytes(range(256))}
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(content)
    recorded = state.new_state(Selection("shop", 1), hash_tree(tmp_path))
    state.write(tmp_path, recorded, files)
    return tmp_path, recorded


def test_round_trip(tmp_path: Path) -> None:
    project, recorded = make(tmp_path)
    assert state.read(project) == recorded
    assert state.read_base(project, recorded)["dir/b.bin"] == bytes(range(256))


def test_state_bytes_are_deterministic(tmp_path: Path) -> None:
    first, _ = make(tmp_path / "one")
    second, _ = make(tmp_path / "two")
    for name in (state.STATE_FILE, state.BASE_FILE):
        assert (first / state.STATE_DIR / name).read_bytes() == (
            second / state.STATE_DIR / name
        ).read_bytes()


@pytest.mark.parametrize(
    "text", ["{not yaml", "format: 99\n", "[]\n", "format: 1\nanswers: {}\n", ""]
)
def test_corrupt_state_is_a_clear_error(tmp_path: Path, text: str) -> None:
    project, _ = make(tmp_path)
    (project / state.STATE_DIR / state.STATE_FILE).write_text(text)
    with pytest.raises(errors.CorruptState, match="corrupt"):
        state.read(project)


def test_base_that_disagrees_with_the_manifest_is_refused(tmp_path: Path) -> None:
    project, recorded = make(tmp_path)
    state.write(project, recorded, {"a.txt": b"tampered\n", "dir/b.bin": bytes(range(256))})
    with pytest.raises(errors.CorruptState, match="does not match"):
        state.read_base(project, recorded)


def test_find_project_walks_up(tmp_path: Path) -> None:
    project, _ = make(tmp_path)
    assert state.find_project(project / "dir") == project


def test_outside_a_project(tmp_path: Path) -> None:
    with pytest.raises(errors.NotAProject):
        state.find_project(tmp_path)
