"""merge3 wraps `git merge-file --diff3`; is_binary follows git's NUL heuristic."""

from __future__ import annotations

from stackpacks.upgrade.merge import is_binary, merge3

LABELS = ("yours", "base", "theirs")


def test_separate_changes_merge_cleanly() -> None:
    result = merge3(b"a\nb\nc\nd\n", b"A\nb\nc\nd\n", b"a\nb\nc\nD\n", LABELS)
    assert result == type(result)(b"A\nb\nc\nD\n", 0)


def test_overlapping_changes_give_diff3_markers() -> None:
    result = merge3(b"a\n", b"mine\n", b"theirs\n", LABELS)
    assert result.conflicts == 1
    assert (
        result.content == b"<<<<<<< yours\nmine\n||||||| base\na\n=======\ntheirs\n>>>>>>> theirs\n"
    )


def test_a_nul_byte_makes_content_binary() -> None:
    assert is_binary(b"text", b"\x89PNG\0")
    assert not is_binary(b"text", None, "é".encode())
