"""`docarchive check` on this repository's archive: wall time of the whole command, as an editor runs it.

Not a test. Runs `docarchive check . --format FORMAT` N times in a fresh process
each (so interpreter start and imports count, as they do for an editor and in
CI) and prints the best and the median time, and the median as a share of the
2-second budget of issue 10. With --profile, also the time spent in the
loader alone, in one process (CPU time, so other jobs on the machine weigh less).

    .venv/bin/python bench/bench_check.py [N] [--format text|json|github]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUDGET = 2.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("runs", nargs="?", type=int, default=5)
    parser.add_argument("--format", default="text", choices=("text", "json", "github"))
    args = parser.parse_args()
    walls = []
    for _ in range(args.runs):
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "docarchive", "check", ".", "--format", args.format],
                             cwd=REPO, capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        if out.returncode != 0:
            sys.exit(f"check failed:\n{out.stdout}{out.stderr}")
    sys.path.insert(0, str(REPO / "hooks"))
    from docarchive import images
    from docarchive.loader import load_archive

    cpu = time.process_time()
    archive = load_archive(REPO, inspect_image=images.inspect)
    cpu = time.process_time() - cpu
    median = statistics.median(walls)
    print(f"docarchive check --format {args.format}: {len(archive.stories)} stories, {len(archive.photos)} photos")
    print(f"  wall, fresh process: best {min(walls):.2f} s, median {median:.2f} s over {args.runs} runs "
          f"= {median / BUDGET:.0%} of the {BUDGET:.0f} s budget")
    print(f"  loader alone (CPU, warm imports): {cpu:.2f} s")


if __name__ == "__main__":
    main()
