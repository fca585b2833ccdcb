"""Where the archive's build time goes, phase by phase, against plain Material on the same stories.

Not a test. Makes the synthetic archive of N stories and the same stories as a
plain mkdocs-material site (as ``bench_build.py`` does), builds each cold in a
fresh process with a timer around every MkDocs event handler, Markdown
conversion and Jinja render, and prints one table: seconds per phase for the
archive, for plain Material, and the difference. Seconds are the process's CPU
time (``process_time``: steadier than wall time on a shared machine; the build
is one thread); the top lines give each build's whole wall and CPU time, and its CPU
with the worker processes it starts and waits for (readahead.py's, prerender.py's, offload.py's; a phase's seconds
do not include them).
Nested timers overlap (a Jinja render inside ``page_content`` is counted in
both): read the table as "where", not as a sum.

    .venv/bin/python bench/bench_phases.py --stories 1000
"""

from __future__ import annotations

import argparse
import collections
import functools
import gc
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_build  # noqa: E402


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed_build() -> dict[str, float]:
    """Build the site in the working directory with timers installed; return seconds per phase."""
    import jinja2
    import markdown
    from mkdocs import plugins
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    spent: dict[str, float] = collections.defaultdict(float)

    def timing(label, function):
        @functools.wraps(function)  # the handler stays recognisable (precompile.forwards_only unwraps it)
        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[label(*args) if callable(label) else label] += time.process_time() - start
        wrapper.mkdocs_priority = getattr(function, "mkdocs_priority", 0)
        return wrapper

    register = plugins.PluginCollection._register_event

    def register_timed(self, event_name, method, plugin_name=None):
        owner = plugin_name or getattr(method, "__module__", "?")
        return register(self, event_name, timing(f"on_{event_name} ({owner})", method), plugin_name)

    plugins.PluginCollection._register_event = register_timed
    for name in ("_populate_page", "_build_page", "_build_theme_template"):
        setattr(mkdocs_build, name, timing(f"mkdocs {name}", getattr(mkdocs_build, name)))
    # The generated files (cite/, data/...) written to site/: each costs the kernel a file creation.
    Files.copy_static_files = timing("mkdocs copy_static_files", Files.copy_static_files)
    gc_start: list[float] = []

    def collector(phase, info):  # Python's cyclic garbage collector, wherever it runs
        if phase == "start":
            gc_start[:] = [time.process_time()]
        elif gc_start:
            spent[f"gc generation {info['generation']}"] += time.process_time() - gc_start[0]

    gc.callbacks.append(collector)
    markdown.Markdown.convert = timing("Markdown.convert", markdown.Markdown.convert)
    markdown.Markdown.__init__ = timing("Markdown.__init__", markdown.Markdown.__init__)
    jinja2.Template.render = timing(lambda template, *a: f"render {template.name}", jinja2.Template.render)
    start, cpu, workers = time.perf_counter(), time.process_time(), children_cpu()
    config = load_config("mkdocs.yml")
    spent["load_config"] = time.process_time() - cpu
    mkdocs_build.build(config)
    spent["TOTAL wall"] = time.perf_counter() - start
    spent["TOTAL cpu"] = time.process_time() - cpu
    # The worker processes the build forked and waited for (readahead.py), as bench_build.py counts them.
    spent["TOTAL cpu with workers"] = spent["TOTAL cpu"] + children_cpu() - workers
    return dict(spent)


def measure(root: Path) -> dict[str, float]:
    bench_build.build(root, [sys.executable, "-c", "0"])  # clears site/ and caches, as a cold build
    out = subprocess.run([sys.executable, __file__, "--inside"], cwd=root, env=bench_build.ENV,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--min", type=float, default=0.02, help="hide phases shorter than this, in seconds")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.inside:
        print(json.dumps(timed_build()))
        return
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        archive = bench_build.make_archive_with(args.stories, tmp / "archive")
        plain = bench_build.make_plain_with(args.stories, tmp / "plain", True, bench_build.markdown_extensions(archive))
        bench_build.build(archive), bench_build.build(plain)  # warm the photo and jieba model caches
        ours, theirs = measure(archive), measure(plain)
    print(f"| phase, {args.stories:,} stories | archive s | plain s | extra s |\n|---|---|---|---|")
    for phase in sorted(set(ours) | set(theirs), key=lambda p: (not p.startswith("TOTAL"), -ours.get(p, 0))):
        a, p = ours.get(phase, 0.0), theirs.get(phase, 0.0)
        if max(a, p) >= args.min:
            print(f"| {phase} | {a:.2f} | {p:.2f} | {a - p:+.2f} |")
    print(f"\nratio: {ours['TOTAL wall'] / theirs['TOTAL wall']:.2f} wall, {ours['TOTAL cpu'] / theirs['TOTAL cpu']:.2f} CPU, "
          f"{ours['TOTAL cpu with workers'] / theirs['TOTAL cpu with workers']:.2f} CPU with workers")


if __name__ == "__main__":
    main()
