"""The archive as plain immutable data, with every reference resolved.

``loader.load_archive(root)`` reads every content file, checks it against its
schema, resolves ids across files, and either returns an ``Archive`` or raises
``ContentError`` listing every problem of the run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar, Callable

from .dates import PartialDate
from .naming import Naming, naming_index
from .problems import Problem
from .translations import Translations


@dataclass(frozen=True)
class SourceRef:
    source: "Source"
    section_id: str = ""

    @property
    def section_title(self) -> str:
        return dict(self.source.sections).get(self.section_id, "")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    publication: str
    date: PartialDate
    authors: tuple[str, ...]
    title_zh: str = ""
    publication_zh: str = ""
    editor: str = ""
    language: str = ""
    note: str = ""
    sections: tuple[tuple[str, str], ...] = ()

    @property
    def citation(self) -> str:
        authors = ", ".join(self.authors)
        pub = f"{self.publication} ({self.publication_zh})" if self.publication_zh else self.publication
        text = f"{authors}. \u201c{self.title}.\u201d {pub}, {self.date.label}."
        if self.editor:
            text += f" Editor in charge: {self.editor}."
        return text


@dataclass(frozen=True, kw_only=True)
class Entity:
    """What places, organizations and people share: a name, its other spellings, a note, sources."""

    id: str
    name: str
    aliases: tuple[str, ...] = ()
    transliteration: bool = False  # the name is the translation's uncertain spelling
    note: str = ""
    sources: tuple[SourceRef, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Place(Entity):
    kind: str
    name_zh: str = ""
    within: "Place | None" = None


@dataclass(frozen=True, kw_only=True)
class Organization(Entity):
    kind: str
    name_zh: str = ""
    place: Place | None = None


@dataclass(frozen=True, kw_only=True)
class Person(Entity):
    role: str
    organization: Organization | None = None
    place: Place | None = None


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    order: int
    summary: str
    intro: str  # Markdown
    period: str = ""  # optional: a new archive's stages may not have their dates yet
    section: str = ""
    sources: tuple[SourceRef, ...] = ()
    gloss: str = ""
    colour: str = ""  # light palette, behind white text; the loader fills in one made from the id
    colour_dark: str = ""  # dark palette, behind near-black text


@dataclass(frozen=True)
class ArchiveInfo:
    """What the archive is (data/archive.yml); empty when the archive has no such file."""
    id: ClassVar[str] = "archive"  # its Chinese is found as ("archive", "archive") in the translations
    title: str = ""
    lede: str = ""
    period: str = ""
    short_title: str = ""
    headline_figures: tuple["Figure", ...] = ()
    between: tuple[Place, ...] = ()
    flows_to_first: tuple["Figure", ...] = ()
    flows_to_second: tuple["Figure", ...] = ()
    stages_intro: str = ""


@dataclass(frozen=True)
class Photo:
    id: str
    image: Path  # absolute path of the original image
    caption: str
    alt: str
    credit: str
    license: str
    consent: str
    stage: Stage
    consent_note: str = ""
    date: PartialDate | None = None
    place: Place | None = None
    source: SourceRef | None = None
    placeholder: bool = False
    depicts: str = ""
    stands_for: str = ""  # published-photograph | subject, for placeholders
    path: str = ""  # the caption record, relative to the root
    people: tuple[Person, ...] = ()  # the people and organizations it shows or names (their pages list it)
    organizations: tuple[Organization, ...] = ()

    @property
    def shown_in_lists(self) -> bool:
        """A stage-generic placeholder (a subject with no photograph) stays out of stories and the gallery."""
        return not self.placeholder or self.stands_for == "published-photograph"


@dataclass(frozen=True)
class Story:
    slug: str
    title: str
    stage: Stage
    date: PartialDate
    summary: str
    body: str  # Markdown
    path: str  # relative to the root
    places: tuple[Place, ...] = ()
    people: tuple[Person, ...] = ()
    organizations: tuple[Organization, ...] = ()
    tags: tuple[str, ...] = ()
    photos: tuple[Photo, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    featured: bool = False


@dataclass(frozen=True)
class Figure:
    id: str
    label: str
    value: float
    unit: str
    date: PartialDate
    counts: str
    stage: Stage
    source: SourceRef
    qualifier: str = "exact"
    chart: str = ""
    places: tuple[Place, ...] = ()  # the people, places and organizations it names (their pages list it)
    people: tuple[Person, ...] = ()
    organizations: tuple[Organization, ...] = ()

    @property
    def qualifier_text(self) -> str:
        return {"more-than": "more than", "nearly": "nearly", "about": "about", "up-to": "up to"}.get(
            self.qualifier, "")

    @property
    def value_text(self) -> str:
        value = self.value
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True)
class Event:
    id: str
    date: PartialDate
    title: str
    stage: Stage
    text: str
    sources: tuple[SourceRef, ...] = ()
    stories: tuple[Story, ...] = ()
    figures: tuple[Figure, ...] = ()
    plan: bool = False
    found: bool = False  # a condition found or a running total, not a dated happening
    places: tuple[Place, ...] = ()  # the people, places and organizations it names (their pages list it)
    people: tuple[Person, ...] = ()
    organizations: tuple[Organization, ...] = ()

    @property
    def kind(self) -> str:
        """event, found or plan: what the entry is, shown by the shape of its dot."""
        return "plan" if self.plan else "found" if self.found else "event"


@dataclass(frozen=True)
class Archive:
    root: Path
    stages: tuple[Stage, ...]
    stories: tuple[Story, ...]
    photos: tuple[Photo, ...]
    events: tuple[Event, ...]
    figures: tuple[Figure, ...]
    people: tuple[Person, ...]
    places: tuple[Place, ...]
    organizations: tuple[Organization, ...]
    sources: tuple[Source, ...]
    warnings: tuple[Problem, ...] = ()
    translations: Translations = field(default_factory=Translations)  # the Chinese (translations.py)
    untranslated: tuple[Problem, ...] = ()  # English with no Chinese: warnings that `check` prints
    info: ArchiveInfo = ArchiveInfo()
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        idx = self._index
        idx["stories_by_stage"] = defaultdict(list)
        idx["events_by_stage"] = defaultdict(list)
        idx["stories_by"] = defaultdict(list)  # (kind, id) -> stories
        idx["photo_stories"] = defaultdict(list)
        for story in self.stories:
            idx["stories_by_stage"][story.stage.id].append(story)
            for kind, items in (("person", story.people), ("place", story.places),
                                ("organization", story.organizations)):
                for item in items:
                    idx["stories_by"][(kind, item.id)].append(story)
            for photo in story.photos:
                idx["photo_stories"][photo.id].append(story)
        for event in self.events:
            idx["events_by_stage"][event.stage.id].append(event)
        for stories in idx["stories_by"].values():  # an entity's page lists its stories by date
            stories.sort(key=lambda story: (story.date, story.title))
        idx["naming"] = naming_index(self.events, self.figures, self.photos)
        # A story's place in its stage, for neighbours() in constant time (list.index would compare
        # whole stories, for every story page: quadratic in the stage's size).
        idx["position"] = {story.slug: i for same in idx["stories_by_stage"].values() for i, story in enumerate(same)}

    def stories_in(self, stage: Stage) -> list[Story]:
        return self._index["stories_by_stage"][stage.id]

    def count_in(self, stage: Stage) -> int:
        """How many stories the stage has (a story page's "story 3 of 6" reads this, not every sibling)."""
        return len(self.stories_in(stage))

    def events_in(self, stage: Stage) -> list[Event]:
        return self._index["events_by_stage"][stage.id]

    def stories_about(self, kind: str, item_id: str) -> list[Story]:
        return self._index["stories_by"][(kind, item_id)]

    def naming(self, kind: str, item_id: str) -> Naming:
        """The timeline events, key figures and photos that name a person, place or organization."""
        return self._index["naming"].get((kind, item_id), Naming())

    def stories_with_photo(self, photo: Photo) -> list[Story]:
        return self._index["photo_stories"][photo.id]

    def position(self, story: Story) -> int:
        """The story's place in its stage, from 1 (constant time: the breadcrumb's "story 3 of 6")."""
        return self._index["position"][story.slug] + 1

    def neighbours(self, story: Story) -> tuple[Story | None, Story | None]:
        """Previous and next story within the same stage, in date order."""
        same = self.stories_in(story.stage)
        i = self._index["position"][story.slug]
        return (same[i - 1] if i > 0 else None, same[i + 1] if i + 1 < len(same) else None)

    @property
    def featured(self) -> list[Story]:
        return [s for s in self.stories if s.featured]


def load_archive(root: str | Path, inspect_image: Callable | None = None, parsed=None) -> Archive:
    """Kept for callers: the loading itself lives in ``loader`` (``parsed``: a ``loader.ParsedFiles``)."""
    from .loader import load_archive as load  # the loader builds these types, so it imports this module

    return load(root, inspect_image=inspect_image, parsed=parsed)
