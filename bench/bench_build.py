"""Build benchmark: the archive against plain Material on the same synthetic stories.

Not a test. For each N it makes the project's synthetic archive of N stories
(the mini fixture plus N generated stories), and the same stories as a plain
mkdocs-material site, then measures, in one run so that ratios are paired:

- the archive's cold ``mkdocs build`` (fresh folder and process, no site, no
  search cache; the photo derivatives cache is kept, since unchanged photos are
  never re-encoded: the fixture's two photos cost the same at any N);
- plain Material with a small nav (``nav: [index.md]``) and with its default
  nav (every page listed), with the same Markdown extensions as the archive and
  the same search plugin with jieba;
- the ratio archive / plain (small nav) and the growth t(N) / t(previous N);
- the serve rebuild: ``mkdocs serve`` as ``make serve`` runs it, one story's
  title edited, seconds until the served page shows the edit;
- the weight of one story page with everything it loads, gzipped, without
  using search (headless Chromium);
- the time from the first keystroke in the search box to the first result;
- the archive build's peak memory (max RSS).

Times are wall seconds (the build's time, as its user waits for it) and CPU
seconds (user + system, the build and its worker processes, on both cores): on a
shared machine CPU time is the steadier of the two, and on a busy one the
archive's wall time rises towards it.

    .venv/bin/python bench/bench_build.py            # N = 100, 1,000, 3,000 (long)
    .venv/bin/python bench/bench_build.py --quick    # N = 30, 100, 300
    .venv/bin/python bench/bench_build.py --sizes 100,1000 --no-browser --no-serve
    .venv/bin/python bench/bench_build.py --editions    # both languages: twice the pages

Prints one Markdown table and writes it to bench/results.md.
"""

from __future__ import annotations

import argparse
import compileall
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))
from support import make_archive  # noqa: E402

PARAGRAPH = ("The workshop opened in a village that had stood empty, and more than twenty people from poor "
             "households now sew umbrellas there. 临夏 and 厦门 appear in the middle of this sentence. ") * 4
STAGES = ("one", "two", "three")
SEARCH_QUERY = "umbrellas"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def story_text(stage: str, i: int, title: str = "") -> str:
    return (f"---\ntitle: {title or f'Synthetic story {i}'}\nstage: {stage}\ndate: {2010 + i % 11}-{1 + i % 12:02d}\n"
            f"summary: Synthetic story number {i}.\nplaces: [hezheng]\npeople: [tian]\n"
            f"organizations: [bag-co]\ntags: [bench]\nsources: [src#part-a]\n---\n\n"
            + "\n\n".join(f"## Part {k}\n\n{PARAGRAPH}" for k in range(3)) + "\n")


PARAGRAPH_ZH = "这个车间设在一个曾经空置的村子里，二十多名贫困户在这里缝制雨伞。临夏和厦门出现在这句话的中间。" * 4


def story_text_zh(i: int) -> str:
    """The Chinese twin of ``story_text``: only the translatable fields, and a Chinese body."""
    return (f"---\ntitle: 合成故事 {i}\nsummary: 第 {i} 篇合成故事。\n---\n\n"
            + "\n\n".join(f"## 第 {k} 部分\n\n{PARAGRAPH_ZH}" for k in range(3)) + "\n")


def make_archive_with(n: int, dest: Path, chinese: bool = False) -> Path:
    root = make_archive(dest)
    for i in range(n):
        stage = STAGES[i % 3]
        (root / "stories" / stage / f"bench-{i}.md").write_text(story_text(stage, i), encoding="utf-8")
        if chinese:
            (root / "stories" / stage / f"bench-{i}.zh.md").write_text(story_text_zh(i), encoding="utf-8")
    return root


def markdown_extensions(archive: Path) -> str:
    """The archive's ``markdown_extensions:`` block, copied as text into the plain site's config."""
    text = (archive / "mkdocs.yml").read_text(encoding="utf-8")
    match = re.search(r"^markdown_extensions:\n(?:[ \t]+.*\n)+", text, re.M)
    return match.group(0) if match else ""


def make_plain_with(n: int, dest: Path, small_nav: bool, extensions: str, chinese: bool = False) -> Path:
    """The same stories as plain Material pages, with the archive's Markdown extensions and search
    (and with ``chinese``, their Chinese twins as N more pages under zh/: twice the pages)."""
    docs = dest / "docs"
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Home\n", encoding="utf-8")
    for i in range(n):
        stage = STAGES[i % 3]
        (docs / stage).mkdir(exist_ok=True)
        text = story_text(stage, i).replace("[hezheng]", "hezheng")  # plain MkDocs reads meta loosely
        (docs / stage / f"bench-{i}.md").write_text(text, encoding="utf-8")
        if chinese:
            (docs / "zh" / stage).mkdir(parents=True, exist_ok=True)
            (docs / "zh" / stage / f"bench-{i}.md").write_text(story_text_zh(i), encoding="utf-8")
    nav = "nav: [index.md]\n" if small_nav else ""
    (dest / "mkdocs.yml").write_text(
        f"site_name: plain\n{nav}theme:\n  name: material\n  font: false\n"
        "plugins:\n  - search:\n      separator: '[\\s\\u200b\\-]+'\n" + extensions, encoding="utf-8")
    return dest


