"""One declared schema per input kind, and the generic checker that applies it.

Each field says its type, whether it is required, and what it means; the
editors' guide (docs/editing.md) documents every field, and a test fails
when one is missing there. References to other records ("ref:place") are
resolved later, by ``loader.Resolver``, once every file has been read.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from . import sanitize
from .sanitize import external_fetch  # noqa: F401 - part of this module's interface
from .dates import DateError, parse_date
from .problems import Problems
from .yamlsrc import Mapping, Sequence

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TODO_MARK = re.compile(r"\bTODO\b")  # left by `docarchive new` where the editor has to write something


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # str | text | markdown | colour | date | int | number | bool | strs | id | enum | ref:K | refs:K | sourceref | sourcerefs | sections
    required: bool = False
    doc: str = ""
    choices: tuple = ()
    example: str = ""
    section: bool = False  # a sourceref that must name a section of its source
    translatable: bool = False  # has a Chinese counterpart (see ``Schema`` and docs/editing.md)


ZH = "_zh"  # the suffix of a YAML field's Chinese sibling: summary -> summary_zh


@dataclass(frozen=True)
class Schema:
    """The fields of one input kind.

    A translatable field of a YAML record gets its Chinese sibling ``<name>_zh``
    declared right after it, optional and typed like it, so the sibling is a
    known key and is checked like the English. A story keeps its Chinese in its
    own file instead (``<slug>.zh.md``, ``zh_file=True``), checked by ``zh_schema()``.
    """

    kind: str
    fields: tuple[Field, ...]
    doc: str = ""
    zh_file: bool = False

    def __post_init__(self):
        if self.zh_file:
            return
        expanded = []
        for f in self.fields:
            expanded.append(f)
            if f.translatable:
                expanded.append(Field(f.name + ZH, f.type, False, f"Chinese of `{f.name}`.", f.choices))
        object.__setattr__(self, "fields", tuple(expanded))

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    @property
    def translatable(self) -> tuple[Field, ...]:
        """The fields that have a Chinese counterpart."""
        return tuple(f for f in self.fields if f.translatable)

    def zh_schema(self) -> "Schema":
        """The schema of the kind's Chinese file: its translatable fields only, none required."""
        fields = tuple(Field(f.name, f.type, False, f"Chinese of the English file's `{f.name}`.", f.choices)
                       for f in self.translatable)
        return Schema(self.kind + "-zh", fields, f"The Chinese of a {self.kind}.", zh_file=True)


STAGE = Schema("stage", (
    Field("id", "id", True, "Stage slug, also the folder of its stories: stories/<id>/.", example="early-years"),
    Field("title", "str", True, "Stage name as readers see it.", example="Early years"),
    Field("order", "int", True, "Position in the story, from 1, in the source's order.", example="1"),
    Field("period", "str", False, "Years the stage covers, as the source supports them; leave it out until a "
          "source gives them.", example="2010–2014", translatable=True),
    Field("summary", "text", True, "One or two sentences for the home page.", example="The first years.",
          translatable=True),
    Field("intro", "markdown", True, "Introduction of 150 to 300 words (Markdown).", example="|\n  Paragraph...",
          translatable=True),
    Field("section", "str", False, "The heading of the source section this stage follows (the translation's words).",
          example="Chapter 1: How it began"),
    Field("sources", "sourcerefs", False, "Sources the introduction rests on (needed as soon as it states a fact).",
          example="[paper-2019#early-years]"),
    Field("gloss", "str", False, "One line on what the stage's name means, for the home page.",
          example="Putting down roots: industry brought to barren ground.", translatable=True),
    Field("colour", "colour", False, "The stage's colour, #rrggbb, behind white text (4.5:1 contrast at least); "
          "made from the id when omitted.", example="#3d70d6"),
    Field("colour_dark", "colour", False, "The stage's colour in the dark palette, #rrggbb, behind near-black "
          "text; made from the id when omitted.", example="#a3daf5"),
))

