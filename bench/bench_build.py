"""Build-time benchmark: the archive generator against plain Material on the same content.

Not a test. Makes synthetic archives of N stories (N doubles each step), builds each
with the archive's hooks, and builds the same stories as plain Markdown pages with
plain mkdocs-material (every page in the nav, as Material does by default). Prints
seconds, seconds per story, the growth ratio t(2N)/t(N) (2.0 = linear) and the
ratio against plain Material.

    .venv/bin/python bench/bench_build.py [N0] [steps]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from conftest import make_archive  # noqa: E402

PARAGRAPH = ("The workshop opened in a village that had stood empty, and more than twenty people from poor "
             "households now sew umbrellas there. 临夏 and 厦门 appear in the middle of this sentence. ") * 4


def story_text(stage: str, i: int) -> str:
    return (f"---\ntitle: Synthetic story {i}\nstage: {stage}\ndate: {2010 + i % 11}-{1 + i % 12:02d}\n"
            f"summary: Synthetic story number {i}.\nplaces: [hezheng]\npeople: [tian]\n"
            f"organizations: [bag-co]\ntags: [bench]\nsources: [src#part-a]\n---\n\n"
            + "\n\n".join(f"## Part {k}\n\n{PARAGRAPH}" for k in range(3)) + "\n")


def make_archive_with(n: int, dest: Path) -> Path:
    root = make_archive(dest)
    stages = ["one", "two", "three"]
    for i in range(n):
        stage = stages[i % 3]
        (root / "stories" / stage / f"bench-{i}.md").write_text(story_text(stage, i), encoding="utf-8")
    return root


def make_plain_with(n: int, dest: Path) -> Path:
    """The same stories as plain Material pages: front matter kept, every page in the default nav."""
    docs = dest / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    stages = ["one", "two", "three"]
    for i in range(n):
        stage = stages[i % 3]
        (docs / stage).mkdir(exist_ok=True)
        text = story_text(stage, i).replace("[hezheng]", "hezheng")  # plain MkDocs reads meta loosely
        (docs / stage / f"bench-{i}.md").write_text(text, encoding="utf-8")
    (dest / "mkdocs.yml").write_text(
        "site_name: plain\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search:\n      separator: '[\\s\\u200b\\-]+'\n", encoding="utf-8")
    return dest


def build_seconds(root: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(proc.stdout + proc.stderr)
    return elapsed


def main() -> None:
    n0 = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    steps = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(f"{'stories':>8} {'archive s':>10} {'s/story':>8} {'growth':>7} {'plain s':>8} {'growth':>7} {'archive/plain':>13}")
    previous = None
    with tempfile.TemporaryDirectory() as tmp:
        for step in range(steps):
            n = n0 * 2 ** step
            ours = build_seconds(make_archive_with(n, Path(tmp) / f"a{n}"))
            plain = build_seconds(make_plain_with(n, Path(tmp) / f"p{n}"))
            growth = f"{ours / previous[0]:.2f}" if previous else "-"
            plain_growth = f"{plain / previous[1]:.2f}" if previous else "-"
            print(f"{n:>8} {ours:>10.2f} {ours / n:>8.4f} {growth:>7} {plain:>8.2f} {plain_growth:>7} {ours / plain:>13.2f}")
            previous = (ours, plain)
            shutil.rmtree(Path(tmp) / f"a{n}", ignore_errors=True)
            shutil.rmtree(Path(tmp) / f"p{n}", ignore_errors=True)
    print("growth: time at N divided by time at N/2 (2.00 = linear). archive/plain: ratio at the same N.")


if __name__ == "__main__":
    main()
