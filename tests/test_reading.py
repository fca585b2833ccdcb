"""The reading experience of this repository's archive in a real browser (headless Debian Chromium),
at a phone's 390×844 and a laptop's 1366×900: the fonts actually drawn, where a story's text begins,
that no page scrolls sideways, the year strip, the way through. Needs fonts-noto-cjk
(tools/install-test-deps.sh installs it): the review's finding was English drawn in a CJK face."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from editions import Server

sync_api = pytest.importorskip("playwright.sync_api")
REPO = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}
CJK_FAMILIES = ("CJK", "Source Han", "Songti", "SimSun", "STSong", "PingFang", "YaHei", "Hiragino", "DA Han")

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (/usr/bin/chromium)")]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("reading") / "site"
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                          cwd=REPO, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return site


@pytest.fixture(scope="module")
def server(site):
    server = Server(site)
    yield server
    server.close()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser):
    page = browser.new_page(viewport=VIEWPORTS[request.param])
    yield page
    page.close()


def pages_of(site: Path, prefix: str = "") -> list[str]:
    """URL paths of the built pages under ``prefix`` (directory URLs)."""
    return sorted(p.parent.relative_to(site).as_posix() + "/" for p in site.glob(f"{prefix}**/index.html")
                  if "assets" not in p.parts)


def platform_fonts(page, selector: str) -> list[str]:
    """The fonts Chromium really used to draw the text of the first element matching ``selector``."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"no {selector}"
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return [f["familyName"] for f in fonts]


# ---- 1. fonts

def test_fonts_noto_cjk_is_installed_for_this_test():
    out = subprocess.run(["fc-list", ":lang=zh-cn", "family"], capture_output=True, text=True).stdout
    assert "Noto Serif CJK SC" in out and "Noto Sans CJK SC" in out, "apt-get install fonts-noto-cjk"


@pytest.mark.parametrize("selector", [".da-prose > p", ".da-lede", "h1", ".md-nav__link"])
def test_english_is_not_drawn_in_a_cjk_face(page, server, selector):
    page.goto(server.url + "stories/root/xialin-shoes-mixed-ownership/")
    used = platform_fonts(page, selector)
    assert used and not [f for f in used if any(c in f for c in CJK_FAMILIES)], used


def test_chinese_spans_are_drawn_in_a_cjk_face(page, server):
    page.goto(server.url + "places/hezheng/")
    used = platform_fonts(page, 'h1 [lang="zh-Hans"]')
    assert used and all("CJK" in f for f in used), used


def test_materials_text_font_variable_takes_effect(page, server):
    page.goto(server.url)
    body = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert body.startswith("-apple-system, BlinkMacSystemFont") and "DA Han Sans" in body, body


# ---- 2. stories start at once

FIRST_PARAGRAPH = "(() => { const p = document.querySelector('.da-prose > p'); return p && p.getBoundingClientRect().top + scrollY; })()"


@pytest.fixture(scope="module")
def story_layouts(browser, server, site):
    """For every story at the phone's size: where its first paragraph begins and the order of its parts."""
    page = browser.new_page(viewport=PHONE)
    out = {}
    for path in pages_of(site, "stories/"):
        page.goto(server.url + path)
        out[path] = page.evaluate(
            "(() => ({first: " + FIRST_PARAGRAPH + ","
            " order: [...document.querySelectorAll('.da-story > *')].map(e => e.className.split(' ')[0] || e.tagName),"
            " lede: getComputedStyle(document.querySelector('.da-lede')).color,"
            " text: getComputedStyle(document.querySelector('.da-prose > p')).color,"
            " metaLines: Math.round(document.querySelector('.da-meta-line').getBoundingClientRect().height /"
            "   parseFloat(getComputedStyle(document.querySelector('.da-meta-line')).lineHeight)),"
            " sourceLines: [...document.querySelectorAll('.da-story')].map(e => e.innerText.match(/Xinhua Daily Telegraph, September 2020/g)?.length || 0)[0]}))()")
    page.close()
    return out


def test_every_story_has_its_first_paragraph_on_the_first_phone_screen(story_layouts):
    assert len(story_layouts) >= 31
    late = {path: round(v["first"]) for path, v in story_layouts.items() if not v["first"] or v["first"] > 844 - 60}
    assert not late, late  # at least two lines of the text show on the first screen


def test_a_story_opens_with_one_meta_line_and_has_its_panel_after_the_text(story_layouts):
    for path, v in story_layouts.items():
        order = v["order"]
        assert order.index("da-meta-line") < order.index("da-lede") < order.index("da-prose") \
            < order.index("da-meta") < order.index("da-pager"), (path, order)
        assert v["metaLines"] <= 4, (path, v["metaLines"])  # long organization names wrap on a phone


def test_the_lede_is_set_in_the_text_colour_and_the_source_is_named_once(story_layouts):
    for path, v in story_layouts.items():
        assert v["lede"] == v["text"], path
        assert v["sourceLines"] <= 1, (path, v["sourceLines"])
