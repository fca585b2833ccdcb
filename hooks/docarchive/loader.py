"""Loading: read every content file, check it against its schema, resolve its ids, build the model.

One small function per record kind, called in dependency order (sources, stages,
places, organizations, people, photos, stories, figures, events): a kind refers
only to kinds loaded before it, so one pass resolves everything. The references
themselves are not re-typed here: ``Resolver`` reads them from the schema's
declarations (``ref:K``, ``refs:K``, ``sourceref``, ``sourcerefs``).
"""

from __future__ import annotations

import dataclasses
import difflib
from pathlib import Path
from typing import Callable

from . import colours, sanitize
from . import schema as S
from .model import Archive, ArchiveInfo, Event, Figure, Organization, Person, Photo, Place, Source, SourceRef, Stage, Story
from .problems import ContentError, Problems
from .translations import TranslationCheck, is_chinese_file
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

# A checked record: its normalised values, the raw mapping (for line numbers) and its file.
Record = tuple[dict, Mapping, str]


class ParsedFiles:
    """What reading each content file gave, kept from one load to the next (``make serve`` loads on every save).

    Only the steps that depend on nothing but the file's own text are kept: the
    YAML or front-matter parse, a story's schema check and its body's checks (the
    HTML allowlist, no external fetch, TODO lines), each with the problems it
    found, at their lines. References are resolved afresh on every load, since
    another file may have changed. A file whose text is the same as last time is
    not parsed or checked again; the problems it had are reported again.
    Entries of files that a load did not read are dropped after it.
    """

    def __init__(self):
        self._kept: dict[tuple[str, str], tuple[str, object]] = {}  # (step, rel) -> (text, result)
        self._read: set[tuple[str, str]] = set()
        self._offered: dict[str, Callable[[], dict[str, tuple[str, object]]]] = {}

    def offer(self, step: str, supply: Callable[[], dict[str, tuple[str, object]]]) -> None:
        """What ``step`` gave for some files (rel -> (text, result)), made elsewhere (readahead.py) and
        asked for when the step first reads a file. A file whose text is not the one offered is made here."""
        self._offered[step] = supply

    def get(self, step: str, rel: str, text: str, make: Callable[[], object]):
        if step in self._offered:
            self._kept.update(((step, r), made) for r, made in self._offered.pop(step)().items())
        key = (step, rel)
        self._read.add(key)
        kept = self._kept.get(key)
        if kept is None or kept[0] != text:
            kept = self._kept[key] = (text, make())
        return kept[1]

    def forget_unread(self) -> None:
        for key in set(self._kept) - self._read:
            del self._kept[key]
        self._read = set()
        self._offered.clear()


class Reader:
    """Reads content files, collecting problems instead of stopping at the first."""

    def __init__(self, root: Path, parsed: ParsedFiles | None = None):
        self.root = root
        self.parsed = parsed if parsed is not None else ParsedFiles()
        self.problems = Problems()
        self.zh = TranslationCheck(self.problems)  # the Chinese beside the English (translations.py)
        self.zh_story_paths: list[Path] = []

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

    def read_yaml(self, path: Path):
        """The parsed data of one YAML file, or None when it cannot be read or parsed."""
        text = self.read_text(path)
        if text is None:
            return None
        rel = self.rel(path)
        parsed = self.parsed.get("yaml", rel, text, lambda: parse_yaml(text, rel))
        self.problems.extend(parsed.problems)
        return parsed if parsed.ok else None

    def read_list(self, rel: str, required: bool) -> list:
        """The records of a YAML file that holds a list of records."""
        path = self.root / rel
        if not path.exists():
            if required:
                self.problems.error(rel, 0, "file", "is missing", f"create {rel} with a list of records")
            return []
        parsed = self.read_yaml(path)
        if parsed is None or parsed.data is None:
            return []
        if not isinstance(parsed.data, Sequence):
            self.problems.error(rel, getattr(parsed.data, "line", 1) or 1, "file",
                                "expected a list of records", "start each record with '- id: ...'")
            return []
        return list(parsed.data)


def line_in(rec, name: str, index: int | None = None) -> int:
    """The line of field ``name`` in ``rec`` (of its item ``index`` for a list)."""
    if not isinstance(rec, Mapping):
        return getattr(rec, "line", 0)
    value = rec.get(name)
    if index is not None and isinstance(value, Sequence):
        return value.line_of(index)
    return rec.line_of(name)


