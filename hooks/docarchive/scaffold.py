"""``docarchive new ...``: start a story, a photo's caption record or a registry record.

Every file written here is driven by the schema (schema.py): each field is
there, filled in from the command line or marked ``TODO``, with a one-line
comment saying what it is. ``check`` refuses a ``TODO`` left in a field (see
``schema.check_record``), so a started record cannot be published half done.

Records are appended to their YAML file as text, after what is there: the
file's comments, blank lines and layout stay byte for byte as they were. The
file is parsed again afterwards, and put back as it was if the new record did
not come out as the last item of its list.
"""

from __future__ import annotations

import json
import re
import shutil
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from . import schema as S
from .loader import IMAGE_SUFFIXES, REGISTRY_FILES, STAGE_FILE
from .yamlsrc import Mapping, Sequence, parse_yaml

TODO = "TODO"
# The field a record's id is made from, per kind.
NAME_FIELD = {"event": "title", "figure": "label", "person": "name", "place": "name", "organization": "name"}
EMPTY = {"bool": "false"}  # optional fields' empty value by type; lists get [], others ""


class ScaffoldError(Exception):
    """Refused: the message says why and what to do instead."""


@dataclass(frozen=True)
class Written:
    path: Path
    notes: tuple[str, ...] = ()


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens; accents are dropped, other scripts vanish."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def make_id(name: str, given: str | None, what: str) -> str:
    if given:
        if not S.SLUG.match(given):
            raise ScaffoldError(f"'{given}' is not a plain id: use lowercase letters, digits and single hyphens, "
                                f"e.g. '{slugify(given) or 'my-id'}'")
        return given
    slug = slugify(name)
    if not re.search(r"[a-z]", slug):
        raise ScaffoldError(f"cannot make an id from {name!r}: it has no Latin letters; "
                            f"give one with --{what}, e.g. --{what} my-{what}")
    return slug


def stage_ids(root: Path) -> list[str]:
    path = root / STAGE_FILE
    if not path.is_file():
        raise ScaffoldError(f"{STAGE_FILE} is missing under {root}: is --root the archive's folder?")
    parsed = parse_yaml(path.read_text(encoding="utf-8"), STAGE_FILE)
    records = parsed.data if isinstance(parsed.data, Sequence) else []
    return [str(r["id"]) for r in records if isinstance(r, Mapping) and "id" in r]


def check_stage(root: Path, stage: str) -> None:
    known = stage_ids(root)
    if stage not in known:
        raise ScaffoldError(f"'{stage}' is not a stage of this archive; use one of {', '.join(known) or '(none)'}")


# ------------------------------------------------------------- field lines

def _scalar(value: str) -> str:
    """A YAML scalar for ``value``: plain when that reads back the same, else double-quoted (JSON is YAML)."""
    if re.fullmatch(r"[A-Za-z0-9][\w .,'()/-]*", value) and not re.search(r"\s$", value):
        return value
    return json.dumps(value, ensure_ascii=False)


def field_line(field: S.Field, value: str | None, indent: str = "") -> str:
    """``name: value  # what it is``; a required field without a value says TODO, an optional one is empty."""
    listed = field.type in ("strs", "sourcerefs") or field.type.startswith("refs:")
    if value is not None:
        shown = f"[{_scalar(value)}]" if listed else _scalar(value)
    elif field.required:
        shown = f"[{TODO}]" if listed else TODO
    else:
        shown = "[]" if listed else EMPTY.get(field.type, '""')
    need = "required" if field.required else "optional"
    extra = f" One of: {', '.join(field.choices)}." if field.choices else ""
    return f"{indent}{field.name}: {shown}  # {need}: {field.doc}{extra}"


# ------------------------------------------------------------------ stories

STORY_BODY = (f"{TODO}: write the story here in Markdown: plain paragraphs, ## headings, [links](https://...).\n"
              "Say where each fact comes from; `docarchive check` refuses the story while this line is here.\n")


def new_story(root: Path, stage: str, title: str, slug: str | None = None, date: str | None = None) -> Written:
    root = Path(root)
    check_stage(root, stage)
    slug = make_id(title, slug, "slug")
    taken = sorted(p.relative_to(root).as_posix() for p in (root / "stories").rglob(f"{slug}.md"))
    if taken:
        raise ScaffoldError(f"a story with the slug '{slug}' exists already ({taken[0]}); choose another --slug")
    target = root / "stories" / stage / f"{slug}.md"
    given = {"title": title, "stage": stage, "date": date}
    lines = ["---", *(field_line(f, given.get(f.name)) for f in S.STORY.fields), "---", "", STORY_BODY]
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write("\n".join(lines))
    return Written(target)


# ------------------------------------------------------------------ records

def record_block(kind: str, given: dict, indent: str) -> str:
    """The YAML lines of one list item; optional fields left out are written commented out."""
    schema = S.SCHEMAS[kind]
    lines = []
    for field in schema.fields:
        value = given.get(field.name)
        line = field_line(field, value, indent + "  ")
        if value is None and not field.required:
            line = f"{indent}  # {line.lstrip()}"
        lines.append(line)
    lines[0] = indent + "- " + lines[0][len(indent) + 2:]
    return "\n".join(lines) + "\n"


