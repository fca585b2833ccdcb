"""The archive's records as a Frictionless data package: a CSV and a JSON file per table, and datapackage.json.

Each table is declared once (``TABLES``): its fields with their type and
meaning, its primary key and its foreign keys. The same declaration makes the
CSV rows, the JSON rows, the Table Schema in ``datapackage.json``
(https://specs.frictionlessdata.io/) and the Data page that explains each file.
Lists of references (a story's places) are link tables, so that every
reference is a foreign key that ``frictionless validate`` checks.
Pure: model in, text out; the glue adds the files to the site under ``data/``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any, Callable, Iterable

from . import jsontext
from .localize import Localizer
from .model import Archive, SourceRef, Story

FOLDER = "data"
DESCRIPTOR = f"{FOLDER}/datapackage.json"
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"  # a date at its precision: 2017, 2017-12 or 2017-12-03


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean
    description: str
    get: Callable[[Any], Any] | None
    required: bool = False
    date: bool = False  # a partial date, checked against DATE_PATTERN
    zh: str = ""  # the Chinese of this field of the record (translations.py), instead of ``get``

    def schema(self) -> dict:
        out: dict = {"name": self.name, "type": self.type, "description": self.description}
        constraints = {}
        if self.required:
            constraints["required"] = True
        if self.date:
            constraints["pattern"] = DATE_PATTERN
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    rows: Callable[[Archive], Iterable[Any]]
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[tuple[str, str, str], ...] = ()  # (field, table, field there)

    @property
    def csv_path(self) -> str:
        return f"{FOLDER}/{self.name}.csv"

    @property
    def json_path(self) -> str:
        return f"{FOLDER}/{self.name}.json"

    def records(self, archive: Archive) -> list[dict]:
        chinese = Localizer("zh", archive).chinese
        return [{f.name: (chinese(row, f.zh) or None) if f.zh else f.get(row) for f in self.fields}
                for row in self.rows(archive)]


def _id(obj) -> str | None:
    return obj.id if obj is not None else None


def _date(d) -> str | None:
    return d.iso if d is not None else None


def _joined(items) -> str:
    return "; ".join(items)


def _section(ref: SourceRef | None) -> str | None:
    return (ref.section_id or None) if ref is not None else None


def _key(obj) -> str:
    """The id another table uses for ``obj``: a story's slug, a cited source's id, or the id."""
    if isinstance(obj, SourceRef):
        return obj.source.id
    return obj.slug if isinstance(obj, Story) else obj.id


# The fields every register entry has (model.Entity): people, places and organizations alike.
_ENTITY_FIELDS = (
    Field("aliases", "string", "other spellings, separated by '; '", lambda e: _joined(e.aliases)),
    Field("transliteration", "boolean", "true if the name is kept in the source's uncertain spelling",
          lambda e: e.transliteration),
    Field("note", "string", "a note", lambda e: e.note or None),
)


def _link_table(name: str, title: str, owner: tuple[str, str], attr: str, target: tuple[str, str],
                extra: tuple[Field, ...] = ()) -> Table:
    """A table of (owner, item) for every item in ``owner.<attr>``: a list of references, as foreign keys."""
    (owner_field, owner_table), (target_field, target_table) = owner, target
    pk = {"stories": "slug"}
    return Table(
        name, title, f"One row for each {target_field} of each {owner_field}.",
        lambda archive: [(o, item) for o in getattr(archive, owner_table) for item in getattr(o, attr)],
        (Field(owner_field, "string", f"the {owner_field} ({owner_table}.csv)", lambda r: _key(r[0]), True),
         Field(target_field, "string", f"the {target_field} ({target_table}.csv)", lambda r: _key(r[1]), True),
         *extra),
        (),
        ((owner_field, owner_table, pk.get(owner_table, "id")), (target_field, target_table, pk.get(target_table, "id"))),
    )


SECTION = Field("section", "string", "the section of the source, if one is cited (see the source's sections)",
                lambda r: _section(r[1]))


def _tables() -> tuple[Table, ...]:
    slug = lambda s: s.slug  # noqa: E731
    ident = lambda o: o.id  # noqa: E731
    return (
        Table("stages", "Stages", "The stages the archive is told in, in order.", lambda a: a.stages, (
            Field("id", "string", "the stage's id", ident, True),
            Field("title", "string", "its title", lambda s: s.title, True),
            Field("order", "integer", "its place in the sequence, from 1", lambda s: s.order, True),
            Field("period", "string", "the years it covers, as written", lambda s: s.period),
            Field("summary", "string", "one sentence about it", lambda s: s.summary),
        ), ("id",)),
        Table("stories", "Stories", "Every story, with its stage and date.", lambda a: a.stories, (
            Field("slug", "string", "the story's id (its file name)", slug, True),
            Field("title", "string", "its title", lambda s: s.title, True),
            Field("title_zh", "string", "its Chinese title, if translated", None, zh="title"),
            Field("stage", "string", "its stage (stages.csv)", lambda s: s.stage.id, True),
            Field("date", "string", "the date it tells of, at its precision (YYYY, YYYY-MM or YYYY-MM-DD)",
                  lambda s: s.date.iso, True, True),
            Field("summary", "string", "one or two sentences", lambda s: s.summary, True),
            Field("summary_zh", "string", "its summary in Chinese, if translated", None, zh="summary"),
            Field("tags", "string", "its tags, separated by '; '", lambda s: _joined(s.tags)),
            Field("featured", "boolean", "whether the home page features it", lambda s: s.featured),
            Field("path", "string", "its Markdown master in the archive's repository", lambda s: s.path, True),
        ), ("slug",), (("stage", "stages", "id"),)),
        _link_table("story_places", "Places of stories", ("story", "stories"), "places", ("place", "places")),
        _link_table("story_people", "People in stories", ("story", "stories"), "people", ("person", "people")),
        _link_table("story_organizations", "Organizations in stories", ("story", "stories"), "organizations",
                    ("organization", "organizations")),
        _link_table("story_photos", "Photos of stories", ("story", "stories"), "photos", ("photo", "photos")),
        _link_table("story_sources", "Sources of stories", ("story", "stories"), "sources",
                    ("source", "sources"), (SECTION,)),
        Table("photos", "Photos", "Every photo record: caption, credit, licence and consent.", lambda a: a.photos, (
            Field("id", "string", "the photo's id (its file name without extension)", ident, True),
            Field("caption", "string", "its caption", lambda p: p.caption, True),
            Field("caption_zh", "string", "its caption in Chinese, if translated", None, zh="caption"),
            Field("alt", "string", "its text alternative, for readers who cannot see it", lambda p: p.alt, True),
            Field("credit", "string", "who made it", lambda p: p.credit, True),
            Field("license", "string", "its licence", lambda p: p.license, True),
            Field("consent", "string", "whether identifiable people consented", lambda p: p.consent, True),
            Field("stage", "string", "its stage (stages.csv)", lambda p: p.stage.id, True),
            Field("date", "string", "when it was taken, at its precision", lambda p: _date(p.date), date=True),
            Field("place", "string", "where (places.csv)", lambda p: _id(p.place)),
            Field("source", "string", "where it was published (sources.csv)",
                  lambda p: p.source.source.id if p.source else None),
            Field("section", "string", "the section of that source", lambda p: _section(p.source)),
            Field("placeholder", "boolean", "true for a generated card standing in for a real photograph",
                  lambda p: p.placeholder),
            Field("image", "string", "the master image's file name in photos/", lambda p: p.image.name, True),
        ), ("id",), (("stage", "stages", "id"), ("place", "places", "id"), ("source", "sources", "id"))),
        Table("events", "Timeline events", "Every dated event of the timeline, in date order.", lambda a: a.events, (
            Field("id", "string", "the event's id", ident, True),
            Field("date", "string", "its date, at its precision", lambda e: e.date.iso, True, True),
            Field("title", "string", "what happened", lambda e: e.title, True),
            Field("title_zh", "string", "the same in Chinese, if translated", None, zh="title"),
            Field("stage", "string", "its stage (stages.csv)", lambda e: e.stage.id, True),
            Field("text", "string", "a few sentences", lambda e: e.text, True),
            Field("plan", "boolean", "true for a plan announced, not a thing done", lambda e: e.plan),
            Field("found", "boolean", "true for how things stood when the source looked (a condition found, "
                  "a running total), not a dated happening", lambda e: e.found),
        ), ("id",), (("stage", "stages", "id"),)),
        _link_table("event_stories", "Stories of events", ("event", "events"), "stories", ("story", "stories")),
        _link_table("event_sources", "Sources of events", ("event", "events"), "sources",
                    ("source", "sources"), (SECTION,)),
        _link_table("event_figures", "Figures of events", ("event", "events"), "figures",
                    ("figure", "figures")),
        Table("figures", "Key figures", "Every key figure, with what it counts and its source.", lambda a: a.figures, (
            Field("id", "string", "the figure's id", ident, True),
            Field("label", "string", "what it is", lambda f: f.label, True),
            Field("label_zh", "string", "the same in Chinese, if translated", None, zh="label"),
            Field("qualifier", "string", "the source's hedge: exact, more-than, nearly, about or up-to",
                  lambda f: f.qualifier, True),
            Field("value", "number", "the number", lambda f: f.value, True),
            Field("unit", "string", "its unit", lambda f: f.unit, True),
            Field("date", "string", "the date it refers to, at its precision", lambda f: f.date.iso, True, True),
            Field("counts", "string", "exactly what it counts", lambda f: f.counts, True),
            Field("stage", "string", "its stage (stages.csv)", lambda f: f.stage.id, True),
            Field("source", "string", "its source (sources.csv)", lambda f: f.source.source.id, True),
            Field("section", "string", "the section of that source", lambda f: _section(f.source)),
        ), ("id",), (("stage", "stages", "id"), ("source", "sources", "id"))),
        Table("people", "People", "The register of people.", lambda a: a.people, (
            Field("id", "string", "the person's id", ident, True),
            Field("name", "string", "their name, as the source gives it", lambda p: p.name, True),
            Field("role", "string", "their role at the time", lambda p: p.role, True),
            Field("organization", "string", "their organization (organizations.csv)", lambda p: _id(p.organization)),
            Field("place", "string", "their place (places.csv)", lambda p: _id(p.place)),
            *_ENTITY_FIELDS,
        ), ("id",), (("organization", "organizations", "id"), ("place", "places", "id"))),
        Table("places", "Places", "The register of places.", lambda a: a.places, (
            Field("id", "string", "the place's id", ident, True),
            Field("name", "string", "its English name", lambda p: p.name, True),
            Field("name_zh", "string", "its Chinese name, if known", lambda p: p.name_zh or None),
            Field("kind", "string", "what kind of place (city, county, village...)", lambda p: p.kind, True),
            Field("within", "string", "the place it lies in (places.csv)", lambda p: _id(p.within)),
            *_ENTITY_FIELDS,
        ), ("id",), (("within", "places", "id"),)),
        Table("organizations", "Organizations", "The register of organizations.", lambda a: a.organizations, (
            Field("id", "string", "the organization's id", ident, True),
            Field("name", "string", "its English name", lambda o: o.name, True),
            Field("name_zh", "string", "its Chinese name, if known", lambda o: o.name_zh or None),
            Field("kind", "string", "what kind of organization", lambda o: o.kind, True),
            Field("place", "string", "where it is (places.csv)", lambda o: _id(o.place)),
            *_ENTITY_FIELDS,
        ), ("id",), (("place", "places", "id"),)),
        Table("sources", "Sources", "The sources the archive cites, with full bibliographic details.",
              lambda a: a.sources, (
                  Field("id", "string", "the source's id", ident, True),
                  Field("title", "string", "its title", lambda s: s.title, True),
                  Field("title_zh", "string", "its Chinese title, if known", lambda s: s.title_zh or None),
                  Field("publication", "string", "where it was published", lambda s: s.publication, True),
                  Field("publication_zh", "string", "that publication's Chinese name",
                        lambda s: s.publication_zh or None),
                  Field("date", "string", "its date of publication, at its precision", lambda s: s.date.iso, True,
                        True),
                  Field("authors", "string", "its authors, separated by '; '", lambda s: _joined(s.authors)),
                  Field("editor", "string", "its editor", lambda s: s.editor or None),
                  Field("language", "string", "the language the archive read it in", lambda s: s.language or None),
                  Field("sections", "string", "its sections as id: title, separated by '; '",
                        lambda s: _joined(f"{i}: {t}" for i, t in s.sections)),
                  Field("note", "string", "a note", lambda s: s.note or None),
              ), ("id",)),
    )


TABLES = _tables()


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def table_csv(table: Table, records: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([f.name for f in table.fields])
    writer.writerows([[_cell(r[f.name]) for f in table.fields] for r in records])
    return out.getvalue()


def descriptor(archive_name: str, description: str) -> dict:
    """datapackage.json: one tabular resource per table, its schema, keys and foreign keys."""
    resources = []
    for table in TABLES:
        schema: dict = {"fields": [f.schema() for f in table.fields], "missingValues": [""]}
        if table.primary_key:
            schema["primaryKey"] = list(table.primary_key)
        if table.foreign_keys:
            schema["foreignKeys"] = [
                {"fields": field, "reference": {"resource": "" if target == table.name else target, "fields": key}}
                for field, target, key in table.foreign_keys]
        resources.append({"name": table.name, "title": table.title, "description": table.description,
                          "path": f"{table.name}.csv", "profile": "tabular-data-resource", "format": "csv",
                          "mediatype": "text/csv", "encoding": "utf-8", "schema": schema})
    return {"profile": "tabular-data-package", "name": "archive", "title": archive_name,
            "description": description, "resources": resources}


def paths() -> list[str]:
    """The site paths of ``files``, in its order, without making them."""
    return [*(path for table in TABLES for path in (table.csv_path, table.json_path)), DESCRIPTOR]


def files(archive: Archive, archive_name: str, description: str) -> dict[str, str]:
    """Site path -> content: every table's CSV and JSON, and the descriptor."""
    out = {}
    for table in TABLES:
        records = table.records(archive)
        out[table.csv_path] = table_csv(table, records)
        out[table.json_path] = jsontext.dumps(records) + "\n"
    out[DESCRIPTOR] = jsontext.dumps(descriptor(archive_name, description)) + "\n"
    return out