class Resolver:
    """Turns the ids a record names into the objects they name, reporting each one that names nothing.

    ``objects[kind]`` holds the records built so far; ``known[kind]`` every id that
    exists, even in a record with errors of its own; ``broken`` the kinds whose file
    could not be read. A reference to a known id or a broken kind is not reported
    again: one cause, one message.
    """

    def __init__(self, problems: Problems):
        self.problems = problems
        self.objects: dict[str, dict] = {}
        self.known: dict[str, set] = {}
        self.broken: set[str] = set()

    def resolve(self, schema: S.Schema, values: dict, rec, rel: str, skip: tuple = ()) -> dict:
        """Every reference field of ``schema`` present in ``values``, resolved."""
        out = {}
        for f in schema.fields:
            if f.name in skip or f.name not in values:
                continue
            kind, _, target = f.type.partition(":")
            value = values[f.name]
            if kind == "ref":
                out[f.name] = self.ref(target, value, rel, line_in(rec, f.name), f.name)
            elif kind == "refs":
                found = (self.ref(target, v, rel, line_in(rec, f.name, i), f.name) for i, v in enumerate(value))
                out[f.name] = tuple(obj for obj in found if obj is not None)
            elif kind == "sourceref":
                out[f.name] = self.source(value, rel, line_in(rec, f.name), f.name, need_section=f.section)
            elif kind == "sourcerefs":
                found = (self.source(v, rel, line_in(rec, f.name, i), f.name) for i, v in enumerate(value))
                out[f.name] = tuple(obj for obj in found if obj is not None)
        return out

    def ref(self, kind: str, value: str, rel: str, line: int, name: str, objects: dict | None = None):
        objects = self.objects.get(kind, {}) if objects is None else objects
        if value in objects:
            return objects[value]
        if kind in self.broken or value in self.known.get(kind, ()):
            return None
        known = list(objects)  # stages come in their order; other ids in file order
        if kind == "stage":
            fix = f"use one of {', '.join(known)}"
        else:
            near = difflib.get_close_matches(value, known, n=1)
            where = REGISTRY_FILES.get(kind, {"story": "stories/", "photo": "photos/"}.get(kind, STAGE_FILE))
            fix = f"did you mean '{near[0]}'?" if near else f"add '{value}' to {where} or fix the id"
        article = "an" if kind[0] in "aeiou" else "a"
        self.problems.error(rel, line, name, f"'{value}' is not {article} {kind}", fix)
        return None

    def source(self, value: str, rel: str, line: int, name: str, need_section: bool = False) -> SourceRef | None:
        sid, _, section = value.partition("#")
        src = self.ref("source", sid, rel, line, name)
        if src is None:
            return None
        if section and section not in dict(src.sections):
            self.problems.error(rel, line, name, f"'{section}' is not a section of source '{sid}'",
                                f"use one of {', '.join(s for s, _ in src.sections) or '(none declared)'}")
            return None
        if need_section and not section:
            choices = ", ".join(f"{sid}#{s}" for s, _ in src.sections)
            self.problems.error(rel, line, name, "the source section is missing", f"write one of {choices}")
            return None
        return SourceRef(src, section)


def build(cls, schema: S.Schema, values: dict, resolved: dict, **extra):
    """The record as a ``cls``, or None when a field it needs is missing or names nothing.

    Either way the problem is already reported; a record left out only keeps
    its dependants from being checked against a half-made object.
    """
    fields = {**values, **resolved, **extra}
    for f in schema.fields:
        # A list of sources that all failed still leaves a usable (if unsourced, and reported) record.
        if f.required and f.type != "sourcerefs" and fields.get(f.name) is None:
            return None
    names = {f.name for f in dataclasses.fields(cls)}
    return cls(**{k: v for k, v in fields.items() if k in names})


# ---------------------------------------------------------------- registries (data/*.yml)


def read_registries(reader: Reader, resolver: Resolver) -> dict[str, dict[str, Record]]:
    """Every registry's checked records by id; records sharing an id are reported, the first kept."""
    registries = {}
    for kind, rel in [("stage", STAGE_FILE), *REGISTRY_FILES.items()]:
        errors_before = len(reader.problems.errors)
        records = reader.read_list(rel, required=kind in ("stage", "source"))
        if len(reader.problems.errors) > errors_before:
            resolver.broken.add(kind)
        checked = [(S.check_record(rec, S.SCHEMAS[kind], rel, reader.problems), rec, rel) for rec in records]
        resolver.known[kind] = {rec.get("id") for rec in records if isinstance(rec, Mapping)}
        registries[kind] = unique_ids(checked, kind, reader.problems)
        for rid, (values, rec, rel_) in registries[kind].items():
            reader.zh.record(kind, rid, values, rec, rel_)
    return registries


