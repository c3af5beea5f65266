"""The project's `.stackpacks/` record.

    .stackpacks/state.yml     format, tool version, the answers, and the sha256 manifest of the
                              pristine render (every generated file, as generated)
    .stackpacks/base.tar.gz   the pristine render itself, so an upgrade finds its merge base even
                              after the tool's templates have moved on; checked against the manifest

Both are written at `new` and replaced, last, by a successful upgrade. Both are deterministic:
the same answers give the same bytes (the tarball has zeroed times, owners and gzip header).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from stackpacks import __version__, errors
from stackpacks.catalogue import Selection, answers, selection_from_answers

STATE_DIR = ".stackpacks"
STATE_FILE = "state.yml"
BASE_FILE = "base.tar.gz"
FORMAT = 1
HEADER = (
    "# Written by stackpacks; read by `stackpacks upgrade` and `status`. Do not edit by hand.\n"
)


@dataclass(frozen=True)
class ProjectState:
    tool_version: str
    selection: Selection
    manifest: dict[str, str]

    def to_yaml(self) -> str:
        data = {
            "format": FORMAT,
            "tool_version": self.tool_version,
            "answers": answers(self.selection),
            "manifest": dict(sorted(self.manifest.items())),
        }
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # libyaml: 10x faster, same bytes
        return HEADER + yaml.dump(data, Dumper=dumper, sort_keys=False, default_flow_style=False)


def new_state(selection: Selection, manifest: dict[str, str]) -> ProjectState:
    return ProjectState(__version__, selection, manifest)


def write(project: Path, state: ProjectState, base: dict[str, bytes]) -> None:
    folder = project / STATE_DIR
    folder.mkdir(exist_ok=True)
    (folder / BASE_FILE).write_bytes(pack_tree(base))
    (folder / STATE_FILE).write_text(state.to_yaml(), encoding="utf-8")


def find_project(start: Path) -> Path:
    """The generated project containing `start`, or NotAProject."""
    for folder in (start, *start.parents):
        if (folder / STATE_DIR / STATE_FILE).is_file():
            return folder
    raise errors.NotAProject(
        f"{start} is not inside a stackpacks project (no {STATE_DIR}/{STATE_FILE} found)",
        "run this inside a project made by `stackpacks new`",
    )


def read(project: Path) -> ProjectState:
    path = project / STATE_DIR / STATE_FILE
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
        return _parse(data)
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValueError) as exc:
        raise errors.CorruptState(
            f"{path} is unreadable or corrupt ({type(exc).__name__})",
            f"restore it from version control, e.g. `git checkout -- {STATE_DIR}`",
        ) from exc


def _parse(data: Any) -> ProjectState:
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError("unknown state format")
    manifest = data["manifest"]
    if not isinstance(manifest, dict) or not all(
        isinstance(k, str) and isinstance(v, str) and len(v) == 64 for k, v in manifest.items()
    ):
        raise ValueError("bad manifest")
    return ProjectState(
        str(data["tool_version"]), selection_from_answers(data["answers"]), manifest
    )


def read_base(project: Path, state: ProjectState) -> dict[str, bytes]:
    """The pristine render recorded at generation, verified file by file against the manifest."""
    path = project / STATE_DIR / BASE_FILE
    try:
        files = unpack_tree(path.read_bytes())
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise errors.CorruptState(
            f"{path} is unreadable ({type(exc).__name__})",
            f"restore it from version control, e.g. `git checkout -- {STATE_DIR}`",
        ) from exc
    digests = {name: hashlib.sha256(content).hexdigest() for name, content in files.items()}
    if digests != state.manifest:
        raise errors.CorruptState(
            f"{path} does not match the manifest in {STATE_DIR}/{STATE_FILE}",
            f"restore both from version control, e.g. `git checkout -- {STATE_DIR}`",
        )
    return files


def pack_tree(files: dict[str, bytes]) -> bytes:
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(files):
            info = tarfile.TarInfo(name)
            info.size = len(files[name])
            info.mode = 0o644
            tar.addfile(info, io.BytesIO(files[name]))
    return gzip.compress(raw.getvalue(), compresslevel=9, mtime=0)


def unpack_tree(blob: bytes) -> dict[str, bytes]:
    files = {}
    with tarfile.open(fileobj=io.BytesIO(gzip.decompress(blob)), mode="r") as tar:
        for member in tar.getmembers():
            extracted = tar.extractfile(member)
            if member.isfile() and extracted is not None:
                files[member.name] = extracted.read()
    return files


def read_tree(root: Path, names: list[str]) -> dict[str, bytes]:
    return {name: (root / name).read_bytes() for name in names}
