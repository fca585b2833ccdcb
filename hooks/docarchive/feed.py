"""An Atom feed of the stories (``feed.xml``), made with feedgen.

Reproducible: every date comes from the content (a story's date, at the start
of its precision), never from the clock, and entries are in a fixed order
(newest first, then by path). Ids are URLs under ``site_url`` when it is set,
and otherwise stable ``urn:uuid`` values derived from the story's path.
"""

from __future__ import annotations

import uuid

from feedgen.feed import FeedGenerator

from .localize import Localizer
from .model import Archive
from .pages import uri_for
from .publication import Publication, start_of

FEED = "feed.xml"
_NAMESPACE = uuid.UUID("6f1f3c1e-4d5a-4b8e-9a57-2f1d3f0b9c11")  # fixed: the same path gives the same id


def _id(publication: Publication, uri: str) -> str:
    if publication.site_url:
        return publication.absolute(uri)
    return uuid.uuid5(_NAMESPACE, f"{publication.name}/{uri}").urn


def atom(archive: Archive, publication: Publication, loc: Localizer | None = None) -> str:
    """The feed of one edition: with ``loc``, the stories' titles and summaries in its language."""
    loc = loc or Localizer("en", archive)
    stories = sorted(archive.stories, key=lambda s: (s.date, s.path), reverse=True)
    fg = FeedGenerator()
    fg.id(_id(publication, "index.md"))
    fg.title(publication.name)
    fg.subtitle(publication.description or publication.name)
    fg.author({"name": publication.author or publication.name})
    fg.link(href=publication.absolute("index.md") or "./", rel="alternate")
    fg.language(loc.lang)
    if stories:
        fg.updated(max(start_of(s.date) for s in stories))
    else:
        fg.updated(start_of(archive.events[0].date) if archive.events else publication.date)
    for story in stories:
        entry = fg.add_entry(order="append")
        uri = uri_for(story)
        entry.id(_id(publication, uri))
        entry.title(loc.text(story, "title"))
        entry.link(href=publication.absolute(uri), rel="alternate")
        entry.summary(loc.text(story, "summary"))
        entry.updated(start_of(story.date))
        entry.published(start_of(story.date))
        entry.category([{"term": story.stage.id, "label": story.stage.title}] +
                       [{"term": tag} for tag in story.tags])
    return fg.atom_str(pretty=True).decode("utf-8")
