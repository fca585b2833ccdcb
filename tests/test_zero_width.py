"""Zero-width spaces (U+200B) segment Chinese words in the search index, and appear nowhere a reader sees.

Material's search puts one around each Chinese word of the index; search results show titles and text
from it. Checked over every built page of both editions of this repository's archive (text nodes,
<title>, headings, and the attributes that are read aloud or shown), and in the browser over search
results and what a reader copies from them.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from support import Server
from test_browser_search import page_url, search

ZWSP = "\u200b"
SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "content", "placeholder", "data-da-caption")


class Shown(HTMLParser):
    """Each piece of text a page shows or reads aloud, with where it is: ``(tag, text)``."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.found.append((f"{tag}[{name}]", value))
        if tag not in ("meta", "link", "img", "br", "hr", "input", "source"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if self.open and self.open[-1] in ("script", "style"):
            return
        heading = next((t for t in reversed(self.open) if t in ("title", "h1", "h2", "h3", "h4")), "text")
        self.found.append((heading, data))


def shown_text(path: Path) -> list[tuple[str, str]]:
    parser = Shown()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


def test_the_scan_sees_the_title_headings_text_and_shown_attributes_but_not_scripts():
    parser = Shown()
    parser.feed(f"<title>和{ZWSP}政</title><h2>a<em>b{ZWSP}</em></h2><p>c{ZWSP}</p><img alt='d{ZWSP}'>"
                f"<script>var x = '{ZWSP}';</script>")
    assert [where for where, text in parser.found if ZWSP in text] == ["title", "h2", "text", "img[alt]"]


def test_no_zero_width_space_in_any_page_of_either_edition(real_editions):
    site = real_editions.site
    pages = sorted(site.rglob("*.html"))
    assert len([p for p in pages if "zh" in p.relative_to(site).parts[:1]]) > 50  # the Chinese edition too
    found = [(p.relative_to(site).as_posix(), where, text.strip()[:60]) for p in pages
             for where, text in shown_text(p) if ZWSP in text]
    assert found == []
    # ...while the Chinese index keeps them: that is how its search finds Chinese words.
    index = (site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert ZWSP in index or "\\u200b" in index


@pytest.mark.browser
@pytest.mark.parametrize("edition", ["http", "file"])
def test_search_results_show_and_copy_no_zero_width_space(browser, editions, edition):
    server = Server(editions.site) if edition == "http" else None
    base = server.url if server else editions.offline.as_uri() + "/"
    try:
        page = browser.new_page()
        for home, query in (("zh/", "和政"), ("zh/", "结对"), ("", "Hezheng")):
            page.goto(page_url(edition, base + home, "index.md"))
            assert search(page, query), (edition, query)
            shown = page.eval_on_selector_all(".md-search-result__item", "els => els.map(e => e.textContent)")
            assert shown and not [text for text in shown if ZWSP in text], (edition, query)
            # What a copy gives: the rendered text (innerText), as the clipboard gets it.
            copied = page.eval_on_selector(".md-search-result__list", "el => el.innerText")
            assert copied.strip() and ZWSP not in copied, (edition, query)
        page.close()
    finally:
        if server:
            server.close()
