"""The project's .env as doctor reads it: as Docker Compose (and honcho, under `make up`) hand it
to the app."""

from __future__ import annotations

from pathlib import Path

import pytest

from stackpacks.doctor import read_dotenv


@pytest.mark.parametrize(
    ("line", "value"),
    [
        ("SIGNALS_TOKEN=abc", "abc"),
        ("SIGNALS_TOKEN=abc  # for doctor", "abc"),
        ("SIGNALS_TOKEN=abc\t# tab before the comment", "abc"),
        ("SIGNALS_TOKEN=abc#def", "abc#def"),
        ("SIGNALS_TOKEN= # nothing set", ""),
        ('SIGNALS_TOKEN="abc # inside quotes"  # outside', "abc # inside quotes"),
        ("SIGNALS_TOKEN='abc'", "abc"),
        ("export SIGNALS_TOKEN=abc # exported", "abc"),
        ("  SIGNALS_TOKEN = abc  ", "abc"),
    ],
)
def test_values_as_compose_reads_them(tmp_path: Path, line: str, value: str) -> None:
    env = tmp_path / ".env"
    env.write_text(f"# a comment line\n\n{line}\nnot an assignment\n")
    assert read_dotenv(env) == {"SIGNALS_TOKEN": value}


def test_a_missing_file_is_empty(tmp_path: Path) -> None:
    assert read_dotenv(tmp_path / ".env") == {}
