"""Derived files both sides changed: constraints re-derived by pin, the lock re-derived by npm."""

from __future__ import annotations

import json

import pytest

from stackpacks.upgrade.derived import (
    CONSTRAINTS,
    LOCK,
    PACKAGE,
    NotDerived,
    derive_constraints,
    npm_lock,
    npm_reason,
    rederive,
    seed_lock,
)
from stackpacks.upgrade.plan import Action, Plan, Rule, plan

HEADER = "# Exact versions of everything the backend installs.\n# Resolved together.\n"
BASE = HEADER + "asgiref==3.9.0\ndjango==6.0.10\nsqlparse==0.5.3\n"
# The pack moved django and added redis.
THEIRS = HEADER + "asgiref==3.9.0\ndjango==6.0.11\nredis==8.1.0\nsqlparse==0.5.3\n"


def derive(ours: str, base: str = BASE, theirs: str = THEIRS) -> tuple[str, str]:
    content, why = derive_constraints(base.encode(), ours.encode(), theirs.encode())
    return content.decode(), why


def test_untouched_constraints_re_derive_to_the_packs_exactly() -> None:
    assert derive(BASE)[0] == THEIRS


def test_a_pin_you_added_is_kept_in_sorted_place_with_its_comment() -> None:
    ours = BASE + "# payments\nstripe==11.0.0\n"
    content, why = derive(ours)
    assert content == THEIRS.replace(
        "sqlparse==0.5.3\n", "sqlparse==0.5.3\n# payments\nstripe==11.0.0\n"
    )
    assert why == "re-derived: the pack's pins; kept yours: stripe ==11.0.0"


def test_a_pin_you_bumped_that_the_pack_left_alone_is_yours() -> None:
    content, why = derive(BASE.replace("sqlparse==0.5.3", "sqlparse==0.5.4"))
    assert "sqlparse==0.5.4\n" in content and "sqlparse==0.5.3" not in content
    assert "django==6.0.11\n" in content
    assert "kept yours: sqlparse ==0.5.4" in why


def test_a_pin_both_moved_is_the_packs_and_the_report_names_yours() -> None:
    content, why = derive(BASE.replace("django==6.0.10", "django==6.0.12"))
    assert content == THEIRS
    assert why == (
        "re-derived: the pack's pins; "
        "the pack's won over yours: django (yours ==6.0.12, the pack's ==6.0.11)"
    )


def test_a_pin_you_removed_stays_removed_unless_the_pack_moved_it() -> None:
    content, why = derive(BASE.replace("asgiref==3.9.0\n", ""))
    assert "asgiref" not in content
    assert "kept yours: asgiref removed" in why
    content, why = derive(BASE.replace("django==6.0.10\n", ""))
    assert "django==6.0.11\n" in content
    assert "django (yours removed, the pack's ==6.0.11)" in why


def test_a_pin_you_moved_as_the_pack_did_is_not_reported() -> None:
    assert derive(BASE.replace("django==6.0.10", "django==6.0.11")) == (
        THEIRS,
        "re-derived: the pack's pins",
    )


def test_names_compare_as_pep_503_normalizes_them() -> None:
    content, why = derive(BASE.replace("sqlparse==0.5.3", "SQLParse==0.5.4"))
    assert "SQLParse==0.5.4\n" in content and "sqlparse==" not in content
    assert "kept yours: sqlparse ==0.5.4" in why


def test_a_line_that_is_not_an_exact_pin_is_not_derived() -> None:
    with pytest.raises(
        NotDerived, match=r"yours has a line that is not an exact pin: 'stripe>=11'"
    ):
        derive(BASE + "stripe>=11\n")


def constraints_plan(ours: str) -> Plan:
    return plan(
        {CONSTRAINTS: BASE.encode()}, {CONSTRAINTS: ours.encode()}, {CONSTRAINTS: THEIRS.encode()}
    )