ARCHIVE = Schema("archive", (
    Field("title", "str", True, "The archive's title, the home page's heading.",
          example="Riverside and its partner city, 2010–2020", translatable=True),
    Field("lede", "text", True, "The home page's opening paragraph: what the archive is about.", example="...",
          translatable=True),
    Field("period", "str", True, "The years the archive covers.", example="2010–2020", translatable=True),
    Field("short_title", "str", False, "A short title for a phone's header, where the site's name is cut.",
          example="Riverside–Harbour City", translatable=True),
    Field("headline_figures", "refs:figure", False, "Key figure ids shown as the headline numbers, on the home "
          "page and at the top of the key figures page.", example="[cadres-sent, workers-transferred-q1-2020]"),
    Field("between", "refs:place", False, "The two places the archive is about, for the home page's schematic: "
          "the first drawn on the left (west), the second on the right.", example="[riverside, harbour-city]"),
    Field("flows_to_first", "refs:figure", False, "Key figures of what went to the first place of 'between'.",
          example="[cadres-sent]"),
    Field("flows_to_second", "refs:figure", False, "Key figures of what went to the second place of 'between'.",
          example="[workers-transferred-q1-2020]"),
    Field("stages_intro", "text", False, "One sentence for the home page on what the stages are.",
          example="The five stages are the five sections of the source.", translatable=True),
), doc="data/archive.yml: one mapping that says what this archive is.")

STORY = Schema("story", (
    Field("title", "str", True, "Headline of the story.", example="A workshop opens in the village",
          translatable=True),
    Field("stage", "ref:stage", True, "Stage the story belongs to; must match the folder.", example="early-years"),
    Field("date", "date", True, "When it happened: YYYY, YYYY-MM or YYYY-MM-DD, only as precise as the source.",
          example="2012-10"),
    Field("summary", "text", True, "One or two plain sentences shown in lists and search.", example="...",
          translatable=True),
    Field("places", "refs:place", False, "Place ids from data/places.yml.", example="[riverside]"),
    Field("people", "refs:person", False, "Person ids from data/people.yml.", example="[jane-doe]"),
    Field("organizations", "refs:organization", False, "Organization ids from data/organizations.yml.",
          example="[harbour-textiles]"),
    Field("tags", "strs", False, "Free keywords, lowercase.", example="[workshops, training]"),
    Field("photos", "refs:photo", False, "Photo ids (file names in photos/ without extension).",
          example="[village-workshop]"),
    Field("sources", "sourcerefs", True, "Source ids, optionally with a section: paper-2019#early-years.",
          example="[paper-2019#early-years]"),
    Field("featured", "bool", False, "Show the story on the home page.", example="true"),
), zh_file=True)
STORY_ZH = STORY.zh_schema()

PHOTO = Schema("photo", (
    Field("caption", "text", True, "What the picture shows, in a sentence or two (plain text).", example="...",
          translatable=True),
    Field("alt", "text", True, "Text for readers who cannot see the image: what is in it.", example="...",
          translatable=True),
    Field("credit", "str", True, "Who made the image; for generated images, the project.", example="Jane Doe"),
    Field("license", "str", True, "Terms of use.", example="All rights reserved by the photographer"),
    Field("consent", "enum", True, "Consent of identifiable people.",
          choices=("not-applicable", "given", "public-event", "unknown"), example="not-applicable"),
    Field("consent_note", "text", False, "Details on consent, if any."),
    Field("stage", "ref:stage", True, "Stage the photo belongs to.", example="early-years"),
    Field("date", "date", False, "When it was taken, at its honest precision.", example="2020"),
    Field("place", "ref:place", False, "Place id where it was taken.", example="riverside"),
    Field("people", "refs:person", False, "Person ids of the people it shows or names.", example="[jane-doe]"),
    Field("organizations", "refs:organization", False, "Organization ids of the organizations it shows or names.",
          example="[harbour-textiles]"),
    Field("source", "sourceref", False, "Source where the photo or its caption appears.", example="paper-2019#early-years"),
    Field("placeholder", "bool", False, "True for a generated stand-in image; the caption must then say 'placeholder'.",
          example="true"),
    Field("depicts", "str", False, "For a placeholder: the real photograph it stands in for.", example="...",
          translatable=True),
    Field("stands_for", "enum", False, "For a placeholder: what it stands for. A photograph the source published "
          "is shown as a compact record (not reproduced here); a subject with no photograph only on its own page.",
          choices=("published-photograph", "subject"), example="published-photograph"),
))