def unique_ids(records: list[Record], kind: str, problems: Problems) -> dict[str, Record]:
    seen: dict = {}
    for values, raw, rel in records:
        rid = values.get("id")
        if rid is None:
            continue
        if rid in seen:
            first = seen[rid]
            problems.error(rel, raw.line_of("id"), "id",
                           f"'{rid}' is already used by another {kind} ({first[2]}:{first[1].line})",
                           "give each record its own id")
            continue
        seen[rid] = (values, raw, rel)
    return seen


def load_kind(cls, kind: str, records: dict[str, Record], resolver: Resolver) -> dict:
    """The records of a registry kind whose references need no special care, built and registered."""
    schema = S.SCHEMAS[kind]
    built = {}
    for rid, (values, rec, rel) in records.items():
        obj = build(cls, schema, values, resolver.resolve(schema, values, rec, rel))
        if obj is not None:
            built[rid] = obj
    resolver.objects[kind] = built
    return built


def load_sources(records: dict[str, Record], resolver: Resolver) -> dict[str, Source]:
    return load_kind(Source, "source", records, resolver)  # sources first: everything cites them


def load_stages(records: dict[str, Record], resolver: Resolver) -> dict[str, Stage]:
    built = {sid: dataclasses.replace(stage, **stage_colours(records[sid], resolver.problems))
             for sid, stage in load_kind(Stage, "stage", records, resolver).items()}
    stages = dict(sorted(built.items(), key=lambda item: item[1].order))
    resolver.objects["stage"] = stages  # in reading order, for "use one of ..."
    orders = [s.order for s in stages.values()]
    if len(set(orders)) != len(orders):
        resolver.problems.error(STAGE_FILE, 0, "order", "two stages share the same order",
                                "number the stages 1, 2, 3 ...")
    return stages


def stage_colours(record: Record, p: Problems) -> dict:
    """The stage's two colours, declared or made from its id; a declared one must be readable behind its text."""
    values, rec, rel = record
    out = {}
    for name, dark in (("colour", False), ("colour_dark", True)):
        value = values.get(name) or colours.to_hex(colours.made_from_id(values["id"], dark))
        problem = colours.contrast_problem(value, dark) if name in values else ""
        if problem:
            p.error(rel, rec.line_of(name), name, problem, "pick a lighter colour" if dark else "pick a darker colour")
        out[name] = value
    return out


def load_info(reader: Reader, resolver: Resolver) -> ArchiveInfo:
    """data/archive.yml, one mapping (read last: it names figures and places); without it, an empty record."""
    path = reader.root / ARCHIVE_FILE
    parsed = reader.read_yaml(path) if path.exists() else None
    if parsed is None:
        return ArchiveInfo()
    values = S.check_record(parsed.data, S.ARCHIVE, ARCHIVE_FILE, reader.problems)
    resolved = resolver.resolve(S.ARCHIVE, values, parsed.data, ARCHIVE_FILE)
    between = resolved.get("between", ())
    if "between" in values and len(values["between"]) != 2:
        reader.problems.error(ARCHIVE_FILE, line_in(parsed.data, "between"), "between",
                              f"names {len(values['between'])} places", "name exactly two: [west, east]")
    reader.zh.record("archive", ArchiveInfo.id, values, parsed.data, ARCHIVE_FILE)  # its Chinese, if any
    return build(ArchiveInfo, S.ARCHIVE, values, {**resolved, "between": between if len(between) == 2 else ()}) \
        or ArchiveInfo()


def load_places(records: dict[str, Record], resolver: Resolver) -> dict[str, Place]:
    """Places, each after the place it is ``within`` (a chain that loops back is reported)."""
    built: dict = {}
    for pid in records:
        make_place(pid, records, built, resolver, trail=())
    places = {pid: place for pid, place in built.items() if place is not None}
    resolver.objects["place"] = places
    return places


def make_place(pid: str, records: dict[str, Record], built: dict, resolver: Resolver, trail: tuple):
    if pid in built:
        return built[pid]
    values, rec, rel = records[pid]
    within = None
    if "within" in values:
        target = values["within"]
        if target in trail or target == pid:
            resolver.problems.error(rel, rec.line_of("within"), "within", f"'{pid}' is inside itself",
                                    "fix the chain of 'within'")
        elif resolver.ref("place", target, rel, rec.line_of("within"), "within", records) is not None:
            within = make_place(target, records, built, resolver, trail + (pid,))
    resolved = resolver.resolve(S.PLACE, values, rec, rel, skip=("within",))
    built[pid] = build(Place, S.PLACE, values, resolved, within=within)
    return built[pid]


