"""plan.plan is pure: three in-memory trees in, one rule per path out."""

from __future__ import annotations

from stackpacks.upgrade.plan import NOT_A_FILE, Action, Rule, plan, preview


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
