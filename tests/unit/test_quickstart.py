"""scripts/quickstart on a name that is taken: a project of ours is brought up again (not
tested here: that runs `make up`), anything else is refused before a file is written."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_folder_that_is_not_a_project_is_refused_untouched(tmp_path: Path) -> None:
    taken = tmp_path / "demo"
    taken.mkdir()
    (taken / "notes.txt").write_text("mine\n")
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "quickstart"), "demo"],
        cwd=tmp_path,
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 2
    assert "demo exists and is not a stackpacks project" in result.stderr
    assert sorted(p.name for p in taken.iterdir()) == ["notes.txt"]