EVENT = Schema("event", (
    Field("id", "id", True, "Event slug, unique in the timeline.", example="first-workshop-2012"),
    Field("date", "date", True, "YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source.", example="2012-06"),
    Field("title", "str", True, "What happened, in a few words.", example="The first workshop opens",
          translatable=True),
    Field("stage", "ref:stage", True, "Stage the event belongs to.", example="early-years"),
    Field("text", "text", True, "A sentence or two on the event (plain text).", example="...",
          translatable=True),
    Field("stories", "refs:story", False, "Story slugs that tell more.", example="[first-workshop]"),
    Field("sources", "sourcerefs", True, "Sources for the date and facts.", example="[paper-2019#early-years]"),
    Field("figures", "refs:figure", False, "Key figure ids from data/figures.yml.", example="[workshops-2014]"),
    Field("places", "refs:place", False, "Place ids of the places it names.", example="[riverside]"),
    Field("people", "refs:person", False, "Person ids of the people it names.", example="[jane-doe]"),
    Field("organizations", "refs:organization", False, "Organization ids of the organizations it names.",
          example="[harbour-textiles]"),
    Field("plan", "bool", False, "True when this was a plan announced at the time, not a thing done.",
          example="true"),
    Field("found", "bool", False, "True when this is how things stood when the source looked (a condition its "
          "reporters found, or a running total), not a dated happening.", example="true"),
))

FIGURE = Schema("figure", (
    Field("id", "id", True, "Figure slug.", example="workshops-opened"),
    Field("label", "str", True, "What the number is, as a short label.", example="Workshops opened",
          translatable=True),
    Field("value", "number", True, "The number itself, in the unit below.", example="12"),
    Field("unit", "str", True, "Unit of the value.", example="workshops",
          translatable=True),
    Field("qualifier", "enum", False, "How exact the source is.",
          choices=("exact", "more-than", "nearly", "about", "up-to"), example="more-than"),
    Field("date", "date", True, "The date the figure refers to.", example="2014-12"),
    Field("counts", "text", True, "What exactly it counts, in a sentence.", example="...",
          translatable=True),
    Field("stage", "ref:stage", True, "Stage the figure illustrates.", example="early-years"),
    Field("source", "sourceref", True, "Source and section: paper-2019#early-years.", example="paper-2019#early-years",
          section=True),
    Field("chart", "str", False, "Name of a chart group; figures with the same unit and chart are drawn together.",
          example="money"),
    Field("places", "refs:place", False, "Place ids of the places it names.", example="[riverside]"),
    Field("people", "refs:person", False, "Person ids of the people it names.", example="[jane-doe]"),
    Field("organizations", "refs:organization", False, "Organization ids of the organizations it names.",
          example="[harbour-textiles]"),
))

PERSON = Schema("person", (
    Field("id", "id", True, "Person slug.", example="jane-doe"),
    Field("name", "str", True, "Name as the source gives it.", example="Jane Doe"),
    Field("role", "text", True, "Role or job, as the source gives it.", example="...",
          translatable=True),
    Field("organization", "ref:organization", False, "Organization id.", example="harbour-textiles"),
    Field("place", "ref:place", False, "Where they live or work.", example="riverside"),
    Field("aliases", "strs", False, "Other spellings in the source.", example="[J. Doe]"),
    Field("transliteration", "bool", False, "True when the name is the translation's uncertain spelling."),
    Field("note", "text", False, "Anything a reader should know about the name or role.",
          translatable=True),
    Field("sources", "sourcerefs", True, "Where the person appears.", example="[paper-2019#early-years]"),
))

