"""`stackpacks new` (project.create): the records it leaves beside the render."""

from __future__ import annotations

from pathlib import Path

from stackpacks.catalogue import Selection
from stackpacks.project import create


def test_new_records_each_pack_as_an_adr_and_writes_no_runbook(tmp_path: Path) -> None:
    project = create(Selection("shop", 2), tmp_path / "shop", token=lambda: "secret").path
    adrs = sorted(p.name for p in (project / "docs/adr").iterdir())
    assert adrs == ["0001-pack-1-sync.md", "0002-pack-2-queues.md"]
    assert not (project / "docs/runbooks").exists()
