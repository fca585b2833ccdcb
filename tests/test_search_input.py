"""searchinput: Material's search parser reads the same sections from a page with its excluded parts left out
as from the whole page; whatever it might read differently is left whole; and the site is the same byte for byte.

Material's own parser (material.plugins.search.plugin.Parser) is the judge, on: every page of both editions
of this repository's archive and of the mini fixture as built; every page of the mini fixture rendered without
MkDocs (as in test_pages); hand-made cases (a heading inside an exclusion, deeper headings, short lists...);
and a few thousand seeded random pages.
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
from material.plugins.search import plugin as material_search
from support import REPO, make_archive, run_mkdocs, tree_digest

from docarchive import pages, render, searchinput
from docarchive.images import Derivative, Rendition
from docarchive.mkdocs_glue import SKIP_ID, THEME_DIR
from docarchive.model import load_archive


def sections(html: str) -> list[tuple] | str:
    """What Material's parser makes of ``html``: each section's heading, id, title, text, exclusion and depth."""
    parser = material_search.Parser()
    try:
        parser.feed(html)
        parser.close()
    except ValueError as error:  # Material's parser fails on some tag soup: it must fail the same way
        return repr(error)
    return [(repr(s), s.id, "".join(s.title), "".join(s.text), s.is_excluded(), s.depth) for s in parser.data]


def assert_same_parse(html: str, where: str = "", min_size: int = searchinput.MIN_SIZE) -> list[str]:
    out, kept = searchinput.hollow(html, min_size=min_size)
    assert sections(out) == sections(html), where
    assert searchinput.restore(out, kept) == html, where
    return kept


# ---------------------------------------------------------------- built pages


def search_inputs(site: Path) -> dict[str, str]:
    """Each built page's HTML as the search read it: the engine's content block, or Material's article."""
    found = {}
    for path in sorted(site.rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        block = outer(html, f'<div id="{SKIP_ID}">', "div") or outer(html, '<article class="md-content', "article")
        if block:
            found[path.relative_to(site).as_posix()] = block
    return found


def outer(html: str, opening: str, name: str) -> str | None:
    """The element that starts with ``opening``, to its matching end tag (elements named ``name`` counted)."""
    start = html.find(opening)
    if start == -1:
        return None
    depth = 0
    for m in re.finditer(rf"<(/?){name}[\s>]", html[start:]):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return html[start:html.index(">", start + m.start()) + 1]
    return None


def check_built(site: Path) -> dict[str, list[str]]:
    inputs = search_inputs(site)
    assert len(inputs) > 20, site
    return {uri: assert_same_parse(html, uri) for uri, html in inputs.items()}


def check_story_furniture(kept: dict[str, list[str]]) -> None:
    """Story pages: the crumbs, meta line, cite box and pager go whole; the about box keeps only its heading."""
    stories = [uri for uri in kept if re.fullmatch(r"(zh/)?stories/[^/]+/[^/]+(/index)?\.html", uri)]
    assert stories
    for uri in stories:
        text = "".join(kept[uri])
        for part in ('class="da-crumbs"', 'class="da-meta-line"', 'class="da-cite"', 'class="da-pager"', "<dl"):
            assert part in text, (uri, part)
        assert 'id="about"' not in text, uri


@pytest.mark.parametrize("tree", ["site", "offline"])
def test_every_page_of_the_real_archive_gives_the_search_the_same_sections(real_editions, tree):
    kept = check_built(getattr(real_editions, tree))  # both editions: the Chinese is in zh/
    assert any(uri.startswith("zh/") for uri in kept)
    check_story_furniture(kept)


@pytest.mark.parametrize("tree", ["site", "offline"])
def test_every_page_of_the_mini_fixture_gives_the_search_the_same_sections(editions, tree):
    kept = check_built(getattr(editions, tree))
    assert any(uri.startswith("zh/") for uri in kept)
    check_story_furniture(kept)


def test_every_page_of_the_synthetic_archive_gives_the_search_the_same_sections(tmp_path):
    """The benchmark's archive (bench/bench_build.py): its stage, entity and browse pages list every story."""
    sys.path.insert(0, str(REPO / "bench"))
    import bench_build

    build = run_mkdocs(bench_build.make_archive_with(60, tmp_path / "archive"))
    assert build.returncode == 0, build.output
    kept = check_built(build.site)
    check_story_furniture(kept)
    assert max(len(part) for parts in kept.values() for part in parts) > 4096  # the long lists go too


# ---------------------------------------------------------------- pages rendered without MkDocs


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, str]:
    archive = load_archive(make_archive(tmp_path_factory.mktemp("search-input") / "archive"))
    env = render.make_env([THEME_DIR])
    media = {photo.id: Rendition(photo.id, 640, 480, "#336699", (Derivative(f"media/{photo.id}.jpeg", 640, 480, "jpeg",
                                                                            1000),), "") for photo in archive.photos}
    return {spec.src_uri: f'<div id="{SKIP_ID}">' + render.render_page(
        env, spec, archive, '<h2 id="part">Part</h2><p>The body.</p>', render.Linker(lambda uri: uri), media)
        + "</div>" for spec in pages.plan_pages(archive)}


