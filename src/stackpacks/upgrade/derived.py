"""Derived files are re-derived from their sources, never merged by lines.

    backend/constraints.txt     the exact pins of everything the backend installs
    frontend/package-lock.json  npm's resolution of frontend/package.json

When only one side changed one, the plan's own rules already hold (the pack's when you left it
alone, yours when the pack did). When both changed it, a line merge would splice two resolutions
into one nobody resolved, so instead:

- constraints: the pack's pins, plus your pins where the pack did not move them (a pin you added,
  bumped or removed stands); where both moved one, the pack's wins and the report names it.
- the lock: `npm install --package-lock-only --ignore-scripts` against the package.json this
  upgrade leaves, starting from both locks (the pack's entries win), so npm only resolves what
  neither lock has. If npm fails (no registry, a range nothing satisfies), the line merge's
  result stands, a conflict when it has one, and the report says why in one line.

This runs after `plan()` (npm is not pure) and before anything is written.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from stackpacks.catalogue.constraints import normalize
from stackpacks.upgrade.plan import Action, FileAction, Plan, Rule

CONSTRAINTS = "backend/constraints.txt"
LOCK = "frontend/package-lock.json"
PACKAGE = "frontend/package.json"
# Both sides wrote the file: what a line merge would otherwise decide.
BOTH_WROTE = frozenset({Rule.MERGED, Rule.BOTH_CHANGED, Rule.ADDED_BOTH})
NPM_TIMEOUT = 300
_PIN = re.compile(r"^\s*([A-Za-z0-9._-]+)\s*==\s*([^\s;#]+)\s*$")


class NotDerived(Exception):
    """Why a derived file could not be re-derived: one line for the report."""


# package.json, a seed lock -> the lock npm writes; raises NotDerived.
Locker = Callable[[bytes, bytes], bytes]


@dataclass(frozen=True)
class Derivation:
    path: str
    derived: bool  # False: the line merge's result stands (a conflict when it has one)
    why: str  # what was re-derived and how, or why it could not be


def rederive(
    the_plan: Plan, base: Mapping[str, bytes], theirs: Mapping[str, bytes], locker: Locker
) -> tuple[Plan, tuple[Derivation, ...]]:
    """The plan with each derived file both sides wrote re-derived instead of line-merged."""
    actions, notes = [], []
    for action in the_plan.actions:
        if action.rule in BOTH_WROTE and action.path == CONSTRAINTS:
            action, note = _constraints(action, base.get(CONSTRAINTS, b""))
            notes.append(note)
        elif action.rule in BOTH_WROTE and action.path == LOCK:
            action, note = _lock(action, package_json_after(the_plan, theirs), locker)
            notes.append(note)
        actions.append(action)
    return replace(the_plan, actions=tuple(actions)), tuple(notes)


def _derived(action: FileAction, content: bytes, why: str) -> tuple[FileAction, Derivation]:
    return replace(action, rule=Rule.MERGED, merged=content), Derivation(action.path, True, why)


def _not_derived(action: FileAction, why: str) -> tuple[FileAction, Derivation]:
    return action, Derivation(action.path, False, why)


def _constraints(action: FileAction, base: bytes) -> tuple[FileAction, Derivation]:
    assert action.ours is not None and action.theirs is not None
    try:
        content, why = derive_constraints(base, action.ours, action.theirs)
    except NotDerived as error:
        return _not_derived(action, f"merged by lines: {error}")
    return _derived(action, content, why)


@dataclass(frozen=True)
class _Pins:
    header: list[str]  # the lines above the first pin
    blocks: dict[str, list[str]]  # normalized name -> the comment lines right above it, the pin
    versions: dict[str, str]
    trailer: list[str]  # lines after the last pin


def _pins(text: bytes, whose: str) -> _Pins:
    header: list[str] = []
    blocks: dict[str, list[str]] = {}
    versions: dict[str, str] = {}
    pending: list[str] = []
    for line in text.decode(errors="replace").splitlines(keepends=True):
        if not line.strip() or line.lstrip().startswith("#"):
            pending.append(line)
            continue
        match = _PIN.match(line)
        if not match:
            raise NotDerived(f"{whose} has a line that is not an exact pin: {line.strip()!r}")
        name = normalize(match.group(1))
        if not versions:
            header, pending = pending, []
        blocks[name] = [*pending, line if line.endswith("\n") else line + "\n"]
        versions[name] = match.group(2)
        pending = []
    return _Pins(header if versions else pending, blocks, versions, pending if versions else [])


def derive_constraints(base: bytes, ours: bytes, theirs: bytes) -> tuple[bytes, str]:
    """The pack's pins, and yours where the pack left a pin as it was (added, bumped, removed);
    where both moved one, the pack's. Returns the file and what was kept and overridden."""
    was, mine, pack = _pins(base, "the base"), _pins(ours, "yours"), _pins(theirs, "the pack's")
    chosen = {name: pack.blocks[name] for name in pack.versions}
    kept, overridden = [], []
    for name in sorted(mine.versions.keys() | was.versions.keys()):
        before, yours = was.versions.get(name), mine.versions.get(name)
        packs = pack.versions.get(name)
        if yours in (before, packs):
            continue  # you did not touch this pin, or moved it as the pack did
        if packs is not None and packs != before:  # both moved it: the pack's stands
            overridden.append(f"{name} (yours {_shown(yours)}, the pack's =={packs})")
            continue
        kept.append(f"{name} {_shown(yours)}")
        if yours is None:
            chosen.pop(name, None)
        else:
            chosen[name] = mine.blocks[name]
    body = "".join(line for name in sorted(chosen) for line in chosen[name])
    content = "".join(pack.header) + body + "".join(pack.trailer)
    why = "re-derived: the pack's pins"
    why += f"; kept yours: {', '.join(kept)}" if kept else ""
    why += f"; the pack's won over yours: {', '.join(overridden)}" if overridden else ""
    return content.encode(), why


