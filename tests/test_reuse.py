"""Reuse of the archive: the data package (checked by frictionless), citations, JSON-LD and the feed.

All on the mini fixture's real build (``mini_site``), parsed as a reader's tool would.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urljoin

import pytest
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON

from docarchive import citations, datapackage, feed
from docarchive.model import load_archive
from docarchive.publication import Publication

FRICTIONLESS = Path(sys.executable).with_name("frictionless")
ATOM = "{http://www.w3.org/2005/Atom}"


def _frictionless(descriptor: Path) -> dict:
    """``frictionless validate --json``, with no network at all where the machine allows (unshare -n)."""
    cmd = [str(FRICTIONLESS), "validate", "--json", str(descriptor)]
    isolated = shutil.which("unshare") and subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0
    proc = subprocess.run((["unshare", "-rn"] if isolated else []) + cmd, capture_output=True, text=True, timeout=300)
    return json.loads(proc.stdout)


def _errors(report: dict) -> list[str]:
    return [f"{t['name']}: {e['type']}: {e['message']}" for t in report["tasks"] for e in t["errors"]] + \
        [e["message"] for e in report.get("errors", [])]


# ------------------------------------------------------------- data package


def test_frictionless_validates_the_data_package_offline(mini_site):
    report = _frictionless(mini_site.site / datapackage.DESCRIPTOR)
    assert report["valid"], _errors(report)
    assert sorted(t["name"] for t in report["tasks"]) == sorted(t.name for t in datapackage.TABLES)


def test_foreign_keys_are_declared_and_checked(mini_site, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(mini_site.site / "data", data)
    stories = (data / "story_places.csv").read_text(encoding="utf-8").splitlines()
    stories[1] = re.sub(r",[^,]+$", ",atlantis", stories[1])  # a place that is not in places.csv
    (data / "story_places.csv").write_text("\n".join(stories) + "\n", encoding="utf-8")
    report = _frictionless(data / "datapackage.json")
    assert not report["valid"]
    assert any("story_places: foreign-key" in e and "atlantis" in e for e in _errors(report)), _errors(report)


def test_every_table_has_typed_fields_keys_and_the_same_rows_in_csv_and_json(mini_site):
    package = json.loads((mini_site.site / datapackage.DESCRIPTOR).read_text(encoding="utf-8"))
    names = {r["name"] for r in package["resources"]}
    assert {"stories", "photos", "events", "figures", "people", "places", "organizations", "sources"} <= names
    model = load_archive(mini_site.root)
    for resource in package["resources"]:
        fields = resource["schema"]["fields"]
        assert all(f["type"] in ("string", "integer", "number", "boolean") and f["description"] for f in fields)
        for fk in resource["schema"].get("foreignKeys", []):
            assert fk["reference"]["resource"] in names | {""}
        rows = list(csv.DictReader(io.StringIO((mini_site.site / "data" / resource["path"]).read_text("utf-8"))))
        records = json.loads((mini_site.site / "data" / f"{resource['name']}.json").read_text(encoding="utf-8"))
        assert len(rows) == len(records) and [f["name"] for f in fields] == list(rows[0]) if rows else True
    stories = json.loads((mini_site.site / "data/stories.json").read_text(encoding="utf-8"))
    assert [s["slug"] for s in stories] == [s.slug for s in model.stories]
    figures = {f["id"]: f for f in json.loads((mini_site.site / "data/figures.json").read_text(encoding="utf-8"))}
    assert figures["cadres"]["value"] == 800 and figures["cadres"]["qualifier"] == "more-than"


def test_data_page_explains_every_file_and_links_it(mini_site):
    html = mini_site.html("data/index.html")
    for table in datapackage.TABLES:
        assert f'id="table-{table.name}"' in html
        assert f'href="{table.name}.csv" download' in html and f'href="{table.name}.json" download' in html
        for field in table.fields:
            assert f"<code>{field.name}</code>" in html
    for rel in ("datapackage.json", "key-figures.csv", "timeline.csv", "build.json"):
        assert f'href="{rel}"' in html or f'href="{rel}" download' in html
        assert (mini_site.site / "data" / rel).is_file()
    assert 'href="data/"' in mini_site.html("index.html")  # in the navigation


# ------------------------------------------------------------- citations


def _cite_block(html: str) -> str:
    match = re.search(r'<details class="da-cite".*?</details>', html, re.S)
    assert match, "no Cite this block"
    return match.group(0)


@pytest.mark.parametrize("page, key, title", [
    ("stories/one/alpha/index.html", "stories/alpha", "Alpha Story"),
    ("photos/bags/index.html", "photos/bags", "Workers Sew Travel Bags"),
    ("index.html", "archive", "Fixture Archive"),
])
def test_cite_this_gives_a_formatted_citation_and_three_downloads(mini_site, page, key, title):
    block = _cite_block(mini_site.html(page))
    text = re.search(r'class="da-cite__text">(.*?)</p>', block, re.S).group(1)
    assert f"\u201c{title}\u201d" in text or f"<i>{title}</i>" in text, text  # Chicago: title case, quoted
    page_dir = (mini_site.site / page).parent
    hrefs = re.findall(r'href="([^"]+)" download', block)
    assert [Path(h).name for h in hrefs] == [f"{Path(key).name}.{ext}" for ext in ("bib", "ris", "json")]
    for href in hrefs:
        assert (page_dir / href).resolve() == (mini_site.site / f"cite/{key}{Path(href).suffix}").resolve()
    item = json.loads((mini_site.site / f"cite/{key}.json").read_text(encoding="utf-8"))[0]
    style = CitationStylesStyle(str(citations.STYLE), validate=False)  # any CSL processor reads it
    bib = CitationStylesBibliography(style, CiteProcJSON([item]), formatter.plain)
    bib.register(Citation([CitationItem(item["id"])]))
    assert title in str(bib.bibliography()[0])
    bibtex = (mini_site.site / f"cite/{key}.bib").read_text(encoding="utf-8")
    assert re.match(r"@misc\{[\w-]+,\n(  \w+ = \{.*\},?\n)+\}\n$", bibtex), bibtex
    ris = (mini_site.site / f"cite/{key}.ris").read_bytes().decode("utf-8").split("\r\n")  # RIS lines end in CRLF
    assert ris[0] in ("TY  - ELEC", "TY  - ART") and ris[-2] == "ER  - "
    assert all(re.match(r"^[A-Z][A-Z0-9]  - ", line) for line in ris[:-1])


def test_every_story_photo_and_event_can_be_cited_with_its_page_url(mini_site):
    model = load_archive(mini_site.root)
    timeline = mini_site.html("timeline/index.html")
    assert timeline.count('<details class="da-cite"') == len(model.events)
    for story in model.stories:
        block = _cite_block(mini_site.html(f"stories/{story.stage.id}/{story.slug}/index.html"))
        assert f"http://127.0.0.1:8000/stories/{story.stage.id}/{story.slug}/" in block  # site_url is set
    event = model.events[0]
    item = json.loads((mini_site.site / f"cite/events/{event.id}.json").read_text(encoding="utf-8"))[0]
    assert item["URL"] == f"http://127.0.0.1:8000/timeline/#event-{event.id}"
    for photo in model.photos:
        assert (mini_site.site / f"cite/photos/{photo.id}.ris").is_file()


def test_bibtex_escapes_special_characters():
    text = citations.bibtex({"id": "x", "type": "webpage", "title": "Cost: 50% & {more}_now #1"})
    assert r"{{Cost: 50\% \& \{more\}\_now \#1}}" in text


# ------------------------------------------------------------- JSON-LD


def _jsonld(html: str) -> dict:
    [block] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(block)
    assert data["@context"] == "https://schema.org"
    return data


def test_story_is_an_article_about_and_mentioning_its_entities(mini_site):
    data = _jsonld(mini_site.html("stories/one/alpha/index.html"))
    assert data["@type"] == "Article" and data["headline"] == "Alpha story"
    assert {e["@type"] for e in data["about"]} == {"Place", "Organization"}
    assert [e["name"] for e in data["mentions"] if e["@type"] == "Person"] == ["Tian Xiaoping"]
    assert all(e["url"].startswith("http://127.0.0.1:8000/") for e in data["about"] + data["mentions"])
    assert data["isPartOf"]["@type"] == "WebSite" and data["isPartOf"]["name"] == "Fixture archive"
    [source] = data["citation"]
    assert source["name"] == "A fixture source" and source["isPartOf"]["name"] == "Fixture Gazette"


def test_photo_is_an_image_object_with_credit_license_caption_and_content(mini_site):
    data = _jsonld(mini_site.html("photos/bags/index.html"))
    assert data["@type"] == "ImageObject"
    assert data["creditText"] == "Huang Yan" and data["license"]["name"] == "All rights reserved"
    assert data["caption"].startswith("Workers sew travel bags.")
    assert "<b>" not in json.dumps(data, ensure_ascii=True) or "\\u003cb>" in mini_site.html("photos/bags/index.html")
    path = data["contentUrl"].removeprefix("http://127.0.0.1:8000/")
    assert (mini_site.site / path).is_file()


def test_timeline_lists_its_events_and_home_is_a_website_and_collection(mini_site):
    data = _jsonld(mini_site.html("timeline/index.html"))
    events = [e["item"] for e in data["itemListElement"]]
    model = load_archive(mini_site.root)
    assert [e["name"] for e in events] == [e.title for e in model.events]
    assert all(e["@type"] == "Event" and e["startDate"] for e in events)
    assert events[0]["startDate"] == model.events[0].date.iso
    home = _jsonld(mini_site.html("index.html"))
    types = {node["@type"] for node in home["@graph"]}
    assert types == {"WebSite", "Collection"}


def test_json_ld_cannot_close_its_script_early(mini_site):
    html = mini_site.html("photos/bags/index.html")
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    assert "<" not in block and "\\u003cb>markup" in block


# ------------------------------------------------------------- feed


def test_feed_has_every_story_linked_from_every_page_head(mini_site):
    tree = ET.parse(mini_site.site / feed.FEED)
    entries = tree.getroot().findall(f"{ATOM}entry")
    model = load_archive(mini_site.root)
    assert len(entries) == len(model.stories)
    for entry in entries:
        href = entry.find(f"{ATOM}link").get("href")
        assert (mini_site.site / href.removeprefix("http://127.0.0.1:8000/") / "index.html").is_file()
    dates = [e.find(f"{ATOM}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True)
    for page in mini_site.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        match = re.search(r'<link rel="alternate feed" type="application/atom\+xml"[^>]*href="([^"]+)"', html)
        assert match, page
        base = page.relative_to(mini_site.site).as_posix()
        assert urljoin("http://h/" + base, match.group(1)) == "http://h/feed.xml"


def test_feed_dates_come_from_the_content_not_the_build(archive):
    model = load_archive(archive)
    one, two = (Publication("A", "d", "", "", epoch, lambda uri: uri.removesuffix(".md") + "/")
                for epoch in (0, 1_700_000_000))
    assert feed.atom(model, one) == feed.atom(model, two)
    assert "<id>urn:uuid:" in feed.atom(model, one)  # no site_url: stable ids from the paths


def test_offline_edition_links_no_feed(editions):
    """Material fetches sitemap.xml beside every link[rel=alternate], which file:// refuses."""
    html = (editions.offline / "stories" / "one" / "alpha.html").read_text(encoding="utf-8")
    assert 'type="application/atom+xml"' not in html
    assert 'type="application/atom+xml"' in (editions.site / "stories/one/alpha/index.html").read_text("utf-8")


