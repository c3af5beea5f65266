"""plan.plan is pure: three in-memory trees in, one rule per path out."""

from __future__ import annotations

from stackpacks.catalogue import Move
from stackpacks.upgrade.plan import (
    NOT_A_FILE,
    Action,
    FileAction,
    Rule,
    line_counts,
    moved_paths,
    plan,
    preview,
)


def rules(
    base: dict[str, bytes], ours: dict[str, bytes | None], theirs: dict[str, bytes]
) -> dict[str, Rule]:
    return {a.path: a.rule for a in plan(base, ours, theirs).actions}


def test_unchanged_paths_are_left_out_of_the_plan() -> None:
    assert rules({"a": b"1"}, {"a": b"1"}, {"a": b"1"}) == {}


def test_every_path_of_base_and_theirs_is_decided() -> None:
    found = rules(
        {"gone": b"1", "kept": b"k"},
        {"gone": b"1", "kept": b"k", "new": None},
        {"kept": b"k", "new": b"n"},
    )
    assert found == {"gone": Rule.PACK_REMOVES, "new": Rule.PACK_ADDS}


def test_not_a_file_wins_over_every_other_rule() -> None:
    assert rules({"a": b"1"}, {"a": NOT_A_FILE}, {"a": b"1"}) == {"a": Rule.NOT_A_FILE}


def test_clean_merge_carries_the_merged_bytes() -> None:
    base = b"".join(b"%d\n" % n for n in range(10))
    ours, theirs = base + b"mine\n", b"zero\n" + base[2:]
    (action,) = plan({"f": base}, {"f": ours}, {"f": theirs}).actions
    assert action.action is Action.MERGE
    assert action.merged == b"zero\n" + base[2:] + b"mine\n"


def test_preview_is_a_unified_diff_from_disk_to_result() -> None:
    (action,) = plan({"f": b"a\n"}, {"f": b"a\n"}, {"f": b"b\n"}).actions
    assert preview(action) == "--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n+b\n"


def test_preview_of_an_added_file_starts_from_dev_null() -> None:
    (action,) = plan({}, {"f": None}, {"f": b"b\n"}).actions
    assert preview(action).startswith("--- /dev/null\n+++ b/f\n")


# A file the tool moved: base and ours know it by its old name, theirs by the new one.
MOVES = (Move(old="apps/signals/", new="apps/metrics/"),)
OLD, NEW = "apps/signals/x.py", "apps/metrics/x.py"
LINES = b"".join(b"%d\n" % n for n in range(10))


def moved(at_old: bytes | None, at_new: bytes | None = None, theirs: bytes = LINES) -> FileAction:
    (action,) = plan({OLD: LINES}, {OLD: at_old, NEW: at_new}, {NEW: theirs}, moves=MOVES).actions
    assert (action.path, action.moved_from) == (NEW, OLD)
    return action


def test_an_unedited_file_the_tool_moved_is_one_move() -> None:
    action = moved(LINES)
    assert (action.rule, action.action) == (Rule.MOVED, Action.MOVE)


def test_an_edited_file_the_tool_moved_carries_the_edit_to_the_new_path() -> None:
    action = moved(LINES + b"mine\n")
    assert (action.rule, action.action) == (Rule.MOVED_EDITED, Action.MOVE)
    assert action.merged == LINES + b"mine\n"


def test_a_moved_file_both_sides_changed_merges_base_old_ours_old_theirs_new() -> None:
    action = moved(LINES + b"mine\n", theirs=b"zero\n" + LINES[2:])
    assert action.rule is Rule.MOVED_EDITED
    assert action.merged == b"zero\n" + LINES[2:] + b"mine\n"


def test_a_moved_file_with_the_same_lines_changed_is_a_conflict_with_markers() -> None:
    action = moved(b"mine\n" + LINES[2:], theirs=b"zero\n" + LINES[2:])
    assert (action.rule, action.action) == (Rule.MOVED_BOTH_CHANGED, Action.CONFLICT)
    assert action.merged is not None and b"<<<<<<< yours\nmine\n" in action.merged


def test_a_binary_moved_file_changed_on_both_sides_is_never_merged() -> None:
    action = moved(LINES + b"\0mine", theirs=LINES + b"\0theirs")
    assert action.rule is Rule.MOVED_BOTH_CHANGED and action.merged is None


def test_a_moved_file_the_user_deleted_stays_deleted() -> None:
    action = moved(None, theirs=b"zero\n" + LINES[1:])
    assert (action.rule, action.action) == (Rule.MOVED_USER_DELETED, Action.KEEP)


def test_a_moved_file_whose_new_path_the_user_took_is_a_conflict() -> None:
    for at_old in (LINES, None):
        action = moved(at_old, at_new=b"my own\n")
        assert (action.rule, action.action) == (Rule.MOVED_TARGET_TAKEN, Action.CONFLICT)


def test_a_move_the_user_already_made_needs_nothing() -> None:
    assert moved(None, at_new=LINES).rule is Rule.MOVED_ALREADY


def test_a_folder_at_either_path_of_a_move_is_not_a_file() -> None:
    assert moved(NOT_A_FILE).rule is Rule.NOT_A_FILE
    assert moved(LINES, at_new=NOT_A_FILE).rule is Rule.NOT_A_FILE


def test_moves_follow_one_another_in_order() -> None:
    chain = (Move(old="a/", new="b/"), Move(old="b/", new="c/"))
    assert moved_paths({"a/x": b"1"}, {"c/x": b"1"}, chain) == {"a/x": "c/x"}


def test_a_move_pairs_only_an_old_path_theirs_dropped_with_a_new_one_base_lacks() -> None:
    assert moved_paths({OLD: b"1", NEW: b"1"}, {NEW: b"1"}, MOVES) == {}
    assert moved_paths({OLD: b"1"}, {OLD: b"1", NEW: b"1"}, MOVES) == {}
    assert moved_paths({OLD: b"1"}, {"apps/metrics/y.py": b"1"}, MOVES) == {}


def test_a_file_move_takes_that_file_only() -> None:
    move = Move(old="tests/test_signals.py", new="tests/test_metrics.py")
    assert move.of("tests/test_signals.py") == "tests/test_metrics.py"
    assert move.of("tests/test_signals.pyc") is None
    assert Move(old="a/", new="b/").of("a/deep/x.py") == "b/deep/x.py"


def test_preview_of_a_move_names_both_paths_then_diffs_old_to_new() -> None:
    renamed = f"rename from {OLD}\nrename to {NEW}\n"
    assert preview(moved(LINES + b"mine\n")) == renamed
    changed = preview(moved(LINES + b"mine\n", theirs=b"zero\n" + LINES[1:]))
    assert changed.startswith(f"{renamed}--- a/{OLD}\n+++ b/{NEW}\n")


def test_line_counts_are_the_lines_added_and_removed_as_git_diff_stat_counts_them() -> None:
    changed = FileAction("a.txt", Rule.TAKE_THEIRS, b"one\ntwo\nthree\n", b"one\n2\n3\nfour\n")
    assert line_counts(changed) == (3, 2)
    assert line_counts(FileAction("n.txt", Rule.PACK_ADDS, None, b"x\n--- y\n")) == (2, 0)
    assert line_counts(FileAction("d.txt", Rule.PACK_REMOVES, b"x\n+y\n", None)) == (0, 2)
    assert line_counts(FileAction("b.png", Rule.TAKE_THEIRS, b"\0a", b"\0b")) is None
