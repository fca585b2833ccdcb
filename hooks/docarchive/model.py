"""The archive as plain immutable data, with every reference resolved.

``load_archive(root)`` reads every content file, checks it against its schema,
resolves ids across files, and either returns an ``Archive`` or raises
``ContentError`` listing every problem of the run.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import colours
from . import schema as S
from .dates import PartialDate
from .problems import ContentError, Problem, Problems
from .yamlsrc import Mapping, Sequence, parse_front_matter, parse_yaml

STAGE_FILE = "data/stages.yml"
ARCHIVE_FILE = "data/archive.yml"
REGISTRY_FILES = {
    "source": "data/sources.yml",
    "place": "data/places.yml",
    "organization": "data/organizations.yml",
    "person": "data/people.yml",
    "figure": "data/figures.yml",
    "event": "data/timeline.yml",
}
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


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


@dataclass(frozen=True)
class Place:
    id: str
    name: str
    kind: str
    name_zh: str = ""
    within: "Place | None" = None
    aliases: tuple[str, ...] = ()
    transliteration: bool = False
    note: str = ""
    sources: tuple[SourceRef, ...] = ()


@dataclass(frozen=True)
class Organization:
    id: str
    name: str
    kind: str
    name_zh: str = ""
    place: Place | None = None
    aliases: tuple[str, ...] = ()
    transliteration: bool = False
    note: str = ""
    sources: tuple[SourceRef, ...] = ()


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    organization: Organization | None = None
    place: Place | None = None
    aliases: tuple[str, ...] = ()
    transliteration: bool = False
    note: str = ""
    sources: tuple[SourceRef, ...] = ()


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    order: int
    period: str
    summary: str
    intro: str  # Markdown
    section: str = ""
    sources: tuple[SourceRef, ...] = ()
    colour: str = "#5b4636"  # light palette, behind white text
    colour_dark: str = "#d8c6b4"  # dark palette, behind near-black text


@dataclass(frozen=True)
class ArchiveInfo:
    """What the archive is (data/archive.yml); empty when the archive has no such file."""
    title: str = ""
    lede: str = ""
    period: str = ""
    title_zh: str = ""
    lede_zh: str = ""
    period_zh: str = ""


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
    title_zh: str = ""
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
    sources: tuple[SourceRef, ...]
    stories: tuple[Story, ...] = ()
    figures: tuple[Figure, ...] = ()
    plan: bool = False


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

    def stories_in(self, stage: Stage) -> list[Story]:
        return self._index["stories_by_stage"][stage.id]

    def events_in(self, stage: Stage) -> list[Event]:
        return self._index["events_by_stage"][stage.id]

    def stories_about(self, kind: str, item_id: str) -> list[Story]:
        return self._index["stories_by"][(kind, item_id)]

    def stories_with_photo(self, photo: Photo) -> list[Story]:
        return self._index["photo_stories"][photo.id]

    def neighbours(self, story: Story) -> tuple[Story | None, Story | None]:
        """Previous and next story within the same stage, in date order."""
        same = self.stories_in(story.stage)
        i = same.index(story)
        return (same[i - 1] if i > 0 else None, same[i + 1] if i + 1 < len(same) else None)

    @property
    def featured(self) -> list[Story]:
        return [s for s in self.stories if s.featured]


# ---------------------------------------------------------------- loading


class _Loader:
    """Reads every file once, collecting problems instead of stopping at the first."""

    def __init__(self, root: Path, inspect_image: Callable | None):
        self.root = root
        self.problems = Problems()
        self.inspect_image = inspect_image

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def read_text(self, path: Path) -> str | None:
        try:
            return path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            self.problems.error(self.rel(path), 0, "file", f"is not UTF-8 text ({exc.reason})",
                                "save the file as UTF-8")
        except OSError as exc:
            self.problems.error(self.rel(path), 0, "file", f"cannot be read ({exc.strerror})",
                                "check that the file exists and is readable")
        return None

    def read_list(self, rel: str, required: bool = True) -> list[tuple[Mapping, str]]:
        """Read a YAML file that holds a list of records."""
        path = self.root / rel
        if not path.exists():
            if required:
                self.problems.error(rel, 0, "file", "is missing", f"create {rel} with a list of records")
            return []
        text = self.read_text(path)
        if text is None:
            return []
        parsed = parse_yaml(text, rel)
        self.problems.extend(parsed.problems)
        if not parsed.ok or parsed.data is None:
            return []
        if not isinstance(parsed.data, Sequence):
            self.problems.error(rel, getattr(parsed.data, "line", 1) or 1, "file",
                                "expected a list of records", "start each record with '- id: ...'")
            return []
        return [(item, rel) for item in parsed.data]

    def read_record(self, rel: str) -> Mapping | None:
        """Read an optional YAML file that holds one mapping."""
        path = self.root / rel
        text = self.read_text(path) if path.exists() else None
        if text is None:
            return None
        parsed = parse_yaml(text, rel)
        self.problems.extend(parsed.problems)
        return parsed.data if parsed.ok else None

    def check_ids(self, records: list[tuple[dict, Mapping, str]], kind: str) -> dict:
        seen: dict = {}
        for values, raw, rel in records:
            rid = values.get("id")
            if rid is None:
                continue
            if rid in seen:
                first = seen[rid][2]
                self.problems.error(rel, raw.line_of("id"), "id",
                                    f"'{rid}' is already used by another {kind} ({first}:{seen[rid][1].line})",
                                    "give each record its own id")
                continue
            seen[rid] = (values, raw, rel)
        return seen


def load_archive(root: str | Path, inspect_image: Callable | None = None) -> Archive:
    """Load, validate and resolve the archive under ``root``; raise ContentError on any error.

    ``inspect_image(path) -> list[(field, message, fix)]`` checks an image file
    (see ``images.inspect``); it is optional so the model stays free of Pillow.
    """
    root = Path(root).resolve()
    ld = _Loader(root, inspect_image)
    p = ld.problems

    raw: dict[str, list] = {}
    broken: set[str] = set()  # kinds whose file could not be read: references to them go unchecked
    known_ids: dict[str, set] = {}  # ids that exist, even when their record has errors
    for kind, rel in [("stage", STAGE_FILE), *REGISTRY_FILES.items()]:
        schema = S.SCHEMAS[kind]
        required = kind in ("stage", "source")
        errors_before = len(p.errors)
        records = ld.read_list(rel, required)
        if len(p.errors) > errors_before:
            broken.add(kind)
        raw[kind] = [(S.check_record(rec, schema, rel_, p), rec, rel_) for rec, rel_ in records]
        known_ids[kind] = {rec.get("id") for rec, _ in records if isinstance(rec, Mapping)}
    by_id = {kind: ld.check_ids(records, kind) for kind, records in raw.items()}
    info_record = ld.read_record(ARCHIVE_FILE)
    info = ArchiveInfo(**S.check_record(info_record, S.ARCHIVE, ARCHIVE_FILE, p)) if info_record is not None \
        else ArchiveInfo()

    def ref(kind: str, value: str, rel: str, line: int, field_name: str, objects: dict):
        if value in objects:
            return objects[value]
        if kind in broken or value in known_ids.get(kind, ()):
            # The target exists but has its own errors, or its file could not be read:
            # those are reported already; one cause, one message.
            return None
        known = list(objects)  # stages come in their order; other ids in file order
        near = difflib.get_close_matches(value, known, n=1)
        where = REGISTRY_FILES.get(kind, {"story": "stories/", "photo": "photos/"}.get(kind, STAGE_FILE))
        fix = f"did you mean '{near[0]}'?" if near else f"add '{value}' to {where} or fix the id"
        if kind == "stage":
            fix = f"use one of {', '.join(known)}"
        article = "an" if kind[0] in "aeiou" else "a"
        p.error(rel, line, field_name, f"'{value}' is not {article} {kind}", fix)
        return None

    def line_in(rec, name: str, index: int | None = None) -> int:
        if not isinstance(rec, Mapping):
            return getattr(rec, "line", 0)
        value = rec.get(name)
        if index is not None and isinstance(value, Sequence):
            return value.line_of(index)
        return rec.line_of(name)

    def refs(kind, values, rec, rel, name, objects):
        out = []
        for i, v in enumerate(values):
            obj = ref(kind, v, rel, line_in(rec, name, i), name, objects)
            if obj is not None:
                out.append(obj)
        return tuple(out)

    # Sources first: everything cites them.
    sources = {sid: Source(**v) for sid, (v, rec, rel) in by_id["source"].items()
               if {"title", "publication", "date", "authors"} <= v.keys()}

    def source_ref(value, rec, rel, name, index=None, need_section=False):
        sid, _, section = value.partition("#")
        src = ref("source", sid, rel, line_in(rec, name, index), name, sources)
        if src is None:
            return None
        line = line_in(rec, name, index)
        if section and section not in dict(src.sections):
            p.error(rel, line, name, f"'{section}' is not a section of source '{sid}'",
                    f"use one of {', '.join(s for s, _ in src.sections) or '(none declared)'}")
            return None
        if need_section and not section:
            choices = ", ".join(f"{sid}#{s}" for s, _ in src.sections)
            p.error(rel, line, name, "the source section is missing", f"write one of {choices}")
            return None
        return SourceRef(src, section)

    def source_refs(values, rec, rel, name):
        out = [source_ref(v, rec, rel, name, i) for i, v in enumerate(values)]
        return tuple(r for r in out if r is not None)

    # Stages.
    stages_list = []
    for sid, (v, rec, rel) in by_id["stage"].items():
        stage_colours = _stage_colours(sid, v, rec, rel, p)
        if not {"title", "order", "period", "summary", "intro"} <= v.keys():
            continue
        stages_list.append(Stage(
            id=sid, title=v["title"], order=v["order"], period=v["period"], summary=v["summary"],
            intro=v["intro"], section=v.get("section", ""),
            sources=source_refs(v.get("sources", ()), rec, rel, "sources"), **stage_colours))
    stages_list.sort(key=lambda s: s.order)
    stages = {s.id: s for s in stages_list}
    orders = [s.order for s in stages_list]
    if len(set(orders)) != len(orders):
        p.error(STAGE_FILE, 0, "order", "two stages share the same order", "number the stages 1, 2, 3 ...")

    # Places: resolve 'within' after all are known.
    place_vals = by_id["place"]
    places: dict = {}

    def make_place(pid: str, trail=()):
        if pid in places:
            return places[pid]
        v, rec, rel = place_vals[pid]
        within = None
        if "within" in v:
            if v["within"] in trail or v["within"] == pid:
                p.error(rel, rec.line_of("within"), "within", f"'{pid}' is inside itself", "fix the chain of 'within'")
            elif ref("place", v["within"], rel, rec.line_of("within"), "within", place_vals) is not None:
                within = make_place(v["within"], trail + (pid,))
        if not {"name", "kind"} <= v.keys():
            places[pid] = None
            return None
        places[pid] = Place(id=pid, name=v["name"], kind=v["kind"], name_zh=v.get("name_zh", ""), within=within,
                            aliases=v.get("aliases", ()), transliteration=v.get("transliteration", False),
                            note=v.get("note", ""), sources=source_refs(v.get("sources", ()), rec, rel, "sources"))
        return places[pid]

    for pid in place_vals:
        make_place(pid)
    places = {k: v for k, v in places.items() if v is not None}

    organizations = {}
    for oid, (v, rec, rel) in by_id["organization"].items():
        place = ref("place", v["place"], rel, rec.line_of("place"), "place", places) if "place" in v else None
        if not {"name", "kind"} <= v.keys():
            continue
        organizations[oid] = Organization(
            id=oid, name=v["name"], kind=v["kind"], name_zh=v.get("name_zh", ""), place=place,
            aliases=v.get("aliases", ()), transliteration=v.get("transliteration", False), note=v.get("note", ""),
            sources=source_refs(v.get("sources", ()), rec, rel, "sources"))

    people = {}
    for pid, (v, rec, rel) in by_id["person"].items():
        org = (ref("organization", v["organization"], rel, rec.line_of("organization"), "organization",
                   organizations) if "organization" in v else None)
        place = ref("place", v["place"], rel, rec.line_of("place"), "place", places) if "place" in v else None
        srcs = source_refs(v.get("sources", ()), rec, rel, "sources")
        if not {"name", "role"} <= v.keys():
            continue
        people[pid] = Person(id=pid, name=v["name"], role=v["role"], organization=org, place=place,
                             aliases=v.get("aliases", ()), transliteration=v.get("transliteration", False),
                             note=v.get("note", ""), sources=srcs)

    # Photos: one caption record (.yml) beside each image.
    photos = {}
    photo_dir = root / "photos"
    images = {}
    records = {}
    if photo_dir.is_dir():
        for path in sorted(photo_dir.iterdir()):
            if path.name.startswith(".") or path.is_dir():
                continue
            suffix = path.suffix.lower()
            if suffix in (".yml", ".yaml"):
                records[path.stem] = path
            elif suffix in IMAGE_SUFFIXES:
                if path.stem in images:
                    p.error(ld.rel(path), 0, "file", f"a second image for photo '{path.stem}'",
                            "keep one image per photo id")
                images[path.stem] = path
            else:
                p.error(ld.rel(path), 0, "file", f"'{path.suffix}' is not a supported image or caption file",
                        f"use one of {', '.join(IMAGE_SUFFIXES)} for images and .yml for captions")
    known_ids["photo"] = set(records)
    for stem, path in images.items():
        if stem not in records:
            p.error(ld.rel(path), 0, "file", "this image has no caption record",
                    f"add photos/{stem}.yml with caption, alt, credit, license, consent and stage")
    for stem, path in records.items():
        rel = ld.rel(path)
        if not S.SLUG.match(stem):
            p.error(rel, 0, "file", f"'{stem}' is not a plain id",
                    "rename the image and its .yml to lowercase letters, digits and hyphens")
            continue
        text = ld.read_text(path)
        if text is None:
            continue
        parsed = parse_yaml(text, rel)
        p.extend(parsed.problems)
        if not parsed.ok:
            continue
        rec = parsed.data
        v = S.check_record(rec, S.PHOTO, rel, p)
        image = images.get(stem)
        if image is None:
            p.error(rel, 0, "file", "the image for this caption record is missing",
                    f"add photos/{stem}.jpg (or .jpeg, .png, .webp) or delete the record")
            continue
        if inspect_image is not None:
            for fname, message, fix, *level in inspect_image(image):  # a 4th item "warning" marks a warning
                report = p.warning if level == ["warning"] else p.error
                report(ld.rel(image), 0, fname, message, fix)
        stage = ref("stage", v["stage"], rel, rec.line_of("stage"), "stage", stages) if "stage" in v else None
        place = ref("place", v["place"], rel, rec.line_of("place"), "place", places) if "place" in v else None
        source = source_ref(v["source"], rec, rel, "source") if "source" in v else None
        if v.get("placeholder") and "placeholder" not in v.get("caption", "").lower():
            p.error(rel, rec.line_of("caption"), "caption", "a placeholder image must say so in its caption",
                    "start the caption with 'Placeholder:'")
        if not ({"caption", "alt", "credit", "license", "consent"} <= v.keys()) or stage is None:
            continue
        photos[stem] = Photo(
            id=stem, image=image, caption=v["caption"], alt=v["alt"], credit=v["credit"], license=v["license"],
            consent=v["consent"], consent_note=v.get("consent_note", ""), stage=stage, date=v.get("date"),
            place=place, source=source, placeholder=v.get("placeholder", False), depicts=v.get("depicts", ""),
            stands_for=v.get("stands_for", ""),
            path=rel)

    # Stories: stories/<stage>/<slug>.md
    stories = {}
    story_dir = root / "stories"
    story_paths = sorted(story_dir.rglob("*.md")) if story_dir.is_dir() else []
    if not story_paths:
        p.error("stories", 0, "file", "there are no stories", "add stories/<stage>/<slug>.md files")
    seen_slugs: dict = {}
    for path in story_paths:
        rel = ld.rel(path)
        parts = path.relative_to(story_dir).parts
        slug = path.stem
        if len(parts) != 2:
            p.error(rel, 0, "file", "a story must sit in a stage folder",
                    f"move it to stories/<stage>/{path.name}, e.g. stories/root/{path.name}")
            continue
        folder = parts[0]
        if not S.SLUG.match(slug):
            p.error(rel, 0, "file", f"'{slug}' is not a plain slug",
                    "rename the file with lowercase letters, digits and hyphens, e.g. xialin-shoes.md")
            continue
        if slug in seen_slugs:
            p.error(rel, 0, "file", f"the slug '{slug}' is also used by {seen_slugs[slug]}",
                    "give each story its own file name")
            continue
        seen_slugs[slug] = rel
        known_ids.setdefault("story", set()).add(slug)
        text = ld.read_text(path)
        if text is None:
            continue
        doc = parse_front_matter(text, rel)
        p.extend(doc.problems)
        if not doc.ok:
            continue
        rec = doc.meta if doc.meta is not None else Mapping(line=2)
        v = S.check_record(rec, S.STORY, rel, p)
        for offset, line in enumerate(doc.body.split("\n")):
            match = S.UNSAFE.search(line)
            if match:
                p.error(rel, doc.body_line + offset, "body",
                        f"contains '{match.group(0)}': scripts, event handlers and javascript: links are not allowed",
                        "remove it; use Markdown for links and images")
        stage = None
        if "stage" in v:
            stage = ref("stage", v["stage"], rel, rec.line_of("stage"), "stage", stages)
            if stage is not None and folder != stage.id:
                p.error(rel, rec.line_of("stage"), "stage",
                        f"the story is in folder '{folder}' but says stage '{stage.id}'",
                        f"move the file to stories/{stage.id}/ or change the stage")
        places_ = refs("place", v.get("places", ()), rec, rel, "places", places)
        people_ = refs("person", v.get("people", ()), rec, rel, "people", people)
        orgs_ = refs("organization", v.get("organizations", ()), rec, rel, "organizations", organizations)
        photos_ = refs("photo", v.get("photos", ()), rec, rel, "photos", photos)
        srcs = source_refs(v.get("sources", ()), rec, rel, "sources")
        if stage is None or not {"title", "date", "summary"} <= v.keys():
            continue
        stories[slug] = Story(
            slug=slug, title=v["title"], stage=stage, date=v["date"], summary=v["summary"], body=doc.body,
            path=rel, title_zh=v.get("title_zh", ""), places=places_, people=people_, organizations=orgs_,
            tags=v.get("tags", ()), photos=photos_, sources=srcs, featured=v.get("featured", False))

    figures = {}
    for fid, (v, rec, rel) in by_id["figure"].items():
        stage = ref("stage", v["stage"], rel, rec.line_of("stage"), "stage", stages) if "stage" in v else None
        src = source_ref(v["source"], rec, rel, "source", need_section=True) if "source" in v else None
        if stage is None or src is None or not {"label", "value", "unit", "date", "counts"} <= v.keys():
            continue
        figures[fid] = Figure(id=fid, label=v["label"], value=v["value"], unit=v["unit"], date=v["date"],
                              counts=v["counts"], stage=stage, source=src, qualifier=v.get("qualifier", "exact"),
                              chart=v.get("chart", ""))

    events = []
    for eid, (v, rec, rel) in by_id["event"].items():
        stage = ref("stage", v["stage"], rel, rec.line_of("stage"), "stage", stages) if "stage" in v else None
        linked = refs("story", v.get("stories", ()), rec, rel, "stories", stories)
        figs = refs("figure", v.get("figures", ()), rec, rel, "figures", figures)
        srcs = source_refs(v.get("sources", ()), rec, rel, "sources")
        if stage is None or not {"date", "title", "text"} <= v.keys():
            continue
        events.append(Event(id=eid, date=v["date"], title=v["title"], stage=stage, text=v["text"], sources=srcs,
                            stories=linked, figures=figs, plan=v.get("plan", False)))

    if p.errors:
        raise ContentError(list(p))

    def story_key(s: Story):
        return (s.stage.order, s.date, s.title)

    return Archive(
        root=root,
        stages=tuple(stages_list),
        stories=tuple(sorted(stories.values(), key=story_key)),
        photos=tuple(sorted(photos.values(), key=lambda ph: (ph.stage.order, ph.id))),
        events=tuple(sorted(events, key=lambda e: (e.date, e.stage.order, e.id))),
        figures=tuple(figures.values()),
        people=tuple(sorted(people.values(), key=lambda x: x.name)),
        places=tuple(sorted(places.values(), key=lambda x: x.name)),
        organizations=tuple(sorted(organizations.values(), key=lambda x: x.name)),
        sources=tuple(sources.values()),
        warnings=tuple(sorted(set(p.warnings))),
        info=info,
    )


def _stage_colours(sid: str, values: dict, rec: Mapping, rel: str, p: Problems) -> dict:
    """The stage's two colours, declared or made from its id; a declared one must be readable behind its text."""
    out = {}
    for name, dark in (("colour", False), ("colour_dark", True)):
        value = values.get(name) or colours.to_hex(colours.made_from_id(sid, dark))
        problem = colours.contrast_problem(value, dark) if name in values else ""
        if problem:
            p.error(rel, rec.line_of(name), name, problem,
                    "pick a darker colour" if not dark else "pick a lighter colour")
        out[name] = value
    return out