def _shown(version: str | None) -> str:
    return "removed" if version is None else f"=={version}"


def _lock(
    action: FileAction, package: bytes | None, locker: Locker
) -> tuple[FileAction, Derivation]:
    assert action.ours is not None and action.theirs is not None
    if package is None:
        return _not_derived(action, f"merged by lines: {PACKAGE} conflicts; re-run npm install")
    try:
        seed = seed_lock(action.ours, action.theirs)
        content = locker(package, seed)
    except NotDerived as error:
        return _not_derived(action, f"merged by lines: npm could not re-derive it: {error}")
    return _derived(action, content, f"re-derived by npm from the {PACKAGE} this upgrade leaves")


def package_json_after(the_plan: Plan, theirs: Mapping[str, bytes]) -> bytes | None:
    """What this upgrade leaves at frontend/package.json; None while it is a conflict."""
    for action in the_plan.actions:
        if action.path != PACKAGE:
            continue
        if action.action is Action.CONFLICT:
            return None
        if action.action is Action.MERGE:
            return action.merged
        return action.ours if action.action is Action.KEEP else action.theirs
    return theirs.get(PACKAGE)  # unchanged everywhere


def seed_lock(ours: bytes, theirs: bytes) -> bytes:
    """Both locks' packages in one, the pack's entry winning where both have one: npm keeps what
    still satisfies package.json, prunes the rest, and resolves only what neither lock has."""
    try:
        mine, packs = json.loads(ours), json.loads(theirs)
        packages = {**mine["packages"], **packs["packages"]}
    except (ValueError, KeyError, TypeError) as error:
        raise NotDerived(f"a lock that is not npm's lockfile v2/v3 JSON ({error})") from None
    return (json.dumps({**packs, "packages": packages}, indent=2) + "\n").encode()


def npm_lock(package: bytes, seed: bytes) -> bytes:
    """`npm install --package-lock-only --ignore-scripts` in a scratch folder: no script runs,
    nothing is installed; the registry is asked only for what the seed lock lacks."""
    command = ["npm", "install", "--package-lock-only", "--ignore-scripts", "--no-audit"]
    command += ["--no-fund", "--prefer-offline", "--fetch-retries=0", "--loglevel=error"]
    with tempfile.TemporaryDirectory(prefix="stackpacks-lock-") as tmp:
        folder = Path(tmp)
        (folder / "package.json").write_bytes(package)
        (folder / "package-lock.json").write_bytes(seed)
        try:
            done = subprocess.run(
                command,
                cwd=folder,
                capture_output=True,
                text=True,
                timeout=NPM_TIMEOUT,
                check=False,
            )
        except FileNotFoundError:
            raise NotDerived("npm is not installed") from None
        except subprocess.TimeoutExpired:
            raise NotDerived(f"npm did not finish in {NPM_TIMEOUT} s") from None
        if done.returncode != 0:
            raise NotDerived(npm_reason(done.stderr) or f"npm exited {done.returncode}")
        return (folder / "package-lock.json").read_bytes()


def npm_reason(stderr: str) -> str:
    """npm's own one-line reason from its error output (`code`, `errno` lines skipped)."""
    for line in stderr.splitlines():
        text = line.removeprefix("npm error").removeprefix("npm ERR!").strip()
        if text and not re.match(r"(code|syscall|errno)\b", text) and line != text:
            return text[:200]
    return ""
