"""The reading experience of this repository's archive in a real browser (headless Debian Chromium),
at a phone's 390×844 and a laptop's 1366×900: the fonts actually drawn, where a story's text begins,
that no page scrolls sideways, the year strip, the way through. Needs fonts-noto-cjk
(tools/install-test-deps.sh installs it): the review's finding was English drawn in a CJK face."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from support import CHROMIUM, Server

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 900}
VIEWPORTS = {"phone": PHONE, "laptop": LAPTOP}
CJK_FAMILIES = ("CJK", "Source Han", "Songti", "SimSun", "STSong", "PingFang", "YaHei", "Hiragino", "DA Han")

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium (/usr/bin/chromium)")]


@pytest.fixture(scope="module")
def site(real_editions) -> Path:
    return real_editions.site


@pytest.fixture(scope="module")
def server(site):
    server = Server(site)
    yield server
    server.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser):
    page = browser.new_page(viewport=VIEWPORTS[request.param])
    yield page
    page.close()


def pages_of(site: Path, prefix: str = "", zh: bool = False) -> list[str]:
    """URL paths of the built pages under ``prefix`` (directory URLs), of the English edition or the Chinese."""
    base = site / "zh" if zh else site
    paths = (p.parent.relative_to(site).as_posix() + "/" for p in base.glob(f"{prefix}**/index.html")
             if "assets" not in p.parts and (zh or "zh" not in p.relative_to(site).parts[:1]))
    return sorted(p.removeprefix("./") for p in paths)


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
    # Story pages only: stories/<stage>/<slug>/, not /stories/ itself (which leads to browse).
    for path in (p for p in pages_of(site, "stories/") if p.count("/") == 3):
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


# ---- 6 (and every point): no page scrolls sideways

def page_kinds(site: Path, zh: bool = False) -> dict[str, list[str]]:
    kinds: dict[str, list[str]] = {}
    for path in pages_of(site, zh=zh):
        rel = path.removeprefix("zh/")
        kind = rel.split("/")[0] if rel.count("/") > 1 else (rel.strip("/") or "home")
        kinds.setdefault(kind, []).append(path)
    return kinds


def test_no_page_scrolls_sideways_on_a_phone(browser, server, site):
    page = browser.new_page(viewport=PHONE)
    wide = {}
    for path in pages_of(site):
        page.goto(server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            wide[path] = width
    page.close()
    assert len(pages_of(site)) > 100
    assert not wide, wide


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_no_page_kind_of_either_edition_scrolls_sideways(browser, server, site, viewport):
    page = browser.new_page(viewport=VIEWPORTS[viewport])
    wide = {}
    kinds = page_kinds(site)
    assert {"home", "stories", "stages", "people", "places", "organizations", "photos", "timeline", "figures",
            "sources", "about"} <= kinds.keys()
    for kind, paths in [*kinds.items(), *page_kinds(site, zh=True).items()]:
        for path in paths[:2]:
            page.goto(server.url + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > VIEWPORTS[viewport]["width"]:
                wide[path] = width
    page.close()
    assert not wide, wide


# ---- 5. the timeline as a picture

STRIP = """(() => [...document.querySelectorAll('.da-yearstrip ol > li')].map(li => {
  const label = li.querySelector('.da-yearstrip__year'), r = label.getBoundingClientRect();
  return {year: label.textContent.trim().slice(0, 4), left: r.left, top: r.top};
}))()"""


@pytest.mark.parametrize("path", ["timeline/", ""])
def test_year_strip_keeps_its_years_in_one_row_in_order(page, server, path):
    page.goto(server.url + path)
    years = page.evaluate(STRIP)
    assert [y["year"] for y in years] == [str(y) for y in range(2010, 2021)]
    assert len({round(y["top"]) for y in years}) == 1, years  # one row: never wrapped
    lefts = [y["left"] for y in years]
    assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts)


def test_each_dot_is_a_named_link_to_its_entry(page, server):
    page.goto(server.url + "timeline/")
    dots = page.eval_on_selector_all(".da-yearstrip a.da-dot", "els => els.map(a => ({"
                                     "href: a.getAttribute('href'), name: a.querySelector('.da-sr-only').textContent,"
                                     "target: !!document.getElementById(a.hash.slice(1)), text: a.querySelector('[aria-hidden]').textContent}))")
    assert len(dots) == 36
    for dot in dots:
        assert dot["target"] and dot["name"] and dot["text"].isdigit(), dot  # the stage number: not colour alone
    kinds = page.eval_on_selector_all(".da-yearstrip a.da-dot", "els => els.map(a => a.className)")
    assert sum("da-dot--plan" in k for k in kinds) == 6 and sum("da-dot--found" in k for k in kinds) >= 10
    mark = ".da-yearstrip a.da-dot--plan > [aria-hidden]"  # the link is the touch target, its mark the diamond
    assert page.eval_on_selector(mark, "a => getComputedStyle(a).clipPath") != "none"


def test_stage_filter_shows_one_stage_and_without_script_everything(browser, server):
    page = browser.new_page(viewport=LAPTOP)
    page.goto(server.url + "timeline/")
    page.check('form[data-da-filter] input[value="root"]')
    shown = page.eval_on_selector_all(".da-events > li.da-event", "els => els.filter(e => e.offsetParent)"
                                      ".map(e => e.dataset.stage)")
    assert shown and set(shown) == {"root"}
    page.check('form[data-da-filter] input[value=""]')
    assert page.eval_on_selector_all(".da-events > li.da-event", "els => els.filter(e => e.offsetParent).length") == 36
    page.close()
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url + "timeline/")
    assert not page.is_visible("form[data-da-filter]")
    assert page.eval_on_selector_all(".da-events > li.da-event", "els => els.filter(e => e.offsetParent).length") == 36
    context.close()


# ---- 3. the home page explains the archive at a glance

def test_home_has_headline_numbers_linking_to_their_figures_and_a_schematic_with_text(page, server):
    page.goto(server.url)
    links = page.eval_on_selector_all(".da-headline a.da-headline__link", "els => els.map(a => a.href)")
    assert len(links) == 4
    for href in links:
        page.goto(href)
        assert page.evaluate("!!document.querySelector(':target')"), href  # the figure's row exists
        assert page.evaluate("getComputedStyle(document.querySelector(':target')).outlineStyle") != "none"
    page.goto(server.url)
    assert page.is_visible("svg.da-flows__svg")
    assert page.get_attribute("svg.da-flows__svg", "aria-hidden") == "true"
    items = page.eval_on_selector_all(".da-flows__list li", "els => els.map(e => e.textContent)")
    assert any(i.startswith("To Xiamen: more than 3,000 people") for i in items)
    assert any(i.startswith("To Linxia Hui Autonomous Prefecture: more than 800 cadres") for i in items)
    tiles = page.eval_on_selector_all(".da-stage-tile", "els => els.map(e => e.innerText)")
    assert len(tiles) == 5 and all(t.strip()[0].isdigit() for t in tiles)
    assert "five sections of the September 2020" in page.inner_text(".da-home")


# ---- 6. key figures

def test_chart_captions_read_as_words_and_chart_ids_are_ids(page, server):
    page.goto(server.url + "figures/")
    charts = page.eval_on_selector_all("figure.da-chart", "els => els.map(f => ({id: f.id,"
                                       " caption: f.querySelector('figcaption').textContent.trim()}))")
    assert charts
    for chart in charts:
        assert " " not in chart["id"], chart
        assert "-" not in chart["caption"] and ", in " not in chart["caption"], chart
    sources = page.eval_on_selector_all("ul.da-bars > li", "els => els.map(li => !!li.querySelector('.da-source-short'))")
    assert sources and all(sources)


def test_figures_are_stacked_cards_on_a_phone_and_a_table_on_a_laptop(browser, server):
    for viewport, display in ((PHONE, "block"), (LAPTOP, "table-row")):
        page = browser.new_page(viewport=viewport)
        page.goto(server.url + "figures/")
        assert page.eval_on_selector("table.da-figure-table tbody tr", "tr => getComputedStyle(tr).display") == display
        source = page.eval_on_selector("table.da-figure-table tbody tr td:last-child", "td => td.getBoundingClientRect().right")
        assert source <= viewport["width"]  # the source column is on screen
        page.close()


# ---- 4. stages told apart by more than colour

def test_story_cards_name_their_stage(page, server):
    page.goto(server.url + "places/hezheng/")
    metas = page.eval_on_selector_all(".da-card__meta", "els => els.map(e => e.textContent)")
    assert metas and all(any(s in m for s in ("Butterfly", "Ice break", "Root", "Growth", "Bloom")) for m in metas)