# ---------------------------------------------------------------- photos (photos/<id>.yml beside photos/<id>.jpg)


def scan_photos(reader: Reader, resolver: Resolver) -> tuple[dict[str, Path], dict[str, Path]]:
    """The images and caption records in photos/, by id; stray files and lone images are reported."""
    images: dict[str, Path] = {}
    records: dict[str, Path] = {}
    photo_dir = reader.root / "photos"
    paths = sorted(photo_dir.iterdir()) if photo_dir.is_dir() else []
    for path in paths:
        if path.name.startswith(".") or path.is_dir():
            continue
        suffix = path.suffix.lower()
        if suffix in (".yml", ".yaml"):
            records[path.stem] = path
        elif suffix in IMAGE_SUFFIXES:
            if path.stem in images:
                reader.problems.error(reader.rel(path), 0, "file", f"a second image for photo '{path.stem}'",
                                      "keep one image per photo id")
            images[path.stem] = path
        else:
            reader.problems.error(reader.rel(path), 0, "file",
                                  f"'{path.suffix}' is not a supported image or caption file",
                                  f"use one of {', '.join(IMAGE_SUFFIXES)} for images and .yml for captions")
    resolver.known["photo"] = set(records)
    for stem, path in images.items():
        if stem not in records:
            reader.problems.error(reader.rel(path), 0, "file", "this image has no caption record",
                                  f"add photos/{stem}.yml with caption, alt, credit, license, consent and stage")
    return images, records


def load_photos(reader: Reader, resolver: Resolver, inspect_image: Callable | None) -> dict[str, Photo]:
    images, records = scan_photos(reader, resolver)
    photos = {}
    for stem, path in records.items():
        photo = load_photo(stem, path, images.get(stem), reader, resolver, inspect_image)
        if photo is not None:
            photos[stem] = photo
    resolver.objects["photo"] = photos
    return photos


def load_photo(stem: str, path: Path, image: Path | None, reader: Reader, resolver: Resolver,
               inspect_image: Callable | None) -> Photo | None:
    p, rel = reader.problems, reader.rel(path)
    if not S.SLUG.match(stem):
        p.error(rel, 0, "file", f"'{stem}' is not a plain id",
                "rename the image and its .yml to lowercase letters, digits and hyphens")
        return None
    parsed = reader.read_yaml(path)
    if parsed is None:
        return None
    rec = parsed.data
    values = S.check_record(rec, S.PHOTO, rel, p)
    reader.zh.record("photo", stem, values, rec, rel)
    if image is None:
        p.error(rel, 0, "file", "the image for this caption record is missing",
                f"add photos/{stem}.jpg (or .jpeg, .png, .webp) or delete the record")
        return None
    if inspect_image is not None:
        for fname, message, fix, *level in inspect_image(image):  # a 4th item "warning" marks a warning
            report = p.warning if level == ["warning"] else p.error
            report(reader.rel(image), 0, fname, message, fix)
    resolved = resolver.resolve(S.PHOTO, values, rec, rel)
    if values.get("placeholder") and "placeholder" not in values.get("caption", "").lower():
        p.error(rel, rec.line_of("caption"), "caption", "a placeholder image must say so in its caption",
                "start the caption with 'Placeholder:'")
    return build(Photo, S.PHOTO, values, resolved, id=stem, image=image, path=rel)


# ---------------------------------------------------------------- stories (stories/<stage>/<slug>.md)


def story_paths(reader: Reader, resolver: Resolver) -> list[tuple[Path, str]]:
    """Each story file with its stage folder; misplaced files and reused slugs are reported."""
    story_dir = reader.root / "stories"
    paths = sorted(story_dir.rglob("*.md")) if story_dir.is_dir() else []
    reader.zh_story_paths = [path for path in paths if is_chinese_file(path)]  # <slug>.zh.md: the Chinese
    paths = [path for path in paths if not is_chinese_file(path)]
    p = reader.problems
    # No stories is not a problem: a new archive (docarchive init) starts with none.
    seen: dict[str, str] = {}
    out = []
    for path in paths:
        rel, parts, slug = reader.rel(path), path.relative_to(story_dir).parts, path.stem
        if len(parts) != 2:
            p.error(rel, 0, "file", "a story must sit in a stage folder",
                    f"move it to stories/<stage>/{path.name}, the folder of its stage")
        elif not S.SLUG.match(slug):
            p.error(rel, 0, "file", f"'{slug}' is not a plain slug",
                    "rename the file with lowercase letters, digits and hyphens, e.g. xialin-shoes.md")
        elif slug in seen:
            p.error(rel, 0, "file", f"the slug '{slug}' is also used by {seen[slug]}",
                    "give each story its own file name")
        else:
            seen[slug] = rel
            out.append((path, parts[0]))
    resolver.known["story"] = set(seen)
    return out


