"""`--help` reads as Click's: value names and choices, no typer placeholders."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from stackpacks.cli import app

runner = CliRunner()
COMMANDS = ["new", "packs", "status", "upgrade", "doctor"]


def helped(*command: str) -> str:
    result = runner.invoke(app, [*command, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)], ids=["root", *COMMANDS])
def test_help_has_no_type_placeholders_nor_markup(command: list[str]) -> None:
    text = helped(*command)
    assert not re.search(r"<[a-z\[\]]+>|\{\w+\}|\\\[", text), text
    assert "╭" not in text  # plain text, as Click writes it


def test_new_names_its_argument_and_its_choices() -> None:
    text = helped("new")
    assert "Usage: stackpacks new [OPTIONS] NAME\n" in text
    assert re.search(r"\n  NAME +Project name", text)
    assert "--queue [celery|db]" in text and "-p, --pack N" in text


def test_upgrade_shows_choices_and_when_to_is_required() -> None:
    text = " ".join(helped("upgrade").split())
    assert "--conflicts [refuse|markers|sidecar]" in text
    assert "--queue [celery|db]" in text and "--with OPTION" in text
    assert "--to N The pack to move up to. Required, unless --with, --queue or --recover" in text
    assert "--dry-run Summarize" in text and "--no-dry-run" not in text
