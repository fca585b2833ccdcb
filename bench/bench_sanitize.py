"""Loader benchmark: the cost of the HTML allowlist check (sanitize.check_story_body) at load.

Not a test. For each N it makes bench_build's synthetic archive of N stories and
loads it with ``load_archive`` in this process (CPU seconds, best of 3), in two
variants: the synthetic stories as they are (plain Markdown, no markup sign, so
the pre-filter sends none of them to the HTML pass), and with a distinct link and
an inline tag added to each body (every body rendered and parsed). For each: a
load with no verdict cache (cold, as `docarchive check`), a first build's load
(cache empty, written at the end) and a warm load (cache full), and the warm/cold
ratio. Then the per-story CPU cost of check_story_body, uncached and cached.

    .venv/bin/python bench/bench_sanitize.py               # N = 1,000 and 3,000
    .venv/bin/python bench/bench_sanitize.py --sizes 300
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "hooks"), str(HERE.parent / "tests")]

import bench_build  # noqa: E402
from docarchive import sanitize  # noqa: E402
from docarchive.model import load_archive  # noqa: E402
from docarchive.problems import Problems  # noqa: E402

MARKUP = "\n\nSee [the report](https://example.org/report-{n}) and <em>this note</em>.\n"


def cpu(action, repeats: int = 3) -> float:
    best = float("inf")
    for _ in range(repeats):
        start = time.process_time()
        action()
        best = min(best, time.process_time() - start)
    return best


def loads(root: Path, cache: Path) -> tuple[float, float, float]:
    def first_build():
        for old in cache.glob("*"):
            old.unlink()
        with sanitize.verdicts_kept_in(cache):
            load_archive(root)

    def warm_build():
        with sanitize.verdicts_kept_in(cache):
            load_archive(root)

    return cpu(lambda: load_archive(root)), cpu(first_build), cpu(warm_build)


def per_story_ms(body: str, cache: Path) -> tuple[float, float]:
    def check(times: int):
        for _ in range(times):
            sanitize.check_story_body(body, "stories/one/x.md", 12, Problems())

    uncached = cpu(lambda: check(300)) / 300 * 1000
    with sanitize.verdicts_kept_in(cache):
        check(1)
        cached = cpu(lambda: check(300)) / 300 * 1000
    return uncached, cached


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,3000")
    args = parser.parse_args()
    print("| N | bodies | load, no cache (s) | first build (s) | warm build (s) | warm / no cache |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for n in (int(size) for size in args.sizes.split(",")):
            root = bench_build.make_archive_with(n, Path(tmp) / f"a{n}")
            load_archive(root)  # imports and first-use set-up out of the figures
            for variant in ("plain Markdown", "link + tag"):
                if variant == "link + tag":
                    for story in (root / "stories").rglob("bench-*.md"):
                        story.write_text(story.read_text(encoding="utf-8") + MARKUP.format(n=story.stem),
                                         encoding="utf-8")
                cold, first, warm = loads(root, Path(tmp) / f"cache{n}")
                print(f"| {n} | {variant} | {cold:.2f} | {first:.2f} | {warm:.2f} | {warm / cold:.2f} |")
        body = bench_build.story_text("one", 1).split("---\n", 2)[2]
        for variant, text in (("plain Markdown", body), ("link + tag", body + MARKUP.format(n=1))):
            uncached, cached = per_story_ms(text, Path(tmp) / "per-story" / variant.replace(" ", ""))
            print(f"\ncheck_story_body, {variant}: {uncached:.3f} ms per story uncached, {cached:.3f} ms cached")


if __name__ == "__main__":
    main()