def _existing_ids(path: Path, rel: str) -> tuple[str, list[str]]:
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    parsed = parse_yaml(text, rel)
    if not parsed.ok:
        raise ScaffoldError(f"{rel} has errors; fix them first (docarchive check):\n{parsed.problems.report()}")
    data = parsed.data
    if data is not None and not isinstance(data, Sequence):
        raise ScaffoldError(f"{rel} is not a list of records; fix it first")
    return text, [str(r.get("id")) for r in (data or []) if isinstance(r, Mapping)]


def _layout(text: str) -> tuple[str, str]:
    """The file's item indentation, and the gap it leaves between records (a blank line or none)."""
    found = re.search(r"^([ \t]*)- ", text, re.MULTILINE)
    indent = found.group(1) if found else ""
    gap = "\n" if re.search(r"\n[ \t]*\n[ \t]*- ", text) or not found else ""
    return indent, gap


def new_record(root: Path, kind: str, name: str, record_id: str | None = None, **given: str | None) -> Written:
    root = Path(root)
    rel = REGISTRY_FILES[kind]
    path = root / rel
    if given.get("stage"):
        check_stage(root, given["stage"])
    rid = make_id(name, record_id, "id")
    text, ids = _existing_ids(path, rel)
    if rid in ids:
        raise ScaffoldError(f"the id '{rid}' is already used in {rel}; choose another with --id")
    indent, gap = _layout(text)
    values = {k: v for k, v in given.items() if v}
    values.update({"id": rid, NAME_FIELD[kind]: name})
    head = text if not text or text.endswith("\n") else text + "\n"
    new_text = head + (gap if head.strip() else "") + record_block(kind, values, indent)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(new_text, encoding="utf-8")
    parsed = parse_yaml(new_text, rel)
    items = parsed.data if parsed.ok and isinstance(parsed.data, Sequence) else []
    if not items or not isinstance(items[-1], Mapping) or items[-1].get("id") != rid:
        path.write_text(text, encoding="utf-8")  # put the file back as it was
        raise ScaffoldError(f"the record could not be appended to {rel} cleanly (its layout is unusual); "
                            f"{rel} is unchanged: add the record by hand")
    return Written(path)


# ------------------------------------------------------------------- photos

@dataclass(frozen=True)
class PhotoFacts:
    width: int  # as displayed, after the EXIF orientation
    height: int
    exif_date: str | None  # YYYY-MM-DD, when the camera recorded one
    has_gps: bool


EXIF_IFD, GPS_IFD = 0x8769, 0x8825
DATE_ORIGINAL, DATE_TIME, ORIENTATION = 0x9003, 0x0132, 0x0112


def photo_facts(image: Path) -> PhotoFacts:
    from PIL import Image

    with Image.open(image) as im:
        exif = im.getexif()
        turned = exif.get(ORIENTATION, 1) in (5, 6, 7, 8)
        width, height = (im.height, im.width) if turned else (im.width, im.height)
        stamp = exif.get_ifd(EXIF_IFD).get(DATE_ORIGINAL) or exif.get(DATE_TIME)
        gps = exif.get_ifd(GPS_IFD)
    found = re.match(r"(\d{4}):(\d{2}):(\d{2})", str(stamp or ""))
    date = "-".join(found.groups()) if found and found.group(1) != "0000" else None
    return PhotoFacts(width, height, date, bool(gps))


def new_photo(root: Path, image: Path, stage: str, photo_id: str | None = None) -> Written:
    from . import images

    root, image = Path(root), Path(image)
    check_stage(root, stage)
    if not image.is_file():
        raise ScaffoldError(f"{image} is not a file")
    suffix = image.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        raise ScaffoldError(f"'{image.suffix}' is not a supported image; use one of {', '.join(IMAGE_SUFFIXES)}")
    pid = make_id(image.stem, photo_id, "id")
    photos = root / "photos"
    target = photos / f"{pid}{suffix}"
    in_place = target.exists() and target.resolve() == image.resolve()  # already put in photos/ by hand
    clash = [p.name for p in photos.glob(f"{pid}.*") if not (in_place and p == target)] if photos.is_dir() else []
    if clash:
        raise ScaffoldError(f"photos/{clash[0]} exists already; choose another id with --id")
    errors = [p for p in images.inspect(image) if p[3:] != ("warning",)]
    if errors:
        raise ScaffoldError("the image is refused, as the build would refuse it:\n" +
                            "\n".join(f"{image}: {f}: {m} - {fix}" for f, m, fix, *_ in errors))
    facts = photo_facts(image)
    photos.mkdir(exist_ok=True)
    if not in_place:
        shutil.copyfile(image, target)
    record = photos / f"{pid}.yml"
    head = (f"# {target.name}: {facts.width} x {facts.height} pixels"
            f"{', EXIF date ' + facts.exif_date if facts.exif_date else ', no EXIF date'}.\n")
    body = "\n".join(field_line(f, {"stage": stage, "date": facts.exif_date}.get(f.name)) for f in S.PHOTO.fields)
    with open(record, "x", encoding="utf-8") as out:
        out.write(head + body + "\n")
    gps = ("This file carries a GPS position." if facts.has_gps else "This file carries no GPS position.")
    notes = (f"{'kept' if in_place else 'copied ' + str(image) + ' to'} {target} ({facts.width} x {facts.height} pixels"
             f"{', taken ' + facts.exif_date if facts.exif_date else ''})",
             f"{gps} The published copies carry none: GPS and all other metadata (EXIF, XMP, comments, "
             "ICC profile) are removed from them. The original in photos/ keeps it: remove it there too "
             "if the repository is public.")
    return Written(record, notes)
