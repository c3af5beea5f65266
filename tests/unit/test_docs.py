from __future__ import annotations

from pathlib import Path

from stackpacks.docs import END, START, packs_table, replace_block

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_packs_table_matches_the_catalogue() -> None:
    text = README.read_text()
    assert START in text and END in text
    assert replace_block(text) == text, "run `python -m stackpacks.docs README.md`"


def test_table_has_a_row_per_pack() -> None:
    rows = [line for line in packs_table().splitlines() if line[:3] in {f"| {n}" for n in "123456"}]
    assert len(rows) == 6
