"""searchinput: Material's search parser reads the same sections from a page with its long excluded lists
left out as from the whole page; and whatever it might read differently is left whole.

The pages are the mini fixture's, rendered without MkDocs (as in test_pages); Material's
own parser (material.plugins.search.plugin.Parser) is the judge.
"""

from __future__ import annotations

import pytest
from material.plugins.search import plugin as material_search
from support import make_archive

from docarchive import pages, render, searchinput
from docarchive.images import Derivative, Rendition
from docarchive.mkdocs_glue import THEME_DIR
from docarchive.model import load_archive


def sections(html: str) -> list[tuple]:
    parser = material_search.Parser()
    parser.feed(html)
    parser.close()
    return [(repr(s), s.id, "".join(s.title), "".join(s.text), s.is_excluded()) for s in parser.data]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, str]:
    archive = load_archive(make_archive(tmp_path_factory.mktemp("search-input") / "archive"))
    env = render.make_env([THEME_DIR])
    media = {photo.id: Rendition(photo.id, 640, 480, "#336699", (Derivative(f"media/{photo.id}.jpeg", 640, 480, "jpeg",
                                                                            1000),), "") for photo in archive.photos}
    return {spec.src_uri: render.render_page(env, spec, archive, "<p>The body.</p>", render.Linker(lambda uri: uri),
                                             media) for spec in pages.plan_pages(archive)}


def test_the_void_tags_are_materials():
    assert searchinput.VOID == material_search.void


def test_every_page_gives_the_search_the_same_sections_and_is_put_back_whole(rendered):
    hollowed = 0
    for uri, html in rendered.items():
        out, kept = searchinput.hollow(html, min_size=0)
        hollowed += len(kept)
        assert sections(out) == sections(html), uri
        assert searchinput.restore(out, kept) == html, uri
    assert hollowed > 10  # the story lists of stage, entity, browse and home pages


LIST = '<ul class="cards" data-search-exclude>{}</ul>'
CARD = '<li><a href="x/">A story</a><p>Its summary.</p></li>'


@pytest.mark.parametrize("inside", [
    CARD + "<ul><li>nested</li></ul>",  # Material matches elements by tag name: the inner </ul> ends the skip
    CARD + '<h2 id="x">A heading</h2>',  # a heading starts a section even when skipped
    CARD + "<!-- a comment -->",
    CARD + "<p>unclosed",
    CARD + '<span data-search-exclude>more</span>',
    CARD + "<script>var a = '<li>';</script>",
    CARD + "<a title='single > quoted'>x</a>",
])
def test_what_the_parser_might_read_otherwise_is_left_whole(inside):
    html = "<h1>Page</h1><p>Text.</p>" + LIST.format(inside) + "<p>After.</p>"
    assert searchinput.hollow(html, min_size=0) == (html, [])


def test_an_attribute_value_that_reads_data_search_exclude_excludes_nothing():
    html = '<h1>Page</h1><p><a title="tag data-search-exclude here">Indexed words.</a></p>' * 3
    assert searchinput.hollow(html, min_size=0) == (html, [])


def test_a_plain_list_is_left_out_and_put_back():
    html = "<h1>Page</h1><p>Text.</p>" + LIST.format(CARD * 3) + "<p>After.</p>"
    out, kept = searchinput.hollow(html, min_size=0)
    assert kept == [CARD * 3] and CARD not in out
    assert sections(out) == sections(html)
    assert searchinput.restore(out, kept) == html
    assert searchinput.hollow(html) == (html, [])  # shorter than MIN_SIZE: not worth it