REPO = Path(__file__).resolve().parents[1]
TRICKY_TITLES = [  # plain ones take the shape path; the others must fall back to citeproc whole
    "the rain-gear story of a workshop number 3", "A village, two cities", "临夏的工厂", "NGO work in the east",
    "iPhone and the loom", "of mice and men", "Workers go east: the first bus", "What now?", "Ends with a dot.",
    "\u201cQuoted\u201d title", "A & B", "two  spaces", "x", "Tom's <b>bold</b> title",
]


def _real_and_tricky_items() -> list[dict]:
    model = load_archive(REPO)  # the real archive, every citable thing in it
    publication = Publication("An archive", "d", "Its editors", "https://example.org/a/", 1_700_000_000,
                              lambda uri: uri.removesuffix(".md") + "/")
    items = [citations.csl_item(obj, publication) for obj in [None, *model.stories, *model.photos, *model.events]]
    story = items[1]
    items += [{**story, "title": title, "type": kind} for title in TRICKY_TITLES for kind in ("webpage", "graphic")]
    items += [{**story, "URL": "https://example.org/a?b=1&c=2"}, {k: v for k, v in story.items() if k != "URL"}]
    # Without an author (no citation_author) the style puts the title in the author's place too; without a
    # date it says n.d.: the markers then stand in two places.
    for drop in (("author",), ("issued",), ("author", "issued"), ("author", "container-title")):
        bare = [{k: v for k, v in item.items() if k not in drop} for item in items[:4]]
        items += bare + [{**bare[1], "title": title, "type": kind} for title in TRICKY_TITLES
                         for kind in ("webpage", "graphic")]
    return items


