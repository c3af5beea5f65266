"""The per-pack API snapshot: one owner (templates/api/packN/), copied into the project as is.

Whether a snapshot is stale (the backend generates something else) is the generated-app
matrix's to check: `test_committed_api_snapshot_is_what_the_backend_generates`.
"""

from __future__ import annotations

from pathlib import Path

from stackpacks import api_snapshot, catalogue
from stackpacks.catalogue import Selection, Status
from stackpacks.render import _layer_files, render, templates_root


def test_every_available_pack_has_a_snapshot() -> None:
    for pack in catalogue.PACKS:
        if pack.status is Status.AVAILABLE:
            assert sorted(api_snapshot.read(templates_root(), pack.number)) == sorted(
                api_snapshot.FILES
            ), f"run scripts/regen-api (pack {pack.number})"


def test_the_project_gets_its_pack_snapshot_byte_for_byte(tmp_path: Path) -> None:
    result = render(Selection("shop", 2), tmp_path / "shop")
    committed = api_snapshot.read(templates_root(), 2)
    for name, path in api_snapshot.FILES.items():
        assert (result.root / path).read_bytes() == committed[name]


def test_no_template_layer_holds_a_snapshot_path() -> None:
    owned = set(api_snapshot.FILES.values())
    for pack in catalogue.PACKS:
        layer = templates_root() / pack.folder
        paths = {
            p.relative_to(layer).as_posix().removesuffix(".jinja") for p in _layer_files(layer)
        }
        assert not paths & owned, f"{pack.folder} has its own copy of {sorted(paths & owned)}"
