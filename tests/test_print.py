"""Print, in the browser: Chromium with ``emulate_media(media="print")`` applies the print stylesheet.

Checked on the pages people print (a story with a placeholder for a published photograph, a placeholder's
photo page, the key figures, the timeline, an entity page) of both editions, over http and file://:
no navigation chrome, no placeholder cards, no blurred preview behind a picture, figures, charts, rows and
cards kept whole (break-inside: avoid), and a last line with the page's full address and how to cite it;
on screen that line is hidden.
"""

from __future__ import annotations

import pytest
from support import Server
from test_browser_search import page_url

pytestmark = [pytest.mark.browser]

PAGES = ["stories/one/aardvark.md", "stories/three/epsilon.md", "photos/card.md", "figures.md", "timeline.md",
         "places/hezheng.md"]
KEPT_WHOLE = ("figure", ".da-chart", ".da-headline", ".da-card", "li.da-event", "tr", ".da-photo-record",
              ".da-thumb", ".da-named__item", ".da-yearstrip")
HIDDEN = (".md-header", ".md-sidebar", ".md-footer", ".da-photo--placeholder", ".da-photo-record__card")

SEEN = """([kept, hidden]) => {
  const shown = el => el.getClientRects().length > 0 && getComputedStyle(el).display !== 'none';
  const all = sel => [...document.querySelectorAll(sel)];
  const cite = document.querySelector('.da-print-cite');
  return {
    split: kept.flatMap(sel => all(sel).filter(shown).filter(el => getComputedStyle(el).breakInside !== 'avoid')
                                     .map(() => sel)),
    whole: kept.reduce((n, sel) => n + all(sel).filter(shown).length, 0),
    hidden: hidden.flatMap(sel => all(sel).filter(shown).map(() => sel)),
    previews: all('.da-picture').filter(el => getComputedStyle(el).backgroundImage !== 'none').length,
    pictures: all('.da-picture').length,
    cite: cite && shown(cite) ? cite.innerText : null,
    address: location.href.split('#')[0].split('?')[0],
    title: document.querySelector('article h1').textContent.trim(),
  };
}"""


@pytest.fixture(scope="module", params=["http", "file"])
def printed(request, browser, editions):
    server = Server(editions.site) if request.param == "http" else None
    base = server.url if server else editions.offline.as_uri() + "/"
    seen = {}
    try:
        page = browser.new_page()
        for lang, root in (("en", base), ("zh", base + "zh/")):
            for src in PAGES:
                page.goto(page_url(request.param, root, src))
                page.emulate_media(media="screen")
                on_screen = page.locator(".da-print-cite").is_visible()
                page.emulate_media(media="print")
                seen[lang, src] = {**page.evaluate(SEEN, [list(KEPT_WHOLE), list(HIDDEN)]), "on_screen": on_screen}
        page.close()
    finally:
        if server:
            server.close()
    return request.param, seen


def test_print_keeps_figures_charts_rows_and_cards_whole(printed):
    edition, seen = printed
    assert sum(s["whole"] for s in seen.values()) > 20  # the pages have such blocks to keep whole
    assert {key: s["split"] for key, s in seen.items() if s["split"]} == {}, edition


def test_print_shows_no_chrome_no_placeholder_card_and_no_blurred_preview(printed):
    edition, seen = printed
    assert {key: s["hidden"] for key, s in seen.items() if s["hidden"]} == {}, edition
    assert seen["en", "stories/three/epsilon.md"]["pictures"] > 0  # real photographs, printed without preview
    assert {key: s["previews"] for key, s in seen.items() if s["previews"]} == {}, edition


def test_print_ends_with_the_address_and_how_to_cite_the_page(printed):
    edition, seen = printed
    for (lang, src), s in seen.items():
        assert s["cite"] and not s["on_screen"], (edition, lang, src)
        assert s["cite"].startswith(("Printed from " if lang == "en" else "打印自 ") + s["address"]), s["cite"]
        assert "http://127.0.0.1:8000/" in s["cite"].split("\n")[-1], s["cite"]  # cited by its published address
        label = "How to cite this page:" if lang == "en" else "引用本页："
        assert label in s["cite"], s["cite"]
    # A story cites itself in the archive's citation style; other pages by title, archive and address.
    story = seen["en", "stories/one/aardvark.md"]["cite"]
    assert "“aardvark story”" in story.lower() and "Fixture Archive" in story, story  # Chicago: title case
    entity = seen["en", "places/hezheng.md"]["cite"]
    assert "Hezheng County (和政县). Fixture archive. http://127.0.0.1:8000/places/hezheng" in entity, entity
