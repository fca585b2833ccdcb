"""Independent checkers over the built fixture site: the Nu HTML validator, axe-core, linkinator.

All three are npm packages pinned in package-lock.json (``npm ci``; ``make test``
installs them) and run offline. Each is skipped, with the reason, when its
tool is missing, so a plain ``pytest`` without node_modules still runs the rest;
under ``CI=true`` such a skip is a failure (see support.py).
"""

from __future__ import annotations

import json
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from support import Server


# ---------------------------------------------------------------- Nu HTML validator

# Errors in Material's own page frame (its base.html and partials), not in the archive's markup:
# - autocomplete="off" on the drawer and search toggles (checkboxes) keeps Firefox from restoring
#   them open on reload; the HTML spec allows autocomplete only on text-like inputs.
MATERIAL_FRAME_ERRORS = (
    "Attribute “autocomplete” is only allowed when the input type is",
)


# The checkers are fixtures (conftest.py), asked for before the builds they check: a missing
# one is reported (a skip, or a failure under CI=true) before any time is spent building.

@pytest.fixture(scope="module")
def vnu_run(vnu, editions, tmp_path_factory):
    """One validator run (one JVM start) over both editions and a canary page it must reject.

    Returns the messages and the files it says it checked (``--verbose`` names each on stdout).
    """
    canary = tmp_path_factory.mktemp("canary") / "canary.html"
    canary.write_text("<!doctype html><html lang=en><title>x</title><p><div>block in p</p>", encoding="utf-8")
    proc = subprocess.run(["java", "-jar", str(vnu), "--verbose", "--skip-non-html", "--errors-only",
                           "--format", "json", str(editions.site), str(editions.offline), str(canary)],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(proc.stderr)["messages"]
    assert any(m.get("url", "").endswith("canary.html") for m in messages), "the validator checked nothing"
    checked = {Path(line).resolve() for line in proc.stdout.splitlines() if line.strip()}
    return messages, checked


@pytest.mark.parametrize("edition", ["site", "offline"])
def test_nu_html_validator_finds_no_errors(vnu_run, editions, edition):
    messages, checked = vnu_run
    site = getattr(editions, edition).resolve()
    pages = set(site.rglob("*.html"))
    assert len(pages) > 20 and checked >= pages, f"not validated: {sorted(pages - checked)[:5]}"
    folder = site.as_uri().removeprefix("file://") + "/"
    mine = [m for m in messages if folder in m.get("url", "")]
    errors = [f"{m['url'].split(folder)[-1]}:{m.get('lastLine')}: {m['message']}"
              for m in mine if not m["message"].startswith(MATERIAL_FRAME_ERRORS)]
    assert errors == []
    assert len(mine) < 400  # the frame errors are a few per page, not a flood
    # The Chinese edition (zh/) was validated with the rest: its pages have the same frame errors.
    assert any(f"{folder}zh/" in m.get("url", "") for m in mine)


# ---------------------------------------------------------------- axe-core

AXE_PAGES = {
    "home": "",
    "stage": "stages/one/",
    "story": "stories/one/alpha/",
    "timeline": "timeline/",
    "figures": "figures/",
    "gallery": "photos/",
    "photo": "photos/bags/",
    "place": "places/jishishan/",
    "people": "people/",
    "browse": "browse/",
    "data": "data/",
    # The Chinese edition (zh/): the same layouts in Chinese, and English standing in for a missing translation.
    "zh-home": "zh/",
    "zh-story": "zh/stories/one/alpha/",
    "zh-untranslated-story": "zh/stories/two/delta/",
    "zh-timeline": "zh/timeline/",
    "zh-figures": "zh/figures/",
    "zh-photo": "zh/photos/bags/",
    "zh-place": "zh/places/jishishan/",
    "zh-about": "zh/about/",
    "zh-browse": "zh/browse/",
    "zh-data": "zh/data/",
}


@pytest.fixture(scope="module")
def axe_results(axe, browser, editions):
    server = Server(editions.site)
    results = {}
    page = browser.new_page()
    try:
        for name, path in AXE_PAGES.items():
            page.goto(server.url + path)
            page.add_script_tag(path=str(axe))
            results[name] = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map("
                "v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))")
    finally:
        page.close()
        server.close()
    return results


@pytest.mark.browser
@pytest.mark.parametrize("name", list(AXE_PAGES))
def test_axe_finds_no_serious_or_critical_violations(axe_results, name):
    serious = [v for v in axe_results[name] if v["impact"] in ("serious", "critical")]
    assert serious == []


# ---------------------------------------------------------------- links

@pytest.mark.parametrize("edition", ["site", "offline"])
def test_linkinator_finds_no_broken_links(linkinator, editions, edition):
    # linkinator serves the folder itself on localhost; links off the site are not followed (no network).
    proc = subprocess.run([str(linkinator), str(getattr(editions, edition)), "--recurse", "--format", "json",
                           "--skip", "^(?!http://localhost)"], capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stdout)
    broken = [(link["url"], link["status"], link.get("parent")) for link in report["links"]
              if link["state"] == "BROKEN"]
    assert broken == [] and report["passed"], proc.stderr[-2000:]
    checked = {link["url"] for link in report["links"]}
    assert len(checked) > 40  # it really crawled the site


class _Anchors(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def _target(page: Path, href: str, site: Path) -> Path | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page
    target = (page.parent / unquote(parts.path)).resolve()
    if target.is_dir():
        target = target / "index.html"
    return target if site.resolve() in target.parents or target == site.resolve() else None


@pytest.mark.parametrize("edition", ["site", "offline"])
def test_every_fragment_link_lands_on_an_element(editions, edition):
    """linkinator 6.3.0 has no --check-fragments: check every #anchor of the built pages here."""
    site = getattr(editions, edition)
    parsed: dict[Path, _Anchors] = {}

    def anchors(path: Path) -> _Anchors:
        if path not in parsed:
            parser = _Anchors()
            parser.feed(path.read_text(encoding="utf-8"))
            parsed[path] = parser
        return parsed[path]

    missing, checked = [], 0
    for page in sorted(site.resolve().rglob("*.html")):
        for href in anchors(page).hrefs:
            fragment = urlsplit(href).fragment
            target = _target(page, href, site)
            if not fragment or target is None or target.suffix != ".html":
                continue
            checked += 1
            if not target.is_file() or unquote(fragment) not in anchors(target).ids:
                missing.append(f"{page.relative_to(site.resolve())}: {href}")
    assert missing == []
    assert checked > 20