def load_stories(reader: Reader, resolver: Resolver) -> dict[str, Story]:
    stories = {}
    for path, folder in story_paths(reader, resolver):
        story = load_story(path, folder, reader, resolver)
        if story is not None:
            stories[story.slug] = story
    resolver.objects["story"] = stories
    return stories


def load_story(path: Path, folder: str, reader: Reader, resolver: Resolver) -> Story | None:
    p, rel = reader.problems, reader.rel(path)
    text = reader.read_text(path)
    if text is None:
        return None
    doc, rec, values, found = reader.parsed.get("story", rel, text, lambda: read_story(text, rel))
    p.extend(found)
    if rec is None:
        return None
    resolved = resolver.resolve(S.STORY, values, rec, rel)
    stage = resolved.get("stage")
    if stage is not None and folder != stage.id:
        p.error(rel, rec.line_of("stage"), "stage", f"the story is in folder '{folder}' but says stage '{stage.id}'",
                f"move the file to stories/{stage.id}/ or change the stage")
    return build(Story, S.STORY, values, resolved, slug=path.stem, body=doc.body, path=rel)


def read_story(text: str, rel: str) -> tuple:
    """(the front matter and body, the fields as written or None, their checked values, the problems) of one
    story's text: what depends on nothing else, kept by ``ParsedFiles``."""
    p = Problems()
    doc = parse_front_matter(text, rel)
    p.extend(doc.problems)
    if not doc.ok:
        return doc, None, {}, p
    rec = doc.meta if doc.meta is not None else Mapping(line=2)
    values = S.check_record(rec, S.STORY, rel, p)
    S.check_todo_lines(doc.body, rel, doc.body_line, "body", p)
    sanitize.check_story_body(doc.body, rel, doc.body_line, p)  # the HTML allowlist, on the rendered body
    return doc, rec, values, p


# ---------------------------------------------------------------- the whole archive


def load_archive(root: str | Path, inspect_image: Callable | None = None, parsed: ParsedFiles | None = None) -> Archive:
    """Load, validate and resolve the archive under ``root``; raise ContentError on any error.

    ``inspect_image(path) -> list[(field, message, fix)]`` checks an image file
    (see ``images.inspect``); it is optional so the model stays free of Pillow.
    ``parsed``: what the last load of the same archive read (``make serve``), so that unchanged
    files are not parsed again.
    """
    reader = Reader(Path(root).resolve(), parsed)
    try:
        return load_all(reader, inspect_image)
    finally:
        reader.parsed.forget_unread()


def load_all(reader: Reader, inspect_image: Callable | None) -> Archive:
    resolver = Resolver(reader.problems)
    registries = read_registries(reader, resolver)
    sources = load_sources(registries["source"], resolver)
    stages = load_stages(registries["stage"], resolver)
    places = load_places(registries["place"], resolver)
    organizations = load_kind(Organization, "organization", registries["organization"], resolver)
    people = load_kind(Person, "person", registries["person"], resolver)
    photos = load_photos(reader, resolver, inspect_image)
    stories = load_stories(reader, resolver)
    reader.zh.stories(reader.root, reader.zh_story_paths, {slug: s.path for slug, s in stories.items()},
                      reader.read_text)
    reader.zh.pages(reader.root, reader.root / "docs")
    figures = load_kind(Figure, "figure", registries["figure"], resolver)
    events = load_kind(Event, "event", registries["event"], resolver)
    info = load_info(reader, resolver)
    if reader.problems.errors:
        raise ContentError(list(reader.problems))
    return Archive(
        root=reader.root,
        stages=tuple(stages.values()),
        stories=tuple(sorted(stories.values(), key=lambda s: (s.stage.order, s.date, s.title))),
        photos=tuple(sorted(photos.values(), key=lambda ph: (ph.stage.order, ph.id))),
        events=tuple(sorted(events.values(), key=lambda e: (e.date, e.stage.order, e.id))),
        figures=tuple(figures.values()),
        people=tuple(sorted(people.values(), key=lambda x: x.name)),
        places=tuple(sorted(places.values(), key=lambda x: x.name)),
        organizations=tuple(sorted(organizations.values(), key=lambda x: x.name)),
        sources=tuple(sources.values()),
        warnings=tuple(sorted(set(reader.problems.warnings))),
        translations=reader.zh.found,
        untranslated=tuple(sorted(set(reader.zh.untranslated))),
        info=info,
    )
