"""Real builds of the mini fixture archive with the mkdocs CLI, checked as HTML."""

from __future__ import annotations

import re

from support import Tags, content, make_archive, run_mkdocs, tree_digest


def test_home_lists_stages_in_order_with_period_and_featured_stories(mini_site):
    text = Tags(content(mini_site.html("index.html"))).text
    positions = [text.index(title) for title in ("Stage One", "Stage Two", "Stage Three")]
    assert positions == sorted(positions)
    assert "2010–2015" in text and "The second stage." in text
    featured = text[text.index("Featured stories"):]
    for title in ("Alpha story", "Gamma: a story", "Epsilon story"):
        assert title in featured
    assert "Beta story" not in featured


def test_stage_page_lists_its_stories_in_date_order_and_its_events(mini_site):
    html = content(mini_site.html("stages/one/index.html"))
    text = Tags(html).text
    order = [text.index(t) for t in ("Alpha story", "Aardvark story", "Beta story")]  # 2010-06, 2011-03-04, 2012
    assert order == sorted(order)
    assert "Gamma" not in text  # another stage's story
    assert "The pairing begins" in text  # its timeline event
    # The intro's Markdown is rendered and raw HTML in it is escaped, never passed through.
    assert "<strong>first</strong>" in html
    assert "<b>raw html</b>" not in html


def test_story_page_shows_date_at_its_precision_metadata_photos_and_neighbours(mini_site):
    html = content(mini_site.html("stories/one/aardvark/index.html"))
    text = Tags(html).text
    assert '<time datetime="2011-03-04" data-precision="day">4 March 2011</time>' in html
    for expected in ("Hezheng County", "和政县", "Tian Xiaoping", "Bag Company", "Fixture Gazette"):
        assert expected in text
    assert "Ann Author, Bo Writer" in text and "Editor in charge: Ed Itor" in text
    # previous and next within the stage, in date order (alpha 2010-06, aardvark 2011-03-04, beta 2012)
    pager = {a["rel"]: a for a in Tags(html).all("a") if a.get("rel") in ("prev", "next")}
    assert pager["prev"]["href"] == "../alpha/" and pager["next"]["href"] == "../beta/"
    assert "← Alpha story" in text and "Beta story →" in text
    # its placeholder photo, with caption and credit
    assert "Placeholder: a generated card standing in for a photo." in text
    assert "The archive project · CC0" in text


def test_year_and_month_dates_are_never_padded(mini_site):
    beta = content(mini_site.html("stories/one/beta/index.html"))
    assert '<time datetime="2012" data-precision="year">2012</time>' in beta
    alpha = content(mini_site.html("stories/one/alpha/index.html"))
    assert '<time datetime="2010-06" data-precision="month">June 2010</time>' in alpha
    assert "1 June 2010" not in alpha and "2010-06-01" not in alpha


def test_timeline_groups_events_by_year_with_stage_and_story_links(mini_site):
    html = content(mini_site.html("timeline/index.html"))
    years = re.findall(r'<h2 id="year-(\d{4})"', html)
    assert years == ["2010", "2017", "2020"]
    section_2017 = html[html.index('id="year-2017"'):html.index('id="year-2020"')]
    assert "A day in December" in section_2017 and "Stage Two" in section_2017
    assert "../stories/two/gamma/" in section_2017
    assert "plan announced" in html
    # YAML text is escaped on output
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html


def test_caption_html_is_escaped(mini_site):
    html = mini_site.html("photos/bags/index.html")
    assert "&lt;b&gt;markup&lt;/b&gt;" in html
    assert "<b>markup</b>" not in html


def test_navigation_has_stages_and_sections_but_not_every_story(mini_site):
    html = mini_site.html("timeline/index.html")
    nav = html[html.index('<nav class="md-nav md-nav--primary"'):html.index("md-sidebar--secondary")]
    for label in ("Stages", "Stage One", "Stage Three", "Timeline", "Photos", "People", "Places", "Key figures",
                  "About"):
        assert label in nav
    assert "Alpha story" not in nav and "Epsilon story" not in nav


def test_entity_pages_list_the_stories_that_name_them(mini_site):
    text = Tags(content(mini_site.html("places/hezheng/index.html"))).text
    assert "和政县" in text and "Zhengxian County" in text
    for title in ("Alpha story", "Beta story", "Epsilon story"):
        assert title in text
    person = Tags(content(mini_site.html("people/tian/index.html"))).text
    assert "General manager" in person and "Bag Company" in person


def test_figures_page_names_each_source_section_and_draws_charts(mini_site):
    html = content(mini_site.html("figures/index.html"))
    text = Tags(html).text
    assert "more than 800 cadres" in text
    assert "620,000,000 yuan" in text
    assert "section “Part B”" in text
    assert 'class="da-chart"' in html and "--share: 100.0%" in html