def test_each_citation_is_what_citeproc_makes_of_its_item():
    """The shape path (one citeproc run per shape, markers replaced) gives citeproc's own text, item by item."""
    fast, whole = citations.Formatter(), citations.Formatter()
    items = _real_and_tricky_items()
    for item in items:
        assert str(fast.html(item)) == whole._format(item), item["title"]
    assert fast.full_renders < len(items) / 2  # most took the shape path (the tricky titles cannot)


def test_a_thousand_stories_need_one_citeproc_run():
    fmt = citations.Formatter()
    story = _real_and_tricky_items()[1]
    texts = {str(fmt.html({**story, "title": f"story {i} of the partnership", "URL": f"https://e.org/s/{i}/"}))
             for i in range(1000)}
    assert len(texts) == 1000 and fmt.full_renders == 1
    assert "\u201cStory 1 of the Partnership\u201d" in "".join(texts)  # Chicago's title case, by citeproc's function


def test_a_thousand_photos_without_an_author_need_one_citeproc_run():
    fmt = citations.Formatter()
    photo = {"id": "p", "type": "graphic", "title": "x", "container-title": "Site", "note": "A. CC0."}
    texts = {str(fmt.html({**photo, "title": f"photo {i} of a loom", "URL": f"https://e.org/p/{i}/"}))
             for i in range(1000)}
    assert len(texts) == 1000 and fmt.full_renders == 1
    assert "<i>Photo 1 of a Loom</i>. n.d. <i>Photo 1 of a Loom</i>." in "".join(texts)  # in the author's place too