PLACE = Schema("place", (
    Field("id", "id", True, "Place slug.", example="riverside"),
    Field("name", "str", True, "English name.", example="Riverside County"),
    Field("name_zh", "str", False, "Chinese name from the glossary; omit when unknown."),
    Field("kind", "enum", True, "What kind of place.",
          choices=("province", "city", "prefecture", "county", "district", "township", "village", "park",
                   "site", "region", "country"), example="county"),
    Field("within", "ref:place", False, "The place that contains it.", example="north-prefecture"),
    Field("aliases", "strs", False, "Other names and spellings, English or Chinese.", example="[Riverside Cty]"),
    Field("transliteration", "bool", False, "True when the name is the translation's uncertain spelling."),
    Field("note", "text", False, "A short description.",
          translatable=True),
    Field("sources", "sourcerefs", False, "Where the place appears."),
))

ORGANIZATION = Schema("organization", (
    Field("id", "id", True, "Organization slug.", example="harbour-textiles"),
    Field("name", "str", True, "Name as the archive uses it.", example="Harbour Textiles Company"),
    Field("name_zh", "str", False, "Chinese name, only from the glossary."),
    Field("kind", "enum", True, "What kind of organization.",
          choices=("government", "state-owned-enterprise", "private-enterprise", "mixed-ownership",
                   "company", "workshop", "farm", "industrial-park", "media", "association", "other"),
          example="private-enterprise"),
    Field("place", "ref:place", False, "Where it is based or works.", example="riverside"),
    Field("aliases", "strs", False, "Other names and spellings.", example="[Harbor Textiles]"),
    Field("transliteration", "bool", False, "True when the name is the translation's uncertain spelling."),
    Field("note", "text", False, "A short description.",
          translatable=True),
    Field("sources", "sourcerefs", False, "Where the organization appears."),
))

SOURCE = Schema("source", (
    Field("id", "id", True, "Source slug, used in 'sources:' lists.", example="paper-2019"),
    Field("title", "str", True, "Title of the work (in translation).", example="..."),
    Field("title_zh", "str", False, "Original title, when known."),
    Field("publication", "str", True, "Newspaper, journal or publisher.", example="The Riverside Gazette"),
    Field("publication_zh", "str", False, "Chinese name of the publication."),
    Field("date", "date", True, "Publication date at its known precision.", example="2019-09"),
    Field("authors", "strs", True, "Reporters or authors.", example="[Jane Doe, John Roe]"),
    Field("editor", "str", False, "Editor in charge.", example="Ann Smith"),
    Field("language", "str", False, "Language of the copy the archive used.", example="English machine translation"),
    Field("note", "text", False, "How the archive used the source, and its limits."),
    Field("sections", "sections", False, "The source's sections: list of {id, title}.",
          example="[{id: early-years, title: Early years}]"),
))

SCHEMAS = {s.kind: s for s in (ARCHIVE, STAGE, STORY, STORY_ZH, PHOTO, EVENT, FIGURE, PERSON, PLACE, ORGANIZATION, SOURCE)}


def _describe(value) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "nothing" if value is None else type(value).__name__


def check_unsafe(text: str, path: str, line: int, name: str, problems: Problems, kind: str = "text") -> None:
    """Markup in a text field goes through the HTML allowlist (Markdown fields rendered first), and
    nothing in it may make a page fetch from another host."""
    sanitize.check_field(text, kind == "markdown", path, line, name, problems)
    check_fetch(text, path, line, name, problems)


