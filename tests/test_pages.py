"""The pages the archive plans and the layouts it renders, without MkDocs: fast and exact.

``pages.plan_pages`` and ``render.render_page`` run on the mini fixture loaded by the model;
images are described by hand-made Renditions (nothing is encoded), links are made the way
MkDocs makes directory URLs.
"""

from __future__ import annotations

import posixpath

import pytest
import yaml
from support import Tags, make_archive

from docarchive import pages, render
from docarchive.images import Derivative, Rendition
from docarchive.mkdocs_glue import THEME_DIR
from docarchive.model import load_archive


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    return load_archive(make_archive(tmp_path_factory.mktemp("pages") / "archive"))


@pytest.fixture(scope="module")
def specs(archive):
    return {spec.src_uri: spec for spec in pages.plan_pages(archive)}


def url_of(uri: str) -> str:
    """The site URL MkDocs gives a source path (directory URLs), or a plain file's own path."""
    if not uri.endswith(".md"):
        return uri
    stem = uri.removesuffix(".md")
    return stem.removesuffix("index") if stem.endswith("index") else stem + "/"


def linker(page_uri: str) -> render.Linker:
    base = url_of(page_uri)

    def relative(uri: str) -> str:
        target = url_of(uri)
        rel = posixpath.relpath(target or ".", base.rstrip("/") or ".")
        return rel + "/" if target.endswith("/") or not target else rel

    return render.Linker(relative)


def rendition(photo_id: str, formats=("webp", "jpeg")) -> Rendition:
    derivs = tuple(Derivative(f"media/{photo_id}-{w}.{fmt}", w, w * 3 // 4, fmt, 1000)
                   for fmt in formats for w in (320, 640))
    return Rendition(photo_id, 640, 480, "#336699", derivs, "data:image/webp;base64,AAAA")


def render_spec(archive, spec, body: str = "<p>The body.</p>", formats=("webp", "jpeg")) -> str:
    env = render.make_env([THEME_DIR])
    media = {photo.id: rendition(photo.id, formats) for photo in archive.photos}
    return render.render_page(env, spec, archive, body, linker(spec.src_uri), media)


# ---------------------------------------------------------------- plan_pages and plan_nav

def test_every_object_has_one_page_and_the_fixed_pages_exist(archive, specs):
    expected = {"index.md", "timeline.md", "figures.md", "photos/index.md", "sources.md",
                "people/index.md", "places/index.md", "organizations/index.md",
                "browse/index.md", "stories/index.md", "data/index.md"}
    expected |= {f"stages/{s.id}.md" for s in archive.stages}
    expected |= {f"stories/{s.stage.id}/{s.slug}.md" for s in archive.stories}
    expected |= {f"photos/{p.id}.md" for p in archive.photos}
    expected |= {f"people/{p.id}.md" for p in archive.people} | {f"places/{p.id}.md" for p in archive.places}
    expected |= {f"organizations/{o.id}.md" for o in archive.organizations}
    assert set(specs) == expected
    assert len(pages.plan_pages(archive)) == len(expected)  # no page twice


def test_stories_photos_and_entities_are_kept_out_of_the_nav(specs):
    # "stories" is /stories/, which only leads to the browse page (in the nav).
    assert {spec.kind for spec in specs.values() if not spec.in_nav} == {"story", "photo", "entity", "stories"}
    story = specs["stories/one/alpha.md"]
    assert (story.kind, story.title, story.obj.slug) == ("story", "Alpha story", "alpha")
    assert story.markdown == story.obj.body and story.description == story.obj.summary


def test_nav_lists_stages_and_sections_and_keeps_the_hand_written_pages(archive):
    nav = pages.plan_nav(archive, [{"About": "about.md"}])
    assert nav[0] == {"Home": "index.md"} and nav[-1] == {"About": "about.md"}
    assert nav[1] == {"Stages": [{s.title: f"stages/{s.id}.md"} for s in archive.stages]}
    flat = repr(nav)
    assert "stories/" not in flat and "photos/bags.md" not in flat


def test_file_content_is_front_matter_that_yaml_reads_back_with_html_escaped():
    spec = pages.PageSpec("x.md", 'Fish: "big" <b>& small</b>', "story", markdown="Text.\n",
                          description="One: two")
    text = spec.file_content()
    front, body = text.removeprefix("---\n").split("\n---\n", 1)
    meta = yaml.safe_load(front)
    assert meta == {"title": "Fish: &quot;big&quot; &lt;b&gt;&amp; small&lt;/b&gt;", "description": "One: two",
                    "search": {"boost": pages.SEARCH_BOOST["story"]}}  # stories weigh above photo pages
    assert body == "\nText.\n"


def test_a_stage_intro_is_markdown_with_raw_html_escaped(specs):
    intro = specs["stages/one.md"].markdown
    assert "**first**" in intro and "&lt;b&gt;raw html&lt;/b&gt;" in intro and "<b>" not in intro


# ---------------------------------------------------------------- render_page

def test_story_layout_has_metadata_body_photo_and_the_pager(archive, specs):
    html = render_spec(archive, specs["stories/one/aardvark.md"])
    tags = Tags(html)
    assert '<time datetime="2011-03-04" data-precision="day">4 March 2011</time>' in html
    assert "<p>The body.</p>" in html  # the Markdown's HTML goes in as it is
    pager = {a["rel"]: a["href"] for a in tags.all("a") if a.get("rel") in ("prev", "next")}
    assert pager == {"prev": "../alpha/", "next": "../beta/"}
    # its person, linked from the meta line under the title and from the panel after the text
    assert {a["href"] for a in tags.all("a", href="people/")} == {"../../../people/tian/"}
    assert "Tian Xiaoping" in tags.text and "Hezheng County" in tags.text


def test_picture_sources_come_best_first_and_the_jpeg_img_last(archive, specs):
    """With AVIF, WebP and JPEG derivatives (hand-made: no AVIF encoder needed), each <picture>
    lists AVIF then WebP sources and ends with the JPEG <img>."""
    html = render_spec(archive, specs["stories/three/epsilon.md"], formats=("jpeg", "webp", "avif"))
    order = [(t, a.get("type") or a.get("src", "")[-5:]) for t, a in Tags(html).tags if t in ("picture", "source", "img")]
    pictures = [order[i + 1:i + 4] for i, (t, _) in enumerate(order) if t == "picture"]
    assert len(pictures) == 2
    for picture in pictures:
        assert picture == [("source", "image/avif"), ("source", "image/webp"), ("img", ".jpeg")]
    first, second = [a for t, a in Tags(html).tags if t == "img"]
    assert "loading" not in first and first["fetchpriority"] == "high" and second["loading"] == "lazy"
    assert first["srcset"] == "../../../media/bags-320.jpeg 320w, ../../../media/bags-640.jpeg 640w"


def test_caption_and_yaml_text_are_escaped_in_layouts(archive, specs):
    photo = render_spec(archive, specs["photos/bags.md"])
    assert "&lt;b&gt;markup&lt;/b&gt;" in photo and "<b>markup</b>" not in photo
    timeline = render_spec(archive, specs["timeline.md"], body="")
    assert "&lt;b&gt;bold&lt;/b&gt;" in timeline and "<b>bold</b>" not in timeline


def test_timeline_groups_events_by_year_and_links_their_stories(archive, specs):
    html = render_spec(archive, specs["timeline.md"], body="")
    tags = Tags(html)
    assert [a["id"] for a in tags.all("h2", id="year-")] == ["year-2010", "year-2017", "year-2020"]
    assert [a["id"] for a in tags.all("h3", id="event-")][:1] == ["event-start"]
    assert tags.all("a", href="../stories/two/gamma/")


def test_a_missing_template_variable_is_an_error_not_an_empty_string():
    env = render.make_env([THEME_DIR])
    import jinja2

    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ nothing_here }}").render()