def test_the_void_tags_are_materials():
    assert searchinput.VOID == material_search.void


@pytest.mark.parametrize("min_size", [0, searchinput.MIN_SIZE])
def test_every_rendered_page_gives_the_search_the_same_sections_and_is_put_back_whole(rendered, min_size):
    hollowed = sum(len(assert_same_parse(html, uri, min_size)) for uri, html in rendered.items())
    assert hollowed >= 2 * len(rendered)  # story furniture, the lists of stage, entity, browse and home pages


# ---------------------------------------------------------------- hand-made cases

LIST = '<ul class="cards" data-search-exclude>{}</ul>'
CARD = '<li><a href="x/">A story</a><p>Its summary.</p></li>'
PAGE = '<div><h1 id="top">Page</h1><p>Text.</p>{}<p>After.</p><h2 id="next">Next</h2><p>More.</p></div>'


@pytest.mark.parametrize("inside", [
    CARD + "<ul><li>nested</li></ul>",  # Material matches elements by tag name: the inner </ul> ends the skip
    CARD + "<!-- a comment -->",
    CARD + "<p>unclosed",
    CARD + "<script>var a = '<li>';</script>",
    CARD + "<a title='single > quoted'>x</a>",
    CARD + '<a title="a <b> in a value">x</a>',
    CARD + "<span/>",  # html.parser opens and closes it at once
    CARD + "<SPAN>upper case</SPAN>",
    CARD + '<a class="linenodiv">x</a>',
    CARD + '<a data-search-boost="2">x</a>',  # Material strips it from the page after indexing
])
def test_what_the_parser_might_read_otherwise_is_left_whole(inside):
    html = PAGE.format(LIST.format(inside))
    assert searchinput.hollow(html, min_size=0) == (html, [])


def test_an_attribute_value_that_reads_data_search_exclude_excludes_nothing():
    html = '<h1>Page</h1><p><a title="tag data-search-exclude here">Indexed words.</a></p>' * 3
    assert searchinput.hollow(html, min_size=0) == (html, [])


def test_a_plain_list_goes_whole_and_comes_back():
    html = PAGE.format(LIST.format(CARD * 3))
    assert assert_same_parse(html, min_size=0) == [LIST.format(CARD * 3)]
    assert searchinput.hollow(html, min_size=4096) == (html, [])  # shorter than that: left alone


def test_a_short_excluded_part_goes_too():
    html = PAGE.format('<p class="meta" data-search-exclude><a href="x/">A place</a> · <time>2010</time></p>')
    assert assert_same_parse(html) == ['<p class="meta" data-search-exclude><a href="x/">A place</a> · <time>2010'
                                       '</time></p>']


