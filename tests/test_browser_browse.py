"""The browse page in headless Chromium, over http and from file://: facets, words, URL state,
the back button, shared links, the keyboard, axe-core, and the page without a script.

Which cards should show is computed from the loaded model, not written down, so the
test follows the fixture: OR within a facet, AND across facets.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import Server, build_editions

from docarchive.model import load_archive

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"
# The browser is the session's one headless Chromium (conftest.py's ``browser``).

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (/usr/bin/chromium)")]


# In this test's copy of the fixture, stories differ in places, people and tags, so that
# OR within a facet and AND across facets give different lists.
VARIED = {
    "one/alpha": ("[hezheng]", "[tian]", "[test]"),
    "one/aardvark": ("[linxia]", "[]", "[test, bird's nests]"),
    "one/beta": ("[hezheng, linxia]", "[ma-lan]", "[test]"),
    "two/delta": ("[jishishan]", "[tian]", "[China–Europe Railway Express]"),
    "two/gamma": ("[linxia]", "[tian]", "[test]"),
}


def vary(root: Path) -> None:
    for rel, (places, people, tags) in VARIED.items():
        path = root / "stories" / f"{rel}.md"
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"^places: .*$", f"places: {places}", text, count=1, flags=re.M)
        text = re.sub(r"^people: .*$", f"people: {people}", text, count=1, flags=re.M)
        text = re.sub(r"^tags: .*$", f"tags: {tags}", text, count=1, flags=re.M)
        path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    return build_editions(tmp_path_factory.mktemp("browse") / "archive", prepare=vary)


@pytest.fixture(scope="module")
def model(editions):
    return load_archive(editions.root)


@pytest.fixture(scope="module", params=["http", "file"])
def site(request, editions):
    """(kind, browse page URL, the URL of a page from its source path without .md) for one edition."""
    if request.param == "http":
        server = Server(editions.site)
        yield "http", server.url + "browse/", lambda src: server.url + src.removesuffix("index").rstrip("/") + "/"
        server.close()
    else:
        base = editions.offline.as_uri() + "/"
        yield "file", base + "browse/index.html", lambda src: base + src + ".html"


def ready(page) -> None:
    """After a click that opens browse: wait until browse.js has applied the URL's selection."""
    page.wait_for_load_state()
    page.wait_for_function("document.querySelector('[data-da-status]')?.textContent")


def visible_titles(page) -> list[str]:
    return sorted(page.eval_on_selector_all("[data-da-card]:not([hidden]) .da-card__title",
                                            "els => els.map(e => e.textContent)"))


def expect(model, **selection) -> list[str]:
    """Titles of the stories that match: any value within a facet, every facet."""
    def values(story, facet):
        return {"place": [p.id for p in story.places], "person": [p.id for p in story.people],
                "stage": [story.stage.id], "year": [str(story.date.year)]}[facet]
    return sorted(s.title for s in model.stories
                  if all(set(values(s, f)) & set(v) for f, v in selection.items()))


def selection(url: str) -> str:
    return url.split("browse/", 1)[1].removeprefix("index.html")


def test_facets_filter_in_place_with_or_within_and_across(page, site, model):
    kind, url, _ = site
    page.goto(url)
    assert page.locator("#da-browse-filters").is_visible()
    assert visible_titles(page) == sorted(s.title for s in model.stories)
    assert page.locator("[data-da-status]").text_content() == f"Showing all {len(model.stories)} stories."

    page.check("#da-f-place-hezheng")
    assert visible_titles(page) == expect(model, place=["hezheng"])
    marker = "#" if kind == "file" else "?"
    assert selection(page.url) == f"{marker}place=hezheng"
    page.check("#da-f-place-linxia")
    assert visible_titles(page) == expect(model, place=["hezheng", "linxia"])
    page.check("#da-f-person-tian")
    wanted = expect(model, place=["hezheng", "linxia"], person=["tian"])
    assert visible_titles(page) == wanted and 0 < len(wanted) < len(model.stories)
    assert selection(page.url) == f"{marker}place=hezheng&place=linxia&person=tian"
    status = page.locator("[data-da-status]").text_content()
    assert status == f"Showing {len(wanted)} of {len(model.stories)} stories."
    # A value's count is what choosing it would give, with the other facets as they are.
    stage_one = page.locator("label[for=da-f-stage-one] [data-count]").text_content()
    assert stage_one == f"({len(expect(model, place=['hezheng', 'linxia'], person=['tian'], stage=['one']))})"

    page.go_back()
    assert visible_titles(page) == expect(model, place=["hezheng", "linxia"])
    assert not page.is_checked("#da-f-person-tian") and page.is_checked("#da-f-place-linxia")
    page.go_back()
    assert visible_titles(page) == expect(model, place=["hezheng"])
    page.go_forward()
    assert visible_titles(page) == expect(model, place=["hezheng", "linxia"])


