"""What counts as a conflict an upgrade left unresolved."""

from __future__ import annotations

from pathlib import Path

from stackpacks.unresolved import has_markers, unresolved

MARKED = b"a\n<<<<<<< yours\nmine\n||||||| pack 1 as generated\nold\n=======\nnew\n>>>>>>> pack 2\n"


def test_markers_are_the_upgrades_own_both_ends() -> None:
    assert has_markers(MARKED)
    assert has_markers(MARKED.replace(b"\n", b"\r\n"))
    assert not has_markers(b"<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> main\n")  # git's, not ours
    assert not has_markers(b'doc = """\n<<<<<<< yours\n"""\n')  # one end only


def test_unresolved_lists_marked_files_and_sidecars_of_generated_paths_only(
    tmp_path: Path,
) -> None:
    (tmp_path / "settings.py").write_bytes(MARKED)
    (tmp_path / "clean.py").write_text("x = 1\n")
    (tmp_path / "logo.png.stackpacks-new").write_bytes(b"\0new")
    (tmp_path / "mine.py").write_bytes(MARKED)  # the user's own file: never read
    (tmp_path / "mine.py.stackpacks-new").write_text("x")
    generated = ["settings.py", "clean.py", "logo.png", "gone.py"]
    assert unresolved(tmp_path, generated) == ("logo.png.stackpacks-new", "settings.py")
