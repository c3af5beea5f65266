"""Three-way text merge of one file with `git merge-file --diff3`; binaries are never merged."""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from stackpacks import errors

# git's own heuristic: a NUL byte in the first 8,000 bytes makes a file binary.
BINARY_SNIFF = 8000


@dataclass(frozen=True)
class Merged:
    content: bytes
    conflicts: int  # number of conflicting hunks; 0 when the merge is clean


def is_binary(*contents: bytes | None) -> bool:
    return any(c is not None and b"\0" in c[:BINARY_SNIFF] for c in contents)


def merge3(base: bytes, ours: bytes, theirs: bytes, labels: tuple[str, str, str]) -> Merged:
    """Merge the user's and the pack's changes to `base`; conflicts come back as diff3 markers.

    `labels` name the three versions in the markers: (ours, base, theirs).
    """
    with tempfile.TemporaryDirectory(prefix="stackpacks-merge-") as tmp:
        paths = [Path(tmp) / name for name in ("ours", "base", "theirs")]
        for path, content in zip(paths, (ours, base, theirs), strict=True):
            path.write_bytes(content)
        command = ["git", "merge-file", "-p", "--diff3"]
        for label in labels:
            command += ["-L", label]
        done = subprocess.run(
            [*command, *map(str, paths)], capture_output=True, check=False, timeout=60
        )
    # 0: clean; 1..127: the number of conflicts; anything else (255): git failed.
    if not 0 <= done.returncode < 128:
        raise errors.StackpacksError(
            f"git merge-file failed: {done.stderr.decode(errors='replace').strip()}"
        )
    return Merged(done.stdout, done.returncode)