def test_a_shared_link_restores_the_selection(page, site, model):
    kind, url, _ = site
    marker = "#" if kind == "file" else "?"
    page.goto(f"{url}{marker}place=hezheng&person=tian")
    assert page.is_checked("#da-f-place-hezheng") and page.is_checked("#da-f-person-tian")
    assert visible_titles(page) == expect(model, place=["hezheng"], person=["tian"])
    if kind == "file":  # a link written for the web (?place=...) works from a folder too
        page.goto(f"{url}?stage=two")
        assert visible_titles(page) == expect(model, stage=["two"])


def test_words_narrow_titles_and_summaries_and_clear_resets(page, site, model):
    _, url, _ = site
    page.goto(url)
    page.fill("#da-browse-q", "aardvark")
    assert visible_titles(page) == ["Aardvark story"]
    assert "q=aardvark" in page.url
    page.click("[data-da-clear]")
    page.wait_for_function("document.querySelectorAll('[data-da-card][hidden]').length === 0")
    assert visible_titles(page) == sorted(s.title for s in model.stories)
    assert page.input_value("#da-browse-q") == ""


def test_keyboard_alone_chooses_a_value(page, site, model):
    _, url, _ = site
    page.goto(url)
    page.focus("#da-browse-q")
    page.keyboard.press("Tab")  # to the first stage's checkbox
    assert page.evaluate("document.activeElement.id") == "da-f-stage-one"
    page.keyboard.press("Space")
    assert visible_titles(page) == expect(model, stage=["one"])
    # Every checkbox has a label naming its value and its count; every facet a legend.
    unlabeled = page.eval_on_selector_all(
        "#da-browse-filters input", "els => els.filter(e => !e.labels || !e.labels.length).length")
    assert unlabeled == 0
    assert page.locator("#da-browse-filters fieldset").count() == page.locator("#da-browse-filters legend").count()


def test_entity_pages_and_tag_chips_open_browse_with_their_facet(page, site, model):
    _, _, folder = site
    page.goto(folder("places/hezheng"))
    page.click(".da-browse-link a")
    ready(page)
    assert page.is_checked("#da-f-place-hezheng")
    assert visible_titles(page) == expect(model, place=["hezheng"])
    page.goto(folder("stories/two/delta"))
    page.click("a.da-tag")
    ready(page)
    checked = page.eval_on_selector_all("input[name=tag]:checked", "els => els.map(e => e.value)")
    assert checked == ["china-europe-railway-express"]
    assert visible_titles(page) == ["Delta story"]


@pytest.mark.skipif(not AXE.is_file(), reason="needs npm axe-core")
def test_axe_finds_nothing_serious_with_filters_shown_and_chosen(page, site):
    _, url, _ = site
    page.goto(url)
    page.check("#da-f-place-hezheng")
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map("
        "v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))")
    assert [v for v in violations if v["impact"] in ("serious", "critical")] == []


def test_without_javascript_the_page_is_every_story_grouped_by_stage(browser, site, model):
    _, url, _ = site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(url)
    assert not page.locator("#da-browse-filters").is_visible()
    assert visible_titles(page) == sorted(s.title for s in model.stories)
    headings = page.eval_on_selector_all("[data-da-group] h2", "els => els.map(e => e.textContent)")
    assert headings == [s.title for s in model.stages if model.stories_in(s)]
    context.close()


def test_stories_folder_leads_to_browse(page, site):
    _, url, folder = site
    page.goto(folder("stories/index"))
    page.click("text=Browse them all")
    ready(page)
    assert page.url.split("#")[0].split("?")[0] == url