# ------------------------------------------------------------------ builds


@dataclass
class Run:
    wall: float
    cpu: float  # user + system of the build and of the worker processes it waited for
    peak_mb: float


ARCHIVE_EDITIONS = [sys.executable, "-m", "docarchive", "editions", "."]  # both languages, one process


def compile_engine() -> None:
    """The engine's bytecode, as Python writes it on a first import, written here (not timed) since this
    machine's PYTHONDONTWRITEBYTECODE=1 keeps a build from writing it: without it every build compiles
    the engine again (~0.05 s), while plain Material's bytecode was written when pip installed it."""
    compileall.compile_dir(str(REPO / "hooks"), quiet=1)


def build(root: Path, command: list[str] | None = None) -> Run:
    """One cold ``mkdocs build`` (or ``command``) in a fresh process."""
    compile_engine()
    shutil.rmtree(root / "site", ignore_errors=True)
    for cache in (root / ".cache").glob("*"):  # search, allowlist verdicts, citations, compiled templates
        if cache.name != "photos":  # unchanged photos are never re-encoded
            shutil.rmtree(cache, ignore_errors=True)
    start = time.perf_counter()
    proc = subprocess.Popen(command or [sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=ENV,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"build of {root} failed:\n{output.decode(errors='replace')}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def best(root: Path, repeats: int, command: list[str] | None = None) -> Run:
    runs = [build(root, command) for _ in range(repeats)]
    return min(runs, key=lambda r: r.wall)


# ------------------------------------------------------------------ serve


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_arguments() -> list[str]:
    """The arguments ``make serve`` gives ``mkdocs serve`` (the Makefile's serve recipe)."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^serve:.*\n((?:\t.*\n)+)", makefile, re.M)
    line = next((l for l in recipe.group(1).splitlines() if "mkdocs serve" in l), "") if recipe else ""
    args = line.split("mkdocs serve", 1)[1].split() if line else []
    return [a for a in args if not a.startswith("$")]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def serve_edit_seconds(root: Path, timeout: float = 600) -> float:
    """Seconds from saving a one-story edit to the served page showing it, under ``make serve``'s flags.

    The server is started, its first build awaited, then one story's title changed.
    """
    port = free_port()
    story = root / "stories" / "one" / "bench-0.md"
    url = f"http://127.0.0.1:{port}/stories/one/bench-0/"
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", *serve_arguments(), "-a", f"127.0.0.1:{port}"],
                            cwd=root, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while "Synthetic story 0" not in fetch(url):
            if time.monotonic() > deadline or proc.poll() is not None:
                raise SystemExit(f"mkdocs serve did not serve {url}")
            time.sleep(0.2)
        time.sleep(1)  # let the watcher settle after the first build
        marker = f"Edited story {time.time_ns()}"
        start = time.perf_counter()
        story.write_text(story_text("one", 0, title=marker), encoding="utf-8")
        while marker not in fetch(url):
            if time.monotonic() > deadline:
                raise SystemExit("mkdocs serve never showed the edit")
            time.sleep(0.05)
        return time.perf_counter() - start
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        story.write_text(story_text("one", 0), encoding="utf-8")


# ------------------------------------------------------------------ reader side (headless Chromium)


def reader_figures(site: Path) -> tuple[float, float]:
    """(KB gzipped that a story page loads without search, seconds from first keystroke to first result).

    Measured by bench/bench_reader.py: every response of a first visit, gzipped; then the
    reader clicks into search and types, timed in the page from the first keydown.
    """
    from bench_reader import page_weight, search_latency

    page = "stories/one/bench-0/"
    return page_weight(site, page).gzipped / 1000, search_latency(site, page, SEARCH_QUERY)["first"]


# ------------------------------------------------------------------ the table


@dataclass
class Row:
    n: int
    archive: Run
    small: Run
    default: Run | None
    serve: float | None
    weight: float | None
    latency: float | None


def measure(n: int, tmp: Path, photo_cache: Path, args) -> Row:
    archive = make_archive_with(n, tmp / f"a{n}", chinese=args.editions)
    shutil.copytree(photo_cache, archive / ".cache" / "photos")
    extensions = markdown_extensions(archive)
    small = make_plain_with(n, tmp / f"s{n}", True, extensions, chinese=args.editions)
    repeats = 1 if n >= 3000 else args.repeats
    ours = best(archive, repeats, ARCHIVE_EDITIONS if args.editions else None)
    plain = best(small, repeats)
    default = None
    if n <= args.default_nav_max:
        default = best(make_plain_with(n, tmp / f"d{n}", False, extensions), 1)
    weight = latency = None
    if not args.no_browser:
        weight, latency = reader_figures(archive / "site")
    serve = None if args.no_serve else serve_edit_seconds(archive)
    for folder in ("a", "s", "d"):
        shutil.rmtree(tmp / f"{folder}{n}", ignore_errors=True)
    return Row(n, ours, plain, default, serve, weight, latency)


def fmt(value: float | None, spec: str = ".2f", unit: str = "") -> str:
    return "-" if value is None else f"{value:{spec}}{unit}"


def table(rows: list[Row]) -> str:
    head = ("| stories | archive cold, wall s (CPU) | plain, small nav | plain, default nav | ratio, wall "
            "| ratio, CPU | growth, wall (N ratio) | serve edit → page, s | story page, KB gz | first result, s "
            "| peak MB |")
    lines = [head, "|---" * (head.count("|") - 1) + "|"]
    previous = None
    for r in rows:
        growth = "-"
        if previous:
            growth = f"{r.archive.wall / previous.archive.wall:.2f} (×{r.n / previous.n:.3g})"
        default = "-" if r.default is None else f"{r.default.wall:.2f} ({r.default.cpu:.2f})"
        lines.append(
            f"| {r.n:,} | {r.archive.wall:.2f} ({r.archive.cpu:.2f}) | {r.small.wall:.2f} ({r.small.cpu:.2f}) "
            f"| {default} | **{r.archive.wall / r.small.wall:.2f}** | {r.archive.cpu / r.small.cpu:.2f} | {growth} "
            f"| {fmt(r.serve)} | {fmt(r.weight, '.0f')} | {fmt(r.latency)} | {r.archive.peak_mb:.0f} |")
        previous = r
    return "\n".join(lines)


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{platform.python_implementation()} {platform.python_version()}, {os.cpu_count()} CPUs, "
            f"load average {load} at the start, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")


NOTES = """
- Wall s: seconds from the start of `mkdocs build` to its end, the build's time as its user waits for it
  (the issue's measure); (CPU) in brackets: user + system seconds of the build and of the worker processes
  it waited for, on both cores. The archive's cold build puts part of its work on the second core (forked
  workers: readahead.py, prerender.py; a helper process: offload.py), so its wall time is below its CPU
  time; plain Material has one thread, so its two are equal. On a machine whose second core is busy the
  archive's wall time rises towards its CPU time: read both. Both are from the same, paired run.
- Cold: a fresh folder and process, no site/ and no search cache. The photo derivatives cache is kept
  (unchanged photos are never re-encoded; the fixture has two photos at every N).
  jieba's model cache is warm for both sides (plain Material's in /tmp, the archive's in ~/.cache/docarchive).
- Plain Material: the same stories and Markdown extensions as the archive, the same search plugin with
  jieba; small nav = `nav: [index.md]`, default nav = every page listed (Material's default).
- Ratio: archive / plain with the small nav, in wall and in CPU time. Growth: archive wall time at N over
  the previous N's.
- Serve: `mkdocs serve` with the Makefile's flags, one story's title saved, seconds until its page shows it.
- Story page: every response a story page loads over http without using search, gzipped (level 6).
- First result: from the first keystroke of "{query}" in the search box to the first result shown.
- `--editions`: every story has its Chinese twin (`.zh.md`); the archive is built as `make site` builds it
  (`docarchive editions`: the English and Chinese editions in one process), plain Material with the
  Chinese twins as N more pages (twice the pages) in one build.
"""


EARLIER = "<!-- Above: the last run of bench_build.py. Below: earlier runs and notes, kept by each run. -->\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: 30, 100, 300 stories")
    parser.add_argument("--sizes", help="comma-separated story counts (default 100,1000,3000)")
    parser.add_argument("--repeats", type=int, default=2, help="builds per site below 3,000 stories (best kept)")
    parser.add_argument("--default-nav-max", type=int, default=3000,
                        help="skip plain Material's default nav above this N (it grows quadratically)")
    parser.add_argument("--no-browser", action="store_true", help="skip page weight and search latency")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve rebuild")
    parser.add_argument("--editions", action="store_true",
                        help="every story with its Chinese twin, both editions built as make site does "
                             "(docarchive editions), against plain Material with twice the pages")
    parser.add_argument("--out", default=str(REPO / "bench" / "results.md"))
    args = parser.parse_args()
    sizes = [30, 100, 300] if args.quick else [100, 1000, 3000]
    if args.sizes:
        sizes = [int(s) for s in args.sizes.split(",")]
    started = machine()
    rows = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        warm = make_archive_with(3, tmp / "warm")  # fills the photo cache and jieba's, on both sides
        build(warm)
        build(make_plain_with(3, tmp / "warm-plain", True, markdown_extensions(warm)))
        for n in sizes:
            rows.append(measure(n, tmp, warm / ".cache" / "photos", args))
            print(table(rows).splitlines()[-1], flush=True)
    text = table(rows)
    print("\n" + text)
    report = (f"# Build benchmark\n\n`make bench` ({' '.join(sys.argv[1:]) or 'default sizes'}): {started}.\n\n"
              f"{text}\n{NOTES.format(query=SEARCH_QUERY)}")
    out = Path(args.out)
    kept = out.read_text(encoding="utf-8") if out.is_file() else ""
    kept = kept.split(EARLIER, 1)[1] if EARLIER in kept else kept  # runs and notes written by hand stay
    out.write_text(report + "\n" + EARLIER + kept, encoding="utf-8")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
