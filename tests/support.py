"""What the tests share: fixture archives and their builds, the checkers' paths, HTML helpers.

Builds that several modules need (both editions of the mini fixture, both
editions of this repository's archive) are made once per test run by the
session fixtures in conftest.py, from the functions here.

Checkers (Chromium, the Nu validator, axe-core, linkinator) are asked for with
``need``: without ``CI`` a missing one skips its tests with the reason; under
``CI=true`` every skip is a failure (``pytest_runtest_makereport`` below), so CI
cannot go green while testing less. The one exception is marked
``where_the_source_is``: the tests that compare the committed facts of the source
(tests/source_facts.py) with the seed, which CI may not have; nothing else needs
the seed, so CI still tests everything the archive is checked by.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
if str(REPO / "hooks") not in sys.path:
    sys.path.insert(0, str(REPO / "hooks"))

# ---------------------------------------------------------------- checkers

# Where the checkers are; the environment variables point the tests at other copies.
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))  # Debian's; never a downloaded browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
NODE_MODULES = Path(os.environ.get("NODE_MODULES", REPO / "node_modules"))  # npm ci, pinned in package-lock.json
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
LINKINATOR = NODE_MODULES / ".bin" / "linkinator"


def under_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def need(available: bool, what: str) -> None:
    """Skip the calling test (or fixture) unless ``available``; under CI the skip becomes a failure."""
    if not available:
        pytest.skip(f"needs {what} (make test installs it)")


def sync_playwright():
    """Playwright's sync API and Debian's chromium, or a skip saying which one is missing."""
    try:
        from playwright.sync_api import sync_playwright as start
    except ImportError:
        need(False, "Python Playwright (pip install -e '.[test]')")
    need(CHROMIUM.exists(), f"Debian's chromium at {CHROMIUM}")
    return start


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test fails: a missing checker must not leave the run green."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and under_ci() and not hasattr(report, "wasxfail") and \
            "where_the_source_is" not in item.keywords:
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        reason = reason.removeprefix("Skipped: ")
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must test everything: {reason}"


@pytest.hookimpl(hookwrapper=True)
def pytest_make_collect_report(collector):
    """The same for a module that skips itself while being collected."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and under_ci():
        report.outcome = "failed"
        report.longrepr = f"skipped under CI=true, which must test everything: {report.longrepr}"


# ---------------------------------------------------------------- the mini fixture archive

# Images of the fixture archive are made here rather than committed: (size, colour, format).
FIXTURE_IMAGES = {
    "mini": {"bags.jpg": ((2000, 1500), (120, 80, 40), "JPEG"), "card.png": ((1600, 1000), (40, 80, 120), "PNG"),
             "loom.jpg": ((1800, 1200), (90, 120, 60), "JPEG")},
}


def make_archive(dest: Path, fixture: str = "mini") -> Path:
    """Copy ``tests/fixtures/<fixture>`` to ``dest`` with absolute paths to this repo's hooks and theme."""
    from PIL import Image

    shutil.copytree(FIXTURES / fixture, dest, dirs_exist_ok=True)
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("HOOKS", str(REPO / "hooks")).replace("OVERRIDES", str(REPO / "overrides"))
    config.write_text(text, encoding="utf-8")
    for name, (size, colour, fmt) in FIXTURE_IMAGES.get(fixture, {}).items():
        Image.new("RGB", size, colour).save(dest / "photos" / name, fmt)
    return dest


@dataclass
class Build:
    root: Path
    returncode: int
    output: str

    @property
    def site(self) -> Path:
        return self.root / "site"

    def html(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")


def run_mkdocs(root: Path, *args: str, timeout: int = 300, prerender: str | None = None) -> Build:
    # A cold build lays its story pages out in a worker process (docarchive.prerender); here it waits for
    # each, so that every test build's story pages are the worker's (tests/test_prerender.py counts them):
    # laid out, the build converting their Markdown ("wait", unless the test's environment says otherwise),
    # or made whole there ("whole"). ``prerender`` given wins over the environment.
    mode = prerender if prerender is not None else os.environ.get("DOCARCHIVE_PRERENDER", "wait")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DOCARCHIVE_PRERENDER": mode}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=root, env=env, capture_output=True, text=True, timeout=timeout,
    )
    return Build(root, proc.returncode, proc.stdout + proc.stderr)


# ---------------------------------------------------------------- both editions, as `make site` builds them

ZIP = "dist/mini-offline.zip"
# The fixture gets a little more Chinese for the editions (in its temporary copy, never in
# tests/fixtures/): a registered place whose name default jieba splits (积石山县), named in
# the middle of a Chinese sentence of one story, and a person's Chinese alias.
CHINESE_SENTENCE = "工人们从积石山县来到厦门的工厂上班，带来了新的雨具订单。"
EXTRA_PLACES = """
- id: jishishan
  name: Jishishan County
  name_zh: 积石山县
  kind: county
  within: linxia
"""
EXTRA_PEOPLE = """
- id: ma-lan
  name: Ma Lan
  role: Workshop leader
  aliases: [马兰花]
  sources: [src#part-b]
"""