def check_fetch(text: str, path: str, line: int, name: str, problems: Problems) -> None:
    url = external_fetch(text)
    if url:
        problems.error(path, line, name, sanitize.FETCH_MESSAGE.format(url=url), sanitize.FETCH_FIX)


def todo_line(value, line: int) -> int:
    """The line of a ``TODO`` left by ``docarchive new`` in this value (or in one of its items), else 0."""
    if isinstance(value, str):
        return line if TODO_MARK.search(value) else 0
    if isinstance(value, Sequence):
        return next((value.line_of(i) for i, item in enumerate(value)
                     if isinstance(item, str) and TODO_MARK.search(item)), 0)
    return 0


def check_todo_lines(text: str, path: str, first_line: int, name: str, problems: Problems) -> None:
    """Each line of a Markdown body that still holds a TODO is an error of its own."""
    if "TODO" not in text:  # the mark needs the word itself: most bodies are done in one look
        return
    for offset, line in enumerate(text.split("\n")):
        if TODO_MARK.search(line):
            problems.error(path, first_line + offset, name, "is still marked TODO",
                           "replace the TODO line with the text it asks for")


def check_record(record, schema: Schema, path: str, problems: Problems, skip: tuple = ()) -> dict:
    """Check one mapping against ``schema``; return the normalised values that passed.

    Every problem is added to ``problems``; a field that fails is left out of
    the result, so callers never see a wrongly typed value.
    """
    out: dict = {}
    if not isinstance(record, Mapping):
        line = getattr(record, "line", 1) or 1
        problems.error(path, line, schema.kind, f"expected a mapping of fields, found {_describe(record)}",
                       f"write 'field: value' lines, for example: {schema.fields[0].name}: "
                       f"{schema.fields[0].example or '...'}")
        return out
    for key in record:
        if key in skip:
            continue
        if schema.field(key) is None:
            near = difflib.get_close_matches(key, schema.names, n=1, cutoff=0.6)
            fix = f"did you mean '{near[0]}'?" if near else f"known fields: {', '.join(schema.names)}"
            problems.warning(path, record.line_of(key), key, f"unknown field for a {schema.kind}", fix)
    for field in schema.fields:
        if field.name in skip:
            continue
        line = record.line_of(field.name)
        if field.name not in record or record[field.name] in (None, "", []):
            if field.required:
                example = f"{field.name}: {field.example}" if field.example else f"{field.name}: ..."
                if field.name not in record:
                    problems.error(path, record.line, field.name, "required field is missing",
                                   f"add it, for example '{example}'")
                else:  # present but empty: say so at its own line
                    empty = "the list is empty" if record[field.name] == [] else "has no value"
                    problems.error(path, line, field.name, empty, f"fill it in, for example '{example}'")
            continue
        todo = todo_line(record[field.name], line)
        if todo:
            problems.error(path, todo, field.name, "is still marked TODO",
                           f"fill it in: {field.doc[0].lower() + field.doc[1:].rstrip('.')}" if field.doc else "fill it in")
            continue
        ok, value = _check_value(record[field.name], field, path, line, problems)
        if ok:
            out[field.name] = value
    return out