def test_rederive_turns_a_line_merge_into_a_derived_merge() -> None:
    # Both changed the lines around django: a line merge conflicts, the pins do not.
    ours = BASE.replace("django==6.0.10\n", "django==6.0.10\ndjango-filter==26.2\n")
    before = constraints_plan(ours)
    assert before.actions[0].rule is Rule.BOTH_CHANGED
    after, notes = rederive(before, {CONSTRAINTS: BASE.encode()}, {}, npm_lock)
    (action,) = after.actions
    assert action.action is Action.MERGE
    assert (
        action.merged
        == THEIRS.replace("django==6.0.11\n", "django==6.0.11\ndjango-filter==26.2\n").encode()
    )
    assert [(n.path, n.derived) for n in notes] == [(CONSTRAINTS, True)]
    assert "kept yours: django-filter ==26.2" in notes[0].why


def test_rederive_leaves_one_sided_changes_to_the_plan() -> None:
    untouched = constraints_plan(BASE)
    assert rederive(untouched, {CONSTRAINTS: BASE.encode()}, {}, npm_lock) == (untouched, ())


def test_rederive_reports_a_constraints_file_it_cannot_read_and_keeps_the_line_merge() -> None:
    ours = BASE.replace("django==6.0.10", "django>=6.0")
    before = constraints_plan(ours)
    after, (note,) = rederive(before, {CONSTRAINTS: BASE.encode()}, {}, npm_lock)
    assert after == before
    assert not note.derived
    assert note.why == "merged by lines: yours has a line that is not an exact pin: 'django>=6.0'"


# A tiny frontend whose packages have no dependencies of their own.
def package(deps: dict[str, str]) -> bytes:
    doc = {"name": "demo", "version": "0.1.0", "private": True, "dependencies": deps}
    return (json.dumps(doc, indent=2) + "\n").encode()


INTEGRITY = {
    "server-only": (
        "0.0.1",
        "sha512-qepMx2JxAa5jjfzxG79yPPq+8BuFToHd1hm7kI+Z4zAq1ftQiP7HcxMhDDItrbtwVeLg/cY2JnKnrcFkmiswNA==",
    ),
    "js-tokens": (
        "4.0.0",
        "sha512-RdJUflcE3cUzKiMqQgsCu06FPu9UdIJO0beYbPhHN4k6apgJtifcoCtT9bcxOpYBtpD2kCM6Sbzg4CausW/PKQ==",
    ),
}


def lock(deps: dict[str, str]) -> bytes:
    packages: dict[str, object] = {"": {"name": "demo", "version": "0.1.0", "dependencies": deps}}
    for name in deps:
        version, integrity = INTEGRITY[name]
        packages[f"node_modules/{name}"] = {
            "version": version,
            "integrity": integrity,
            "license": "MIT",
        }
    doc = {"name": "demo", "version": "0.1.0", "lockfileVersion": 3, "requires": True}
    return (json.dumps({**doc, "packages": packages}, indent=2) + "\n").encode()


@pytest.fixture
def no_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """npm with a registry nobody answers: what it needs must come from the locks."""
    monkeypatch.setenv("npm_config_registry", "http://127.0.0.1:9/")


def test_seed_lock_holds_both_locks_packages_the_packs_winning() -> None:
    seed = json.loads(seed_lock(lock({"js-tokens": "^4.0.0"}), lock({"server-only": "0.0.1"})))
    assert set(seed["packages"]) == {"", "node_modules/js-tokens", "node_modules/server-only"}
    assert seed["packages"][""]["dependencies"] == {"server-only": "0.0.1"}


def test_seed_lock_of_something_that_is_not_a_lock_is_not_derived() -> None:
    with pytest.raises(NotDerived, match="not npm's lockfile"):
        seed_lock(b"<<<<<<< yours\n", lock({}))


def test_npm_re_derives_the_lock_from_both_locks_without_the_registry(no_registry: None) -> None:
    """You installed js-tokens, the pack added server-only: npm finds both in the seed."""
    both = {"js-tokens": "^4.0.0", "server-only": "0.0.1"}
    seed = seed_lock(lock({"js-tokens": "^4.0.0"}), lock({"server-only": "0.0.1"}))
    assert json.loads(npm_lock(package(both), seed)) == json.loads(lock(both))


