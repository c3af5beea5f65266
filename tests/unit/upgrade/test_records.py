"""records are pure: catalogue + existing ADR names + saved doctor report -> files."""

from __future__ import annotations

from stackpacks.catalogue import Selection
from stackpacks.upgrade.records import evidence, for_new, records


def test_one_adr_and_one_runbook_per_pack_above_the_old_one() -> None:
    files = records(Selection("shop", 1), Selection("shop", 3), [], None)
    assert sorted(files) == [
        "docs/adr/0001-adopt-pack-2.md",
        "docs/adr/0002-adopt-pack-3.md",
        "docs/runbooks/pack-2-queues.md",
        "docs/runbooks/pack-3-async.md",
    ]


def test_a_pack_that_already_has_its_adr_gets_none() -> None:
    files = records(Selection("shop", 1), Selection("shop", 2), ["0003-adopt-pack-2.md"], None)
    assert files == {}


def test_new_at_pack_1_writes_no_records() -> None:
    assert for_new(Selection("shop", 1)) == {}


def test_records_are_deterministic() -> None:
    one = records(Selection("shop", 1), Selection("shop", 4), [], '{"b": 1, "a": 2}')
    two = records(Selection("shop", 1), Selection("shop", 4), [], '{"a": 2, "b": 1}')
    assert one == two


def test_unreadable_doctor_report_is_said_so() -> None:
    assert "not valid JSON" in evidence("{nope")
