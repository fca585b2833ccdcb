"""Which pages the archive has: their source paths, titles, Markdown and navigation.

Pure: takes an ``Archive``, returns ``PageSpec`` objects. The hook turns them
into MkDocs virtual files; ``render`` fills in their layout.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

from .localize import Localizer
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
    fallback: bool = False  # the body is the English, standing in for a missing translation
    boost: float = 0  # the page's search weight, when it is not its kind's (SEARCH_BOOST)

    @property
    def in_nav(self) -> bool:
        return self.kind not in ("story", "photo", "entity", "stories")

    def file_content(self) -> str:
        # json.dumps gives a valid YAML string, whatever quotes or colons the title has.
        # Material prints title and description unescaped (nav, <title>, <meta>): escape them here.
        meta = [f"title: {json.dumps(_escape(self.title), ensure_ascii=False)}"]
        if self.description:
            meta.append(f"description: {json.dumps(_escape(self.description), ensure_ascii=False)}")
        boost = self.boost or SEARCH_BOOST.get(self.kind)
        if boost:  # Material's search weighs a page's words by its front matter's search.boost
            meta.append(f"search:\n  boost: {boost}")
        return "---\n" + "\n".join(meta) + "\n---\n\n" + self.markdown.strip() + "\n"


def _escape(text: str) -> str:
    """Markup escaped, and the double quote that ends Material's attributes; an apostrophe stays itself: the
    search index takes the title as it is, and "Vale&#x27;s" would be a word of its own there, rare, so
    weighty, and matching every search for "Vale"."""
    return html.escape(text, quote=False).replace('"', "&quot;")


# Search weights: an entity's or a stage's own page above the stories that name it, stories above photo pages.
SEARCH_BOOST = {"entity": 2, "stage": 2, "story": 1.5, "photo": 0.5}
# An entity whose own name is built on another registered name ("Mushroom base, Hill County", "Vale
# County"): below the page of the entity it is named after, still above the stories. Material's search
# does not weigh a match in a short title above one in a long title (it sets lunr's length
# normalisation, b, to 0), so only the page's weight can say which page a name is the whole title of.
COMPOUND_BOOST = 1.75

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


def plan_pages(archive: Archive, loc: Localizer | None = None) -> list[PageSpec]:
    """Every generated page of one edition (``loc``: its language), in a stable order;
    the number of pages is linear in the content, and the same in every edition."""
    loc = loc or Localizer("en", archive)
    _ = loc.gettext
    specs = [PageSpec("index.md", _("Home"), "home", archive)]
    for stage in archive.stages:
        # The intro is YAML text: Markdown yes, raw HTML no (escaped, shown as text).
        specs.append(PageSpec(uri_for(stage), stage.title, "stage", stage,
                              html.escape(loc.text(stage, "intro"), quote=False), loc.text(stage, "summary"),
                              fallback=loc.is_fallback(stage, "intro")))
    for story in archive.stories:
        body, fallback = loc.story_body(story)
        specs.append(PageSpec(uri_for(story), loc.text(story, "title"), "story", story, body,
                              loc.text(story, "summary"), fallback=fallback))
    specs.append(PageSpec("browse/index.md", _("Browse"), "browse", archive,
                          description=_("Every story, filtered by stage, year, place, person, organization or tag.")))
    specs.append(PageSpec("stories/index.md", _("Stories"), "stories", archive))
    period = loc.text(archive.info, "period")
    specs.append(PageSpec("timeline.md", _("Timeline"), "timeline", archive,
                          description=_("Dated events, %(period)s, by year.") % {"period": period} if period
                          else _("Dated events, by year.")))
    specs.append(PageSpec("figures.md", _("Key figures"), "figures", archive,
                          description=_("The key numbers, each with its date and source.")))
    specs.append(PageSpec("photos/index.md", _("Photos"), "gallery", archive,
                          description=_("Every photo of the archive, by stage.")))
    for photo in archive.photos:
        specs.append(PageSpec(uri_for(photo), photo_title(photo, loc), "photo", photo,
                              description=loc.text(photo, "caption")))
    compounds = compound_names(archive)
    for kind, items in (("person", archive.people), ("place", archive.places),
                        ("organization", archive.organizations)):
        uri, title = SECTION_INDEX[kind]
        specs.append(PageSpec(uri, _(title), "entities", (kind, items)))
        for item in items:
            boost = COMPOUND_BOOST if (kind, item.id) in compounds else 0
            specs.append(PageSpec(uri_for(item), entity_title(item, loc), "entity", (kind, item), boost=boost))
    specs.append(PageSpec("sources.md", _("Sources"), "sources", archive,
                          description=_("Full citations of the archive's sources.")))
    specs.append(PageSpec("data/index.md", _("Data"), "data", archive,
                          description=_("Every record of the archive as CSV and JSON, with a Frictionless data package.")))
    return specs


def compound_names(archive: Archive) -> set[tuple[str, str]]:
    """``(kind, id)`` of each person, place and organization whose own name (English or Chinese) contains,
    as whole words, a name or alias of another registered entry: searching for that part finds the part's
    own page first (``COMPOUND_BOOST``)."""
    entries = [(kind, item) for kind, items in (("person", archive.people), ("place", archive.places),
                                                ("organization", archive.organizations)) for item in items]
    names = [(item, name) for _, item in entries
             for name in (item.name, getattr(item, "name_zh", ""), *item.aliases) if name]
    found = set()
    for kind, item in entries:
        own = [n for n in (item.name, getattr(item, "name_zh", "")) if n]
        if any(other is not item and _contains(name, part) for name in own for other, part in names):
            found.add((kind, item.id))
    return found


def _contains(name: str, part: str) -> bool:
    """``part`` is a shorter piece of ``name``: whole words in Latin script, any run of Chinese characters."""
    if len(part) >= len(name):
        return False
    if part.isascii():
        return re.search(rf"(?<!\w){re.escape(part)}(?!\w)", name, re.IGNORECASE) is not None
    return part in name


def entity_title(item, loc: Localizer) -> str:
    """A name and its Chinese (from the glossary), the edition's language first."""
    name_zh = getattr(item, "name_zh", "")
    if not name_zh:
        return item.name
    return f"{item.name} ({name_zh})" if loc.is_english else f"{name_zh}（{item.name}）"


