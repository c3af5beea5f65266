"""P1: wall time of `stackpacks new demo` from process start to exit (median of several runs).

    .venv/bin/python benchmarks/new_wall_time.py [--runs 9] [--pack 1]

For scale (STACK-NOTES): cookiecutter bakes cookiecutter-django's defaults (203 files) in ~0.9 s.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

STACKPACKS = Path(sys.executable).with_name("stackpacks")


def one_run(folder: Path, pack: int) -> float:
    start = time.perf_counter()
    subprocess.run(
        [str(STACKPACKS), "new", "demo", "--pack", str(pack), "--path", str(folder / "demo")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    elapsed = time.perf_counter() - start
    shutil.rmtree(folder / "demo")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--pack", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        one_run(Path(scratch), args.pack)  # warm the OS file cache and .pyc files
        times = [one_run(Path(scratch), args.pack) for _ in range(args.runs)]
    print(f"stackpacks new demo --pack {args.pack}: {args.runs} runs")
    median, low, high = statistics.median(times), min(times), max(times)
    print(f"  median {median:.3f} s  min {low:.3f} s  max {high:.3f} s")


if __name__ == "__main__":
    main()
