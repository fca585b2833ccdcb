"""Which pages the archive has: their source paths, titles, Markdown and navigation.

Pure: takes an ``Archive``, returns ``PageSpec`` objects. The hook turns them
into MkDocs virtual files; ``render`` fills in their layout.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any

from .model import Archive, Event, Figure, Organization, Person, Photo, Place, Source, Stage, Story

SECTION_INDEX = {
    "person": ("people/index.md", "People"),
    "place": ("places/index.md", "Places"),
    "organization": ("organizations/index.md", "Organizations"),
}


@dataclass(frozen=True)
class PageSpec:
    src_uri: str
    title: str
    kind: str  # the template: home, stage, story, timeline, entity, entities, gallery, photo, figures, sources
    obj: Any = None
    markdown: str = ""  # body Markdown (story text, stage intro); layout comes from the template
    description: str = ""

    @property
    def in_nav(self) -> bool:
        return self.kind not in ("story", "photo", "entity")

    def file_content(self) -> str:
        # json.dumps gives a valid YAML string, whatever quotes or colons the title has.
        # Material prints title and description unescaped (nav, <title>, <meta>): escape them here.
        meta = [f"title: {json.dumps(html.escape(self.title), ensure_ascii=False)}"]
        if self.description:
            meta.append(f"description: {json.dumps(html.escape(self.description), ensure_ascii=False)}")
        return "---\n" + "\n".join(meta) + "\n---\n\n" + self.markdown.strip() + "\n"


# Where each kind of object is shown: its own page ("{id}" filled in), or an anchor on a shared page.
PAGE_OF = {
    Stage: ("stages/{id}.md", ""),
    Person: ("people/{id}.md", ""),
    Place: ("places/{id}.md", ""),
    Organization: ("organizations/{id}.md", ""),
    Photo: ("photos/{id}.md", ""),
    Source: ("sources.md", "source-{id}"),
    Event: ("timeline.md", "event-{id}"),
    Figure: ("figures.md", "figure-{id}"),
}


def uri_for(obj: Any) -> str:
    """The source path of the page that shows ``obj``."""
    if isinstance(obj, Story):  # stories live in their stage's folder
        return f"stories/{obj.stage.id}/{obj.slug}.md"
    try:
        return PAGE_OF[type(obj)][0].format(id=obj.id)
    except KeyError:
        raise TypeError(f"no page for {type(obj).__name__}") from None


def anchor_for(obj: Any) -> str:
    """The id of the element that shows ``obj`` on a shared page (events, figures, sources)."""
    return PAGE_OF.get(type(obj), ("", ""))[1].format(id=getattr(obj, "id", ""))


def plan_pages(archive: Archive) -> list[PageSpec]:
    """Every generated page, in a stable order; the number of pages is linear in the content."""
    specs = [PageSpec("index.md", "Home", "home", archive)]
    for stage in archive.stages:
        # The intro is YAML text: Markdown yes, raw HTML no (escaped, shown as text).
        specs.append(PageSpec(uri_for(stage), stage.title, "stage", stage, html.escape(stage.intro, quote=False),
                              stage.summary))
    for story in archive.stories:
        specs.append(PageSpec(uri_for(story), story.title, "story", story, story.body, story.summary))
    period = f", {archive.info.period}" if archive.info.period else ""
    specs.append(PageSpec("timeline.md", "Timeline", "timeline", archive,
                          description=f"Dated events{period}, by year."))
    specs.append(PageSpec("figures.md", "Key figures", "figures", archive,
                          description="The key numbers, each with its date and source."))
    specs.append(PageSpec("photos/index.md", "Photos", "gallery", archive,
                          description="Every photo of the archive, by stage."))
    for photo in archive.photos:
        specs.append(PageSpec(uri_for(photo), _photo_title(photo), "photo", photo, description=photo.caption))
    for kind, items in (("person", archive.people), ("place", archive.places),
                        ("organization", archive.organizations)):
        uri, title = SECTION_INDEX[kind]
        specs.append(PageSpec(uri, title, "entities", (kind, items)))
        for item in items:
            title = item.name
            if getattr(item, "name_zh", ""):
                title = f"{item.name} ({item.name_zh})"
            specs.append(PageSpec(uri_for(item), title, "entity", (kind, item)))
    specs.append(PageSpec("sources.md", "Sources", "sources", archive,
                          description="Full citations of the archive's sources."))
    return specs


def _photo_title(photo: Photo) -> str:
    text = photo.depicts or photo.caption
    text = text.removeprefix("Placeholder:").strip()
    first = text.split(". ")[0].rstrip(".")
    return first if len(first) <= 80 else first[:77].rstrip() + "..."


def plan_nav(archive: Archive, extra: list | None = None) -> list:
    """The navigation: a fixed, small tree. Stories are reached from their stage pages,
    never listed in the nav, so each page's nav costs the same whatever the archive's size."""
    nav: list = [
        {"Home": "index.md"},
        {"Stages": [{stage.title: uri_for(stage)} for stage in archive.stages]},
        {"Timeline": "timeline.md"},
        {"Photos": "photos/index.md"},
        {"People": "people/index.md"},
        {"Places": "places/index.md"},
        {"Organizations": "organizations/index.md"},
        {"Key figures": "figures.md"},
        {"Sources": "sources.md"},
    ]
    return nav + list(extra or [])
