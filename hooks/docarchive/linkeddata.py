"""schema.org JSON-LD for the generated pages: what search engines and catalogues read.

Story pages are ``Article``s (``about`` their places and organizations,
``mentions`` their people, ``isPartOf`` the archive, ``citation`` their
sources); photo pages ``ImageObject``s; the timeline a list of ``Event``s; the
home page the ``WebSite`` and the ``Collection`` it presents. URLs are absolute
under ``site_url`` when it is set, else relative to the page (JSON-LD resolves
them against the page's address).
"""

from __future__ import annotations

import json
from typing import Any, Callable

from markupsafe import Markup

from .jsontext import Unusual as _Unusual, indented_json
from .model import Archive, Organization, Person, Photo, Place, Source, SourceRef, Story
from .pages import PageSpec, anchor_for, uri_for
from .publication import Publication

CONTEXT = "https://schema.org"


class Graph:
    """Builds the JSON-LD objects of one page."""

    def __init__(self, archive: Archive, publication: Publication, link: Callable[[Any], str], media: dict):
        self.archive, self.publication, self.link, self.media = archive, publication, link, media

    def url(self, obj: Any) -> str:
        if not self.publication.site_url:
            return self.link(obj)
        uri = obj if isinstance(obj, str) else uri_for(obj)
        anchor = "" if isinstance(obj, str) else anchor_for(obj)
        url = self.publication.absolute(uri)
        return f"{url}#{anchor}" if anchor else url

    def site(self) -> dict:
        out = {"@type": "WebSite", "@id": self.url("index.md") + "#website", "name": self.publication.name,
               "url": self.url("index.md")}
        if self.publication.description:
            out["description"] = self.publication.description
        return out

    def entity(self, item: Person | Place | Organization) -> dict:
        kind = {Person: "Person", Place: "Place", Organization: "Organization"}[type(item)]
        out = {"@type": kind, "@id": self.url(item) + "#" + item.id, "name": item.name, "url": self.url(item)}
        alternates = [n for n in (getattr(item, "name_zh", ""), *item.aliases) if n]
        if alternates:
            out["alternateName"] = alternates
        if isinstance(item, Person) and item.role:
            out["jobTitle"] = item.role
        return out

    def source(self, ref: SourceRef | Source) -> dict:
        source = ref.source if isinstance(ref, SourceRef) else ref
        out = {"@type": "CreativeWork", "name": source.title, "datePublished": source.date.iso,
               "author": [{"@type": "Person", "name": a} for a in source.authors],
               "isPartOf": {"@type": "Periodical", "name": source.publication}}
        if isinstance(ref, SourceRef) and ref.section_id:
            out["description"] = f"Section: {ref.section_title}"
        return out

    def publisher(self) -> dict | None:
        return {"@type": "Organization", "name": self.publication.author} if self.publication.author else None

    def image_url(self, photo: Photo) -> str | None:
        rendition = self.media.get(photo.id)
        return self.url(rendition.largest("jpeg").uri) if rendition is not None else None

    def story(self, story: Story) -> dict:
        out = {"@type": "Article", "headline": story.title, "name": story.title, "description": story.summary,
               "url": self.url(story), "inLanguage": "en", "temporalCoverage": story.date.iso,
               "isPartOf": self.site(),
               "about": [self.entity(i) for i in (*story.places, *story.organizations)],
               "mentions": [self.entity(p) for p in story.people],
               "citation": [self.source(ref) for ref in story.sources],
               "articleSection": story.stage.title}
        if story.tags:
            out["keywords"] = list(story.tags)
        images = [u for u in (self.image_url(p) for p in story.photos) if u]
        if images:
            out["image"] = images
        return self._authored(out)

    def photo(self, photo: Photo) -> dict:
        out = {"@type": "ImageObject", "name": photo.caption.split(". ")[0], "caption": photo.caption,
               "description": photo.alt, "creditText": photo.credit,
               "license": {"@type": "CreativeWork", "name": photo.license}, "url": self.url(photo),
               "isPartOf": self.site()}
        content = self.image_url(photo)
        if content:
            out["contentUrl"] = content
        if photo.date:
            out["dateCreated"] = photo.date.iso
        if photo.place:
            out["contentLocation"] = self.entity(photo.place)
        if photo.source:
            out["citation"] = self.source(photo.source)
        return out

    def events(self) -> dict:
        items = []
        for event in self.archive.events:
            items.append({"@type": "Event", "@id": self.url(event), "name": event.title, "startDate": event.date.iso,
                          "description": event.text, "url": self.url(event),
                          "eventStatus": "https://schema.org/EventScheduled" if event.plan else None,
                          "subjectOf": [self.source(ref) for ref in event.sources]})
        for item in items:
            if item["eventStatus"] is None:
                del item["eventStatus"]
        return {"@type": "ItemList", "name": "Timeline", "isPartOf": self.site(),
                "itemListElement": [{"@type": "ListItem", "position": i + 1, "item": item}
                                    for i, item in enumerate(items)]}

    def home(self) -> dict:
        collection = {"@type": "Collection", "name": self.publication.name, "url": self.url("index.md"),
                      "collectionSize": len(self.archive.stories) + len(self.archive.photos),
                      "isPartOf": {"@id": self.url("index.md") + "#website"},
                      "citation": [self.source(s) for s in self.archive.sources]}
        return {"@graph": [self.site(), self._authored(collection)]}

    def _authored(self, out: dict) -> dict:
        publisher = self.publisher()
        if publisher:
            out["author"] = out["publisher"] = publisher
        return out


def page_jsonld(spec: PageSpec, graph: Graph) -> dict | None:
    """The JSON-LD of a generated page, or None for kinds that have none."""
    make = {"story": lambda: graph.story(spec.obj), "photo": lambda: graph.photo(spec.obj),
            "timeline": graph.events, "home": graph.home}.get(spec.kind)
    if make is None:
        return None
    return {"@context": CONTEXT, **make()}


def script_text(data: dict) -> Markup:
    """The JSON for a <script type="application/ld+json">: no '<' can end the script early."""
    try:
        text = indented_json(data)
    except _Unusual:
        text = json.dumps(data, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c"))