def test_npm_prunes_what_the_merged_package_json_no_longer_needs(no_registry: None) -> None:
    seed = seed_lock(lock({"js-tokens": "^4.0.0"}), lock({"server-only": "0.0.1"}))
    derived = json.loads(npm_lock(package({"server-only": "0.0.1"}), seed))
    assert "node_modules/js-tokens" not in derived["packages"]


def test_npm_failing_is_one_line_naming_why(no_registry: None) -> None:
    seed = seed_lock(lock({}), lock({}))
    with pytest.raises(NotDerived) as failed:
        npm_lock(package({"left-pad": "^1.3.0"}), seed)
    assert str(failed.value).startswith("FetchError: request to http://127.0.0.1:9/left-pad failed")
    assert "\n" not in str(failed.value)


def test_npm_reason_skips_the_code_lines() -> None:
    stderr = "npm error code E404\nnpm error 404 Not Found - GET https://r/x - Not found\n"
    assert npm_reason(stderr) == "404 Not Found - GET https://r/x - Not found"


def test_rederive_runs_npm_against_the_package_json_the_upgrade_leaves(no_registry: None) -> None:
    # package.json merges by lines here: the pack changes a line away from yours.
    base = {PACKAGE: package({}), LOCK: lock({})}
    mine = package({"js-tokens": "^4.0.0"})
    packs = package({}).replace(b'"0.1.0"', b'"0.2.0"')  # a line away from yours
    theirs = {PACKAGE: packs, LOCK: lock({"server-only": "0.0.1"})}
    before = plan(base, {PACKAGE: mine, LOCK: lock({"js-tokens": "^4.0.0"})}, theirs)
    by_path = {a.path: a for a in before.actions}
    assert by_path[PACKAGE].action is Action.MERGE
    assert by_path[LOCK].rule is Rule.BOTH_CHANGED
    after, (note,) = rederive(before, base, theirs, npm_lock)
    derived = {a.path: a for a in after.actions}[LOCK]
    assert derived.action is Action.MERGE and derived.merged is not None
    assert json.loads(derived.merged)["packages"][""]["dependencies"] == {"js-tokens": "^4.0.0"}
    assert note.derived
    assert note.why == f"re-derived by npm from the {PACKAGE} this upgrade leaves"


def test_rederive_does_not_derive_the_lock_of_a_conflicted_package_json() -> None:
    base = {PACKAGE: package({}), LOCK: lock({})}
    ours = {PACKAGE: package({"js-tokens": "^4.0.0"}), LOCK: lock({"js-tokens": "^4.0.0"})}
    # The same dependency at another version: a conflict even merged key by key.
    theirs = {PACKAGE: package({"js-tokens": "^3.0.0"}), LOCK: lock({"js-tokens": "^3.0.0"})}
    before = plan(base, ours, theirs)
    assert {a.path: a for a in before.actions}[PACKAGE].action is Action.CONFLICT
    after, (note,) = rederive(before, base, theirs, npm_lock)
    assert after == before
    assert note.why == f"merged by lines: {PACKAGE} conflicts; re-run npm install"


def test_npm_failing_leaves_the_line_merge_and_says_why(no_registry: None) -> None:
    base = {PACKAGE: package({}), LOCK: lock({})}
    mine = package({"left-pad": "^1.3.0"})
    packs = package({}).replace(b'"0.1.0"', b'"0.2.0"')  # a line away from yours
    theirs = {PACKAGE: packs, LOCK: lock({"server-only": "0.0.1"})}
    before = plan(base, {PACKAGE: mine, LOCK: lock({"js-tokens": "^4.0.0"})}, theirs)
    after, (note,) = rederive(before, base, theirs, npm_lock)
    assert {a.path: a for a in after.actions}[LOCK].action is Action.CONFLICT
    assert not note.derived
    assert note.why.startswith("merged by lines: npm could not re-derive it: FetchError: ")