def test_an_excluded_part_with_a_heading_keeps_the_heading_and_loses_the_rest():
    aside = ('<aside data-search-exclude>\n  <h2 id="about">About</h2>\n  <dl><dt>Place</dt><dd><a href="p/">P</a></dd>'
             '</dl>\n  <h3 id="more">More</h3><p>x</p><p>y</p>\n</aside>')
    kept = assert_same_parse(PAGE.format(aside))
    assert kept == ['\n  <dl><dt>Place</dt><dd><a href="p/">P</a></dd></dl>\n  ', "<p>x</p><p>y</p>\n"]


def test_a_heading_deeper_inside_an_excluded_part_keeps_what_leads_to_it():
    aside = ('<aside data-search-exclude><p>a</p><div class="box"><p>b</p><section><h3 id="deep">Deep</h3>'
             '<p>c</p></section><p>d</p></div><ul><li>e</li></ul></aside>')
    kept = assert_same_parse(PAGE.format(aside))
    assert kept == ["<p>a</p>", "<p>b</p>", "<p>c</p>", "<p>d</p>", "<ul><li>e</li></ul>"]


def test_an_exclusion_inside_an_exclusion_stays_and_what_is_around_it_goes():
    inner = '<span data-search-exclude><a href="y/">more</a></span>'
    kept = assert_same_parse(PAGE.format(LIST.format(CARD + inner.join(["<li>", "</li>"]) + CARD)))
    assert kept == [CARD, '<a href="y/">more</a>', CARD]


def test_the_first_element_of_a_page_keeps_its_tags():
    html = LIST.format(CARD) + '<h2 id="x">X</h2><p>Text.</p>'  # its start tag makes the parser's first section
    assert assert_same_parse(html) == [CARD]


def test_an_excluded_heading_keeps_its_tags():
    html = PAGE.format('<h2 id="skipped" data-search-exclude><a href="x/">Skipped</a></h2>')
    assert assert_same_parse(html) == ['<a href="x/">Skipped</a>']


# ---------------------------------------------------------------- seeded random pages

NAMES = ["div", "ul", "li", "p", "span", "aside", "nav", "h1", "h2", "h3", "a", "dl", "dd"]


def random_node(r: random.Random, depth: int) -> str:
    roll = r.random()
    if depth > 5 or roll < 0.3:
        return r.choice(["x", " ", "\n", "two words", " a ", ""])
    if roll < 0.37:
        return r.choice(["<br>", '<img src="i">', "<hr/>"])
    name = r.choice(NAMES)
    attrs = " data-search-exclude" if r.random() < 0.3 else ""
    attrs += f' id="i{r.randrange(99)}"' if name[0] == "h" and r.random() < 0.6 else ""
    attrs += ' class="c"' if r.random() < 0.2 else ""
    return f"<{name}{attrs}>" + "".join(random_node(r, depth + 1) for _ in range(r.randrange(4))) + f"</{name}>"


def test_random_pages_give_the_search_the_same_sections():
    r = random.Random(9)
    starts = ["", "", "", "<br>", "text", '<h1 id="t">T</h1>', '<div><h2 id="u">U</h2></div>', "</p>"]
    hollowed = 0
    for n in range(4000):
        html = r.choice(starts) + "".join(random_node(r, 0) for _ in range(r.randrange(1, 5)))
        hollowed += bool(assert_same_parse(html, html, min_size=0))
    assert hollowed > 1000


# ---------------------------------------------------------------- the site


WITHOUT_HOLLOWING = """
import sys
from docarchive import searchinput
searchinput.hollow = lambda html, min_size=0: (html, [])
from mkdocs.__main__ import cli
sys.exit(cli(["build", "--strict"]))
"""


def test_the_site_is_the_same_byte_for_byte_with_and_without_hollowing(tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1600000000"}
    sites = []
    for name, command in (("with", [sys.executable, "-m", "mkdocs", "build", "--strict"]),
                          ("without", [sys.executable, "-c", WITHOUT_HOLLOWING])):
        root = make_archive(tmp_path / name)
        build = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)
        assert build.returncode == 0, build.stdout + build.stderr
        sites.append(tree_digest(root / "site"))
    assert "search/search_index.json" in sites[0]
    assert sites[0] == sites[1]