def _check_value(value, field: Field, path: str, line: int, problems: Problems):
    kind = field.type
    name = field.name

    def wrong(expected: str, fix: str):
        shown = f" {value!r}" if isinstance(value, (str, int, float)) else ""
        problems.error(path, line, name, f"expected {expected}, found {_describe(value)}{shown}", fix)
        return False, None

    if kind in ("str", "text", "markdown"):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            return wrong("text", f"write {name}: followed by text in quotes")
        text = str(value).strip()
        if kind == "str" and "\n" in text:
            return wrong("one line of text", "keep it on one line")
        check_unsafe(text, path, line, name, problems, kind)
        return True, text
    if kind == "colour":
        if not isinstance(value, str) or not HEX_COLOUR.match(value.strip()):
            return wrong("a colour #rrggbb", f"write {name}: \"#3d70d6\" (quoted: YAML reads # as a comment)")
        return True, value.strip().lower()
    if kind == "date":
        try:
            return True, parse_date(value)
        except DateError as exc:
            problems.error(path, line, name, str(exc).replace("is not", f"{value!r} is not", 1)
                           if str(exc) == "is not a date" else str(exc),
                           "write YYYY, YYYY-MM or YYYY-MM-DD, only as precise as the source, e.g. 2017-12")
            return False, None
    if kind == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            return wrong("a whole number", f"write for example {name}: {field.example or 1}")
        return True, value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return wrong("a number", f"write digits only, without units or commas, e.g. {name}: 620000000")
        return True, value
    if kind == "bool":
        if not isinstance(value, bool):
            return wrong("true or false", f"write {name}: true or {name}: false")
        return True, value
    if kind == "enum":
        if value not in field.choices:
            problems.error(path, line, name, f"{value!r} is not allowed", f"use one of {', '.join(field.choices)}")
            return False, None
        return True, value
    if kind in ("id", "ref", "sourceref") or kind.startswith("ref:"):
        return _check_slug(value, field, path, line, problems, index=None)
    if kind in ("strs", "sourcerefs") or kind.startswith("refs:"):
        if isinstance(value, (str, int)) and not isinstance(value, bool):
            value_list, lines = [value], [line]
        elif isinstance(value, Sequence):
            value_list, lines = list(value), [value.line_of(i) for i in range(len(value))]
        else:
            return wrong("a list", f"write {name}: [first, second]")
        items = []
        for index, (item, item_line) in enumerate(zip(value_list, lines)):
            if kind == "strs":
                if not isinstance(item, (str, int)) or isinstance(item, bool):
                    problems.error(path, item_line, name, f"item at index {index} is not text", "write plain text")
                    continue
                check_unsafe(str(item), path, item_line, name, problems)
                items.append(str(item))
            else:
                ok, slug = _check_slug(item, field, path, item_line, problems, index=index)
                if ok:
                    items.append(slug)
        if len(set(items)) != len(items):
            dup = next(i for i in items if items.count(i) > 1)
            problems.warning(path, line, name, f"'{dup}' is listed twice", "list it once")
            items = list(dict.fromkeys(items))
        return True, tuple(items)
    if kind == "sections":
        if not isinstance(value, Sequence):
            return wrong("a list of {id, title}", "write sections: [{id: root, title: Root}]")
        sections = []
        for index, item in enumerate(value):
            item_line = value.line_of(index)
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), str) or not SLUG.match(item["id"]):
                problems.error(path, item_line, name, f"item at index {index} needs an id slug and a title",
                               "write {id: root, title: Root}")
                continue
            sections.append((item["id"], str(item.get("title", item["id"]))))
        return True, tuple(sections)
    raise AssertionError(f"unknown field type {kind}")  # pragma: no cover - schema bug


def _check_slug(value, field: Field, path: str, line: int, problems: Problems, index):
    where = f"item at index {index}: " if index is not None else ""
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        problems.error(path, line, field.name, f"{where}expected an id, found {_describe(value)}",
                       "write a lowercase id such as 'riverside-county'")
        return False, None
    text = str(value).strip()
    slug = text
    if field.type.startswith("source"):
        slug, _, section = text.partition("#")
        if section and not SLUG.match(section):
            problems.error(path, line, field.name, f"{where}'{text}' has a section that is not a plain id",
                           "write source-id#section-id, e.g. paper-2019#chapter-1")
            return False, None
    if not SLUG.match(slug):
        problems.error(path, line, field.name, f"{where}'{text}' is not a plain id",
                       "use lowercase letters, digits and single hyphens only (no '/', '..' or spaces), "
                       f"e.g. '{_slugify(text) or 'my-id'}'")
        return False, None
    return True, text


def _slugify(text: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower()))