def photo_title(photo: Photo, loc: Localizer) -> str:
    if not loc.is_english and loc.chinese(photo, "caption"):
        text = loc.chinese(photo, "caption").removeprefix("占位图：").strip()
        return text.split("。")[0]  # the whole first sentence: a title is never cut mid-word
    text = photo.depicts or photo.caption
    text = text.removeprefix("Placeholder:").strip()
    return text.split(". ")[0].rstrip(".")


def plan_nav(archive: Archive, extra: list | None = None, loc: Localizer | None = None) -> list:
    """The navigation: a fixed, small tree. Stories are reached from their stage pages,
    never listed in the nav, so each page's nav costs the same whatever the archive's size.
    Stage titles stay as they are (the names of the source's sections)."""
    _ = (loc or Localizer("en", archive)).gettext
    nav: list = [
        {_("Home"): "index.md"},
        {_("Stages"): [{stage.title: uri_for(stage)} for stage in archive.stages]},
        {_("Browse"): "browse/index.md"},
        {_("Timeline"): "timeline.md"},
        {_("Photos"): "photos/index.md"},
        {_("People"): "people/index.md"},
        {_("Places"): "places/index.md"},
        {_("Organizations"): "organizations/index.md"},
        {_("Key figures"): "figures.md"},
        {_("Sources"): "sources.md"},
        {_("Data"): "data/index.md"},
    ]
    return nav + list(extra or [])