def test_an_entity_named_after_another_weighs_less_in_search_than_that_one():
    """Material's search gives a match in a long title as much as one in a short title (lunr's b is 0):
    an entry whose own name contains another entry's name or alias weighs less, still above stories."""
    from types import SimpleNamespace as Rec

    county = Rec(id="hill", name="Hill County", name_zh="山县", aliases=())
    prefecture = Rec(id="vale", name="Vale Prefecture", name_zh="谷州", aliases=("Vale",))
    vale_county = Rec(id="vale-county", name="Vale County", name_zh="", aliases=())
    base = Rec(id="base", name="Mushroom base, Hill County", name_zh="", aliases=())
    office = Rec(id="office", name="谷州办公室", name_zh="", aliases=())
    valery = Rec(id="valery", name="Valery Hill", aliases=())  # "Vale" and "Hill County" are not its words
    archive = Rec(places=(county, prefecture, vale_county), organizations=(base, office), people=(valery,))
    assert pages.compound_names(archive) == {("place", "vale-county"), ("organization", "base"),
                                             ("organization", "office")}
    assert pages.SEARCH_BOOST["story"] < pages.COMPOUND_BOOST < pages.SEARCH_BOOST["entity"]
    spec = pages.PageSpec("places/x.md", "X", "entity", boost=pages.COMPOUND_BOOST)
    assert f"search:\n  boost: {pages.COMPOUND_BOOST}" in spec.file_content()
    assert "Linxia's" in pages.PageSpec("x.md", "Linxia's", "photo").file_content()  # not &#x27;
