"""What every team does to a new project in its first week, as edits to a generated pack-1 tree.

A Python dependency in backend/pyproject.toml (pinned in constraints.txt, as its comment asks),
a process in the Procfile, a service in compose.yaml, a variable in .env.example (and its value
in .env). Used by the end-to-end upgrade test and by benchmarks/upgrade_vs_copier.py.
"""

from __future__ import annotations

from pathlib import Path

DEPENDENCY = "humanize==4.17.0"  # small, pure Python, in no pack
PROCESS = "docs: cd docs && exec python -m http.server 8002 --bind 127.0.0.1\n"
SERVICE = "  mailpit:\n    image: axllent/mailpit:v1.27\n    ports:\n    - 8025:8025\n"
VARIABLE = "\n# where outgoing mail goes (mailpit in compose)\nEMAIL_URL=smtp://127.0.0.1:1025\n"


def apply(project: Path) -> None:
    """The week-one edits, each where a person would make it."""
    pyproject = project / "backend" / "pyproject.toml"
    text = pyproject.read_text()
    last = '    "whitenoise==6.12.0",\n'
    assert last in text, "the pack-1 dependency list ends with whitenoise"
    pyproject.write_text(text.replace(last, f'{last}    "{DEPENDENCY}",\n', 1))

    constraints = project / "backend" / "constraints.txt"
    pins = constraints.read_text().splitlines(keepends=True)
    at = next(n for n, line in enumerate(pins) if line.startswith("idna=="))
    constraints.write_text("".join([*pins[:at], DEPENDENCY + "\n", *pins[at:]]))

    with (project / "Procfile").open("a") as procfile:
        procfile.write(PROCESS)

    compose = project / "compose.yaml"
    text = compose.read_text()
    assert "\nvolumes:\n" in text
    compose.write_text(text.replace("\nvolumes:\n", f"\n{SERVICE}volumes:\n", 1))

    for name in (".env.example", ".env"):
        if (project / name).is_file():
            with (project / name).open("a") as env:
                env.write(VARIABLE)


def missing(project: Path) -> dict[str, str]:
    """The week-one edits missing from the project (what -> the file it is in): none after an
    upgrade that kept them."""
    checks = {
        "pyproject dependency": (f'"{DEPENDENCY}"', "backend/pyproject.toml"),
        "constraints pin": (DEPENDENCY + "\n", "backend/constraints.txt"),
        "Procfile process": (PROCESS, "Procfile"),
        "compose service": ("  mailpit:\n    image: axllent/mailpit:v1.27\n", "compose.yaml"),
        ".env.example variable": ("EMAIL_URL=smtp://127.0.0.1:1025\n", ".env.example"),
    }
    return {
        what: name
        for what, (text, name) in checks.items()
        if text not in (project / name).read_text()
    }
