"""Entity pages show the timeline events, key figures and photos that name them (naming.py), by date.

The reverse index is a plain function of the records and the schema: tested here on
hand-made records, then on the mini archive, then on the pages of both editions.
"""

from __future__ import annotations

import re
from types import SimpleNamespace as Rec

from support import Tags, content

from docarchive import schema as S
from docarchive.dates import parse_date
from docarchive.loader import load_archive
from docarchive.naming import Naming, named_in, naming_index


def place(pid):
    return Rec(id=pid)


def event(eid, date, **refs):
    return Rec(**{"id": eid, "date": parse_date(date), "places": (), "people": (), "organizations": (), **refs})


def photo(pid, date=None, shown=True, **refs):
    return Rec(**{"id": pid, "date": date and parse_date(date), "shown_in_lists": shown, "place": None,
                  "people": (), "organizations": (), **refs})


def test_named_in_reads_every_reference_field_to_a_registry_once():
    town, county = place("town"), place("county")
    rec = photo("p", place=town, organizations=(Rec(id="co"),), people=(Rec(id="ann"), Rec(id="ann")))
    assert list(named_in(rec, S.PHOTO)) == [("place", "town"), ("person", "ann"), ("organization", "co")]
    rec = event("e", "2012", places=(county, town, county))
    assert list(named_in(rec, S.EVENT)) == [("place", "county"), ("place", "town")]
    # Only references to people, places and organizations: an event's stories and figures name no entity.
    assert all(kind in ("person", "place", "organization") for kind, _ in named_in(rec, S.EVENT))


def test_the_index_lists_each_kind_by_date_and_leaves_out_what_stays_out_of_lists():
    town = place("town")
    late, early = event("late", "2020", places=(town,)), event("early", "2011-05", places=(town,))
    fig = Rec(id="f", date=parse_date("2014"), places=(town,), people=(), organizations=())
    undated, dated = photo("a-undated", place=town), photo("b-dated", "2015", place=town)
    hidden = photo("subject-card", "2012", shown=False, place=town)
    index = naming_index([late, early], [fig], [undated, hidden, dated])
    assert index[("place", "town")] == Naming(events=(early, late), figures=(fig,), photos=(dated, undated))
    assert set(index) == {("place", "town")}
    assert not Naming()


def test_the_archive_answers_for_each_entity_and_lists_stories_by_date(archive):
    loaded = load_archive(archive)
    hezheng = loaded.naming("place", "hezheng")
    assert [e.id for e in hezheng.events] == ["start"]
    assert [f.id for f in hezheng.figures] == ["park"]
    assert [p.id for p in hezheng.photos] == ["bags"]
    assert [e.id for e in loaded.naming("person", "tian").events] == ["middle"]
    assert [p.id for p in loaded.naming("organization", "bag-co").photos] == ["loom"]
    assert loaded.naming("person", "nobody") == Naming()
    dates = [s.date for s in loaded.stories_about("place", "hezheng")]
    assert len(dates) > 2 and dates == sorted(dates)


def section(html: str, anchor: str) -> tuple[str, str]:
    """The heading with ``anchor`` and what follows it up to the next heading."""
    match = re.search(rf'<h2 id="{anchor}">(.*?)</h2>(.*?)(?=<h2|\Z)', html, re.S)
    assert match, anchor
    return match.group(1), match.group(2)


def test_entity_pages_of_both_editions_show_what_names_them_with_links(editions):
    words = {"en": ("On the timeline", "In the key figures", "In photos"),
             "zh": ("大事记中", "关键数据中", "图片中")}
    for lang, prefix in (("en", ""), ("zh", "zh/")):
        html = content((editions.site / prefix / "places/hezheng/index.html").read_text(encoding="utf-8"))
        heading, events = section(html, "timeline")
        assert heading == words[lang][0] and 'href="../../timeline/#event-start"' in events
        assert ("The pairing begins" if lang == "en" else "结对开始") in Tags(events).text
        heading, figures = section(html, "figures")
        assert heading == words[lang][1] and 'href="../../figures/#figure-park"' in figures
        assert ("Park investment" if lang == "en" else "园区投资") in Tags(figures).text
        heading, photos = section(html, "photos")
        assert heading == words[lang][2] and 'href="../../photos/bags/"' in photos and "<img" in photos
        person = content((editions.site / prefix / "people/tian/index.html").read_text(encoding="utf-8"))
        assert 'href="../../timeline/#event-middle"' in section(person, "timeline")[1]
        assert 'id="figures"' not in person and 'id="photos"' not in person  # nothing else names him
        org = content((editions.site / prefix / "organizations/bag-co/index.html").read_text(encoding="utf-8"))
        assert 'href="../../photos/loom/"' in section(org, "photos")[1]