def test_no_external_urls_in_what_the_browser_loads(mini_site):
    for path in mini_site.site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        # canonical and hreflang links name the page's addresses; a browser loads neither
        for match in re.finditer(r'<(?:script|link(?! rel="(?:canonical|alternate)")|img|source|iframe)\b[^>]*'
                                 r'(?:src|href|srcset)="(https?:)?//', html):
            raise AssertionError(f"{path}: external resource {match.group(0)}")


def test_invalid_story_fails_the_build_and_leaves_the_old_site_byte_for_byte(archive):
    first = run_mkdocs(archive)
    assert first.returncode == 0, first.output
    before = tree_digest(archive / "site")
    story = archive / "stories" / "one" / "beta.md"
    story.write_text(story.read_text().replace("stage: one", "stage: roots"))
    (archive / "stories" / "two" / "gamma.md").write_text("---\ntitle: [broken\n---\n")
    second = run_mkdocs(archive)
    assert second.returncode != 0
    # every problem of the run is reported, each with file, line, field and fix
    assert "stories/one/beta.md:3: stage: 'roots' is not a stage - use one of one, two, three" in second.output
    assert "stories/two/gamma.md:2: yaml: malformed YAML" in second.output
    assert "Cleaning site directory" not in second.output
    assert tree_digest(archive / "site") == before


def test_warnings_fail_strict_builds(archive):
    story = archive / "stories" / "one" / "beta.md"
    story.write_text(story.read_text().replace("featured: false", "featurd: false"))
    build = run_mkdocs(archive)
    assert build.returncode != 0
    assert "stories/one/beta.md:12: featurd: unknown field for a story - did you mean 'featured'?" in build.output


def test_builds_from_another_working_directory(tmp_path):
    root = make_archive(tmp_path / "archive")
    import os
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(root / "mkdocs.yml")],
                          cwd=tmp_path, capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert proc.returncode == 0, proc.stderr
    assert (root / "site" / "stories" / "one" / "alpha" / "index.html").exists()


def test_each_timeline_event_is_its_own_search_result(mini_site):
    import json

    index = json.loads((mini_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    by_location = {doc["location"]: doc for doc in index["docs"]}
    event = by_location["timeline/#event-middle"]
    assert event["title"] == "A day in December"
    assert "3 December 2017" in event["text"] and "Something happened that day." in event["text"]


def test_lists_of_things_with_their_own_page_are_indexed_once(mini_site):
    """Story cards on stage, entity and home pages, and events on stage pages, are left out of
    the search index: each story and event is found on its own page, and the index stays small."""
    import json

    index = json.loads((mini_site.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    text_of = {}
    for doc in index["docs"]:
        page = doc["location"].split("#")[0]
        text_of[page] = text_of.get(page, "") + doc["text"]
    assert "Summary of Alpha story." in text_of["stories/one/alpha/"]
    for page in ("", "stages/one/", "places/hezheng/", "people/tian/"):
        assert "Summary of Alpha story." not in text_of[page], page
    assert "Two cities pair up" in text_of["timeline/"]
    assert "Two cities pair up" not in text_of["stages/one/"]
    # the pages themselves still show the lists
    assert "Summary of Alpha story." in mini_site.html("places/hezheng/index.html")


def test_a_build_keeps_its_loaded_archive_out_of_the_collectors_walks_until_it_ends(tmp_path, monkeypatch):
    """gc.freeze once the archive is loaded (mkdocs_glue.hold_loaded); released as the build ends or fails."""
    import gc

    import pytest
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    from docarchive import mkdocs_glue

    root = make_archive(tmp_path / "archive")
    monkeypatch.chdir(root)
    frozen, files, thresholds = [], mkdocs_glue.ArchiveBuild.files, gc.get_threshold()

    def counted(self, *args):
        frozen.append((gc.get_freeze_count(), gc.get_threshold()))
        return files(self, *args)

    monkeypatch.setattr(mkdocs_glue.ArchiveBuild, "files", counted)
    mkdocs_build.build(load_config(str(root / "mkdocs.yml")))
    assert frozen[0][0] > 0 and gc.get_freeze_count() == 0
    # Meanwhile the full collections were rarer; the thresholds are the same again after.
    assert frozen[0][1] == (*thresholds[:2], mkdocs_glue.OLDEST_THRESHOLD) and gc.get_threshold() == thresholds
    assert (root / "site" / "index.html").is_file()

    def failing(self, *args):
        raise RuntimeError("a build that fails after the load")

    monkeypatch.setattr(mkdocs_glue.ArchiveBuild, "files", failing)
    with pytest.raises(Exception, match="fails after the load"):
        mkdocs_build.build(load_config(str(root / "mkdocs.yml")))
    assert gc.get_freeze_count() == 0 and gc.get_threshold() == thresholds
