"""records are pure: catalogue + existing ADR names + saved doctor report -> files."""

from __future__ import annotations

import re

from stackpacks import catalogue
from stackpacks.catalogue import Selection
from stackpacks.upgrade.records import evidence, for_new, records


def names(files: dict[str, bytes]) -> list[str]:
    return [path.rsplit("/", 1)[-1] for path in files]


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


def test_new_writes_one_adr_per_pack_the_project_contains() -> None:
    assert sorted(for_new(Selection("shop", 3))) == [
        "docs/adr/0001-pack-1-sync.md",
        "docs/adr/0002-pack-2-queues.md",
        "docs/adr/0003-pack-3-async.md",
    ]


def test_new_at_pack_1_records_pack_1() -> None:
    assert list(for_new(Selection("shop", 1))) == ["docs/adr/0001-pack-1-sync.md"]


def test_new_writes_no_runbook() -> None:
    assert all(path.startswith("docs/adr/") for path in for_new(Selection("shop", 4)))


def test_new_adrs_are_decisions_accepted_at_creation() -> None:
    for text in for_new(Selection("shop", 2)).values():
        assert "Status: accepted. Decided when the project was created with " in text.decode()
        assert "proposed" not in text.decode()


def test_new_adr_names_the_command_that_created_the_project() -> None:
    selection = Selection("shop", 4, ("daphne",), "db")
    text = for_new(selection)["docs/adr/0002-pack-2-queues.md"].decode()
    assert "`stackpacks new shop --pack 4 --queue db --with daphne`" in text


def test_new_adr_has_the_pack_context_decision_and_consequences() -> None:
    text = for_new(Selection("shop", 1))["docs/adr/0001-pack-1-sync.md"].decode()
    pack = catalogue.get_pack(1)
    assert pack.trigger in text and pack.adds in text and pack.costs in text
    assert "- postgres" in text and "- web: " in text and "- DJANGO_SECRET_KEY" in text


def test_new_adr_lists_an_option_under_its_own_pack() -> None:
    files = for_new(Selection("shop", 4, ("daphne",)))
    assert "--with daphne`: " in files["docs/adr/0004-pack-4-ws.md"].decode()
    assert "--with daphne`: " not in files["docs/adr/0003-pack-3-async.md"].decode()


def test_new_adrs_carry_no_date() -> None:
    for text in for_new(Selection("shop", 4)).values():
        assert not re.search(rb"\d{4}-\d{2}-\d{2}", text)


def test_upgrade_numbers_its_adrs_after_those_of_new() -> None:
    made = names(for_new(Selection("shop", 2)))
    files = records(Selection("shop", 2), Selection("shop", 3), made, None)
    assert sorted(files) == ["docs/adr/0003-adopt-pack-3.md", "docs/runbooks/pack-3-async.md"]


def test_upgrade_skips_a_pack_recorded_at_new() -> None:
    files = records(Selection("shop", 1), Selection("shop", 2), ["0002-pack-2-queues.md"], None)
    assert files == {}


def test_upgrade_does_not_take_pack_20_for_pack_2() -> None:
    files = records(Selection("shop", 1), Selection("shop", 2), ["0001-pack-20-x.md"], None)
    assert "docs/adr/0002-adopt-pack-2.md" in files


def test_records_are_deterministic() -> None:
    one = records(Selection("shop", 1), Selection("shop", 4), [], '{"b": 1, "a": 2}')
    two = records(Selection("shop", 1), Selection("shop", 4), [], '{"a": 2, "b": 1}')
    assert one == two


def test_unreadable_doctor_report_is_said_so() -> None:
    assert "is not a doctor report; run `stackpacks doctor` again" in evidence("{nope")