@dataclass
class Editions:
    root: Path
    site: Path  # the normal build (directory URLs)
    offline: Path  # the offline build (file://)
    zip: Path | None
    outputs: dict[str, str]


def add_chinese(root: Path) -> None:
    with open(root / "data" / "places.yml", "a", encoding="utf-8") as f:
        f.write(EXTRA_PLACES)
    with open(root / "data" / "people.yml", "a", encoding="utf-8") as f:
        f.write(EXTRA_PEOPLE)
    story = root / "stories" / "three" / "epsilon.md"
    story.write_text(story.read_text(encoding="utf-8") + f"\n{CHINESE_SENTENCE}\n", encoding="utf-8")
    story = root / "stories" / "three" / "epsilon.zh.md"
    story.write_text(story.read_text(encoding="utf-8") + f"\n{CHINESE_SENTENCE}\n", encoding="utf-8")
    (root / "stories" / "two" / "delta.zh.md").unlink()  # one story without its Chinese: the fallback


def build_editions(root: Path, prepare=None) -> Editions:
    """The mini fixture (with its extra Chinese): offline edition first (English, then zh/), zipped, then the site.
    ``prepare(root)``, if given, edits the copy before the builds."""
    make_archive(root)
    add_chinese(root)
    if prepare is not None:
        prepare(root)
    config_path = root / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    # The fixture's copy has no node_modules of its own: the shim comes from this repository's.
    config.setdefault("extra", {}).setdefault("docarchive", {}).update(
        {"offline_zip": ZIP, "shim_source": str(REPO / "node_modules" / "iframe-worker")})
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name in ("mkdocs-offline.yml", "mkdocs-offline-zh.yml"):
        shutil.copy(REPO / name, root / name)

    offline = run_mkdocs(root, "-f", "mkdocs-offline.yml")
    assert offline.returncode == 0, offline.output
    offline_zh = run_mkdocs(root, "-f", "mkdocs-offline-zh.yml")
    assert offline_zh.returncode == 0, offline_zh.output
    packed = subprocess.run([sys.executable, "-m", "docarchive", "zip", "site-offline", ZIP],
                            cwd=root, capture_output=True, text=True, timeout=120)
    assert packed.returncode == 0, packed.stdout + packed.stderr
    site = run_mkdocs(root)
    assert site.returncode == 0, site.output
    site_zh = run_mkdocs(root, "-f", "mkdocs-zh.yml")
    assert site_zh.returncode == 0, site_zh.output
    return Editions(root, root / "site", root / "site-offline", root / ZIP,
                    {"offline": offline.output, "site": site.output, "zip": packed.stdout,
                     "offline_zh": offline_zh.output, "site_zh": site_zh.output})


def build_real_editions(out: Path) -> Editions:
    """This repository's archive, both editions built --strict into ``out`` (the repo's own folders untouched),
    each page made whole in prerender's worker (the fixture's editions are laid out there only)."""
    outputs = {}
    # As make site: each edition in English, then its Chinese twin in zh/ (mkdocs-zh.yml).
    builds = (("mkdocs-offline.yml", "offline", ""), ("mkdocs-offline-zh.yml", "offline", "zh"),
              ("mkdocs.yml", "site", ""), ("mkdocs-zh.yml", "site", "zh"))
    for config, name, sub in builds:
        build = run_mkdocs(REPO, "-f", config, "--site-dir", str(out / name / sub), timeout=600, prerender="whole")
        assert build.returncode == 0, build.output
        outputs[f"{name}/{sub}" if sub else name] = build.output
    return Editions(REPO, out / "site", out / "offline", None, outputs)


# ---------------------------------------------------------------- serving and reading built pages


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Server:
    """A built site over http://127.0.0.1 on a free port, in a thread."""

    def __init__(self, directory: Path):
        handler = functools.partial(QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class Tags(HTMLParser):
    """Every start tag with its attributes, and the visible text: enough to check structure without a DOM."""

    def __init__(self, html: str = ""):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.parts: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.parts.append(data)

    @property
    def text(self) -> str:
        return re.sub(r"\s+", " ", "".join(self.parts))

    def all(self, tag: str, **match) -> list[dict]:
        """Tags named ``tag`` whose attributes contain each of ``match``'s values."""
        return [a for t, a in self.tags if t == tag and all(match[k] in (a.get(k) or "") for k in match)]


def content(html: str) -> str:
    """The article part of a Material page (skips header, nav and footer)."""
    start = html.index('<article class="md-content__inner')
    return html[start: html.index("</article>", start)]


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the hash of its bytes: compares two states of a built site."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# One page of each kind in the real archive (the Lighthouse bench and the mobile audit test read it).
REAL_PAGE_KINDS = {
    "home": "",
    "stage": "stages/root/",
    "story": "stories/butterfly/anji-umbrella-workshop/",
    "timeline": "timeline/",
    "figures": "figures/",
    "entity": "people/ye-jian/",
    "gallery": "photos/",
    "photo": "photos/jiming-shoes-workshop/",
    "about": "about/",
}