@pytest.mark.parametrize("title", ["What now?", "\u201cQuoted\u201d title", "A & B", "Ends with a dot."])
def test_titles_a_marker_cannot_stand_for_go_through_citeproc_whole(title):
    fmt = citations.Formatter()
    fmt.html({"id": "x", "type": "webpage", "title": title})
    assert fmt.full_renders == 1 and not fmt._templates  # no shape was made for it


def test_the_chinese_edition_leaves_the_shared_citation_cache_alone(tmp_path, mini_site):
    from docarchive.localize import Localizer

    model = load_archive(mini_site.root)
    publication = Publication("A", "d", "Editors", "", 1_700_000_000, lambda uri: uri.removesuffix(".md") + "/")
    citations.build(model, publication, tmp_path)
    cached = sorted(tmp_path.glob("*.html"))
    assert cached
    citations.build(model, publication, tmp_path, Localizer("zh", model))  # as make site builds it, second
    assert sorted(tmp_path.glob("*.html")) == cached


def test_formatted_citations_are_cached_and_pruned(tmp_path):
    item = {"id": "x", "type": "webpage", "title": "A cached title", "container-title": "Site"}
    cold = citations.Formatter(cache_dir=tmp_path)
    text = cold.html(item)
    assert "A Cached Title" in text and len(list(tmp_path.glob("*.html"))) == 1
    warm = citations.Formatter(cache_dir=tmp_path)
    assert warm.html(item) == text and warm._style is None  # read from the cache: the style was never parsed
    citations.Formatter(cache_dir=tmp_path).prune()  # a build that cited nothing keeps nothing
    assert list(tmp_path.glob("*.html")) == []
