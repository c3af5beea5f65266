"""Each pack's OpenAPI schema and its TypeScript types: generated output, one copy per pack.

`templates/api/packN/` holds what `manage.py spectacular` and `openapi-typescript` produce for a
pack-N project, written by `scripts/regen-api` and checked by the generated-app matrix; nobody
edits them by hand. The render stages them into the overlaid layers as plain files, so copier
copies them byte for byte: they contain nothing of the answers (the schema's title is the same
for every project).
"""

from __future__ import annotations

import shutil
from pathlib import Path

FOLDER = "api"
# snapshot file -> where the project keeps it
FILES = {
    "openapi.yml": "frontend/openapi.yml",
    "schema.d.ts": "frontend/lib/api/schema.d.ts",
}


def folder(templates: Path, pack: int) -> Path:
    return templates / FOLDER / f"pack{pack}"


def read(templates: Path, pack: int) -> dict[str, bytes]:
    """The committed snapshot of the pack, by file name; a missing file is left out."""
    source = folder(templates, pack)
    return {name: (source / name).read_bytes() for name in FILES if (source / name).is_file()}


def write(templates: Path, pack: int, files: dict[str, bytes]) -> None:
    target = folder(templates, pack)
    target.mkdir(parents=True, exist_ok=True)
    for name in FILES:
        (target / name).write_bytes(files[name])


def stage(templates: Path, pack: int, into: Path) -> None:
    """Copy the pack's snapshot into the overlaid layers at its project paths. Templates without
    an `api/` folder (a test's tiny layers) stage nothing."""
    source = folder(templates, pack)
    for name, path in FILES.items():
        if (source / name).is_file():
            target = into / path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / name, target)
            shutil.copymode(source / name, target)
