"""The browse page's facets: stage, year, place, person, organization and tag, with counts.

Pure: the template prints every story as a card carrying its facet values
(``data-f-place="riverside north-prefecture"``), and the facets with their full counts; the
browser script (``theme/assets/javascripts/browse.js``) filters the cards in
place from the URL (``?place=riverside&person=jane-doe``, registry ids, one
parameter per value) and updates the counts. Without a script the page is the
full list, grouped by stage.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from .model import Archive, Story

PAGE = "browse/index.md"


@dataclass(frozen=True)
class FacetValue:
    id: str
    label: str
    count: int
    label_zh: str = ""  # the glossary's Chinese name of a place or organization, for the Chinese edition


@dataclass(frozen=True)
class Facet:
    name: str  # the URL parameter
    label: str
    values: tuple[FacetValue, ...]


def tag_id(tag: str) -> str:
    """A tag as a URL value: lower case, words joined by hyphens ("Village Workshops & Training" ->
    "village-workshops-training")."""
    return re.sub(r"[^\w]+", "-", tag.lower()).strip("-")


def story_values(story: Story) -> dict[str, list[str]]:
    """The facet values of one story, by facet name."""
    return {
        "stage": [story.stage.id],
        "year": [str(story.date.year)],
        "place": [p.id for p in story.places],
        "person": [p.id for p in story.people],
        "organization": [o.id for o in story.organizations],
        "tag": [tag_id(t) for t in story.tags],
    }


def facets(archive: Archive) -> list[Facet]:
    """Every facet with the values that some story has, in a reader's order, and how many stories have each."""
    counts: dict[str, Counter] = {name: Counter() for name in ("stage", "year", "place", "person", "organization",
                                                               "tag")}
    labels: dict[tuple[str, str], str] = {}
    labels_zh: dict[tuple[str, str], str] = {}
    for story in archive.stories:
        for name, values in story_values(story).items():
            counts[name].update(set(values))
        labels.update({("place", p.id): p.name for p in story.places})
        labels.update({("person", p.id): p.name for p in story.people})
        labels.update({("organization", o.id): o.name for o in story.organizations})
        labels.update({("tag", tag_id(t)): t for t in story.tags})
        labels_zh.update({(kind, e.id): e.name_zh for kind, items in (("place", story.places),
                          ("organization", story.organizations)) for e in items if e.name_zh})
    stage_order = {s.id: (s.order, s.title) for s in archive.stages}
    out = [Facet("stage", "Stage", tuple(FacetValue(sid, stage_order[sid][1], counts["stage"][sid])
                                         for sid in sorted(counts["stage"], key=lambda s: stage_order[s][0]))),
           Facet("year", "Year", tuple(FacetValue(y, y, counts["year"][y]) for y in sorted(counts["year"])))]
    for name, label in (("place", "Place"), ("person", "Person"), ("organization", "Organization"), ("tag", "Tag")):
        ordered = sorted(counts[name], key=lambda v: labels[(name, v)].lower())
        out.append(Facet(name, label, tuple(FacetValue(v, labels[(name, v)], counts[name][v],
                                                       labels_zh.get((name, v), "")) for v in ordered)))
    return out


def query(facet: str, value: str) -> str:
    """The query string that opens browse with one facet value set: query("place", "hezheng") -> "?place=hezheng"."""
    return "?" + urlencode({facet: value})
