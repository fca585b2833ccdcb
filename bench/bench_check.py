"""`docarchive check` on this repository's archive: wall time of the whole command, as an editor runs it.

Not a test. Runs `docarchive check . --format FORMAT` N times in a fresh process
each (so interpreter start and imports count, as they do for an editor and in
CI) and prints the best and the median time, and the median as a share of the
2-second budget of issue 10; also the command's CPU time, which other jobs on
a shared machine do not inflate, and the loader's alone, in one process.

    .venv/bin/python bench/bench_check.py [N] [--format text|json|github]
"""

from __future__ import annotations

import argparse
import os
import resource
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
    walls, cpus = [], []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        out = subprocess.run([sys.executable, "-m", "docarchive", "check", ".", "--format", args.format],
                             cwd=REPO, capture_output=True, text=True)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
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
    print(f"  CPU of the whole command (what it costs on an idle core): median {statistics.median(cpus):.2f} s")
    print(f"  loader alone (CPU, warm imports): {cpu:.2f} s; machine load now {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
