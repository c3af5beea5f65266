"""The project's decision records, rendered from the catalogue (the pain that triggers a pack,
what it adds, what it costs).

- `new` writes one accepted ADR per pack the project contains (`NNNN-pack-P-NAME.md`): decisions
  taken when the project was created, with nothing to cut over.
- `upgrade` writes a proposed ADR per pack it adds (`NNNN-adopt-pack-P.md`), citing the last
  saved `stackpacks doctor --json` run if the project keeps one, and a cutover/rollback runbook.

Pure: the caller lists the existing ADRs and reads the doctor report. The records belong to the
user once written: they are not part of the pristine render, so a later upgrade never touches them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from stackpacks import catalogue
from stackpacks.catalogue import Pack, Selection
from stackpacks.catalogue.context import build
from stackpacks.doctor.report import REPORT_FILE, cite

ADR_DIR = "docs/adr"
RUNBOOK_DIR = "docs/runbooks"
DOCTOR_REPORT = REPORT_FILE.as_posix()  # relative to the project
_NUMBERED = re.compile(r"^(\d{4})-")


@dataclass(frozen=True)
class Step:
    """What one pack adds on top of the pack below it, from the catalogue."""

    pack: Pack
    services: tuple[str, ...]
    processes: tuple[str, ...]
    env_vars: tuple[str, ...]
    next_steps: tuple[str, ...]


def records(
    old: Selection, new: Selection, existing_adrs: Iterable[str], doctor: str | None
) -> dict[str, bytes]:
    """ADR + runbook for each pack above `old.pack` up to `new.pack`, numbered after the ADRs."""
    existing = list(existing_adrs)
    number = max((int(m.group(1)) for m in map(_NUMBERED.match, existing) if m), default=0)
    files: dict[str, bytes] = {}
    for pack_number in range(old.pack + 1, new.pack + 1):
        if recorded(pack_number, existing):
            continue
        number += 1
        step = step_of(new, pack_number)
        runbook = f"{RUNBOOK_DIR}/pack-{pack_number}-{step.pack.name}.md"
        adr = f"{ADR_DIR}/{number:04d}-adopt-pack-{pack_number}.md"
        files[adr] = adr_text(number, step, runbook, doctor).encode()
        files[runbook] = runbook_text(step).encode()
    return files


def for_new(selection: Selection) -> dict[str, bytes]:
    """The records `new --pack N` writes: an accepted ADR for each of packs 1..N, no runbook."""
    files: dict[str, bytes] = {}
    for pack_number in range(1, selection.pack + 1):
        step = step_of(selection, pack_number)
        adr = f"{ADR_DIR}/{pack_number:04d}-pack-{pack_number}-{step.pack.name}.md"
        files[adr] = created_adr_text(pack_number, step, selection).encode()
    return files


def recorded(pack_number: int, existing: Iterable[str]) -> bool:
    """Whether an ADR already records the pack: adopted by an upgrade, or taken at `new`."""
    taken_at_new = re.compile(rf"^\d{{4}}-pack-{pack_number}-")
    return any(
        name.endswith(f"-adopt-pack-{pack_number}.md") or taken_at_new.match(name)
        for name in existing
    )


def step_of(selection: Selection, pack_number: int) -> Step:
    """What pack `pack_number` adds to the one below (below pack 1 there is nothing)."""
    upper = _at(selection, pack_number)
    lower, higher = build(_at(selection, pack_number - 1)), build(upper)
    below = catalogue.contributions(_at(selection, pack_number - 1))
    added = [c for c in catalogue.contributions(upper) if c not in below]
    return Step(
        catalogue.get_pack(pack_number),
        tuple(s for s in higher["services"] if s not in lower["services"]),
        tuple(
            f"{p['name']}: {p['command']}"
            for p in higher["processes"]
            if p not in lower["processes"]
        ),
        tuple(v["name"] for v in higher["env_vars"] if v not in lower["env_vars"]),
        tuple(step for part in added for step in part.next_steps),
    )


def _at(selection: Selection, pack_number: int) -> Selection:
    options = tuple(o for o in selection.options if catalogue.get_option(o).pack <= pack_number)
    return replace(selection, pack=pack_number, options=options)


def adr_text(number: int, step: Step, runbook: str, doctor: str | None) -> str:
    pack = step.pack
    return _blocks(
        f"# {number:04d}. Adopt pack {pack.number}: {pack.title}",
        f"Status: proposed. Written by stackpacks from its catalogue; accept it in the change "
        f"that moves the project from pack {pack.number - 1} to pack {pack.number}.",
        "## Context: the pain this pack answers",
        pack.trigger,
        "## Evidence",
        evidence(doctor),
        "## Decision",
        f"Adopt pack {pack.number} ({pack.title}): {pack.adds}.",
        "## Consequences: what it costs to operate",
        pack.costs,
        _bullets("New services", step.services),
        _bullets("New or changed processes", step.processes),
        _bullets("New settings (add them to `.env`)", step.env_vars),
        f"Cutover and rollback: [{runbook}](../../{runbook}).",
    )


def created_adr_text(number: int, step: Step, selection: Selection) -> str:
    pack = step.pack
    options = [catalogue.get_option(o) for o in sorted(selection.options)]
    return _blocks(
        f"# {number:04d}. Pack {pack.number}: {pack.title}",
        f"Status: accepted. Decided when the project was created with `{new_command(selection)}`.",
        "## Context: the pain this pack answers",
        pack.trigger,
        "## Decision",
        f"Build on pack {pack.number} ({pack.title}): {pack.adds}.",
        _bullets(
            "Options",
            tuple(f"`--with {o.name}`: {o.summary}" for o in options if o.pack == pack.number),
        ),
        "## Consequences: what it costs to operate",
        pack.costs,
        _bullets("Services it adds", step.services),
        _bullets("Processes it adds or changes", step.processes),
        _bullets("Settings it adds (in `.env`, documented in `.env.example`)", step.env_vars),
    )


def new_command(selection: Selection) -> str:
    words = ["stackpacks", "new", selection.name, "--pack", str(selection.pack)]
    if selection.queue != Selection.queue:  # the default queue goes without saying
        words += ["--queue", selection.queue]
    for option in sorted(selection.options):
        words += ["--with", option]
    return " ".join(words)


def runbook_text(step: Step) -> str:
    pack = step.pack
    return _blocks(
        f"# Runbook: cut over to pack {pack.number} ({pack.title})",
        "## Before",
        "- Merge the upgrade's pull request only after CI passes.\n"
        f"- Add the new settings to `.env` on every machine: {', '.join(step.env_vars) or 'none'}.",
        "## Cut over",
        _numbered(step.next_steps),
        _bullets("Start these services", step.services),
        _bullets("Run these processes", step.processes),
        "## Roll back",
        "1. Stop the processes and services listed above.\n"
        "2. Revert the upgrade's commit (`git revert <commit>`): the code, `.stackpacks/` and "
        f"this runbook go back to pack {pack.number - 1} together.\n"
        "3. Deploy the reverted commit; data written by the new services stays where it is "
        "until you remove their volumes.",
    )


def evidence(doctor: str | None) -> str:
    if doctor is None:
        return (
            f"No saved `stackpacks doctor` run was found ({DOCTOR_REPORT}). Run the doctor "
            "against the running app and attach its findings before accepting this record."
        )
    return cite(doctor)


def _blocks(*blocks: str) -> str:
    """Markdown paragraphs, one blank line apart; empty ones dropped."""
    return "\n\n".join(b.strip("\n") for b in blocks if b) + "\n"


def _bullets(title: str, items: tuple[str, ...]) -> str:
    return f"{title}:\n\n" + "\n".join(f"- {item}" for item in items) if items else ""


def _numbered(items: tuple[str, ...]) -> str:
    if not items:
        return "Nothing to run beyond a normal deploy."
    return "\n".join(f"{n}. `{item}`" for n, item in enumerate(items, start=1))
