"""The archive's Chinese: where it lives, what is missing, and what has no English original.

The English is the archive; the Chinese follows it (docs/editing.md, "Chinese"):

- a YAML record's translatable field ``summary`` has its Chinese in the sibling
  ``summary_zh`` (declared by the schema, checked with the record);
- a story ``stories/<stage>/<slug>.md`` has its Chinese in ``<slug>.zh.md`` beside
  it: front matter with the translatable fields only (``title``, ``summary``), then
  the Chinese text; every other field comes from the English file;
- a hand-written page ``docs/<name>.md`` has its Chinese in ``docs/<name>.zh.md``.

English without Chinese is a warning (``Archive.untranslated``, one line per
record, story or page): the Chinese edition shows the English there, marked.
Chinese without English is an error: it would be a page or a field no reader of
the English edition could see, and nothing to check it against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import sanitize
from . import schema as S
from .problems import Problems
from .yamlsrc import Mapping, parse_front_matter

ZH_SUFFIX = ".zh.md"
HOWTO = "see 'Chinese' in docs/editing.md"


def is_chinese_file(path: Path) -> bool:
    return path.name.endswith(ZH_SUFFIX)


def english_path(path: Path) -> Path:
    return path.with_name(path.name[: -len(ZH_SUFFIX)] + ".md")


def chinese_path(path: Path) -> Path:
    return path.with_name(path.stem + ZH_SUFFIX)


@dataclass(frozen=True)
class StoryChinese:
    path: str  # the .zh.md file, relative to the root
    fields: dict  # title, summary (those given)
    body: str  # Markdown


@dataclass
class Translations:
    """The Chinese of every object that has some, found by (kind, id)."""

    records: dict = field(default_factory=dict)  # (kind, id) -> {field: Chinese}
    stories: dict = field(default_factory=dict)  # slug -> StoryChinese
    pages: dict = field(default_factory=dict)  # docs-relative src path ("about.md") -> absolute .zh.md path

    def text(self, kind: str, obj_id: str, name: str) -> str:
        """The Chinese of field ``name`` of the object, or "" when it has none."""
        if kind == "story":
            story = self.stories.get(obj_id)
            return story.fields.get(name, "") if story else ""
        return self.records.get((kind, obj_id), {}).get(name, "")

    def story_body(self, slug: str) -> str:
        story = self.stories.get(slug)
        return story.body if story and story.body.strip() else ""


class TranslationCheck:
    """Collects the Chinese while the loader reads the English, and the problems of both."""

    def __init__(self, problems: Problems):
        self.problems = problems  # errors (and warnings about keys), with the rest of the run's
        self.untranslated = Problems()  # one warning per English record, story or page without Chinese
        self.found = Translations()

    def record(self, kind: str, rid: str, values: dict, rec, rel: str) -> None:
        """One YAML record, as ``schema.check_record`` returned it: keep its Chinese, note what is missing."""
        if not isinstance(rec, Mapping) or not rid:
            return
        chinese, missing = {}, []
        for f in S.SCHEMAS[kind].translatable:
            zh_name = f.name + S.ZH
            if zh_name in values:
                chinese[f.name] = values[zh_name]
                if f.name not in values and f.name not in rec:
                    self.problems.error(rel, rec.line_of(zh_name), zh_name,
                                        f"Chinese with no English '{f.name}' beside it",
                                        f"write the English {f.name} first, or remove {zh_name}")
            elif f.name in values:
                missing.append(f.name)
        if chinese:
            self.found.records[(kind, rid)] = chinese
        if missing:  # one line per record, at its first English field without Chinese
            names = ", ".join(m + S.ZH for m in missing)
            self.untranslated.warning(rel, rec.line_of(missing[0]), missing[0],
                                      f"{kind} '{rid}' has no Chinese for {', '.join(missing)}",
                                      f"add {names} beside the English ({HOWTO})")

    def stories(self, root: Path, zh_paths: list[Path], english: dict[str, str], texts) -> None:
        """The stories' Chinese files. ``english`` maps each loaded story's slug to its file."""
        by_english = {english_path(p): p for p in zh_paths}
        for path in zh_paths:
            rel = path.relative_to(root).as_posix()
            original = english_path(path)
            if not original.is_file():
                self.problems.error(rel, 0, "file", f"a Chinese story with no English original "
                                    f"{original.relative_to(root).as_posix()}",
                                    "write the English story first (same folder, same name without .zh), "
                                    "or rename this file to match it")
                continue
            text = texts(path)
            if text is not None:
                self._story_file(path.relative_to(root).as_posix(), original.stem, text,
                                 original.relative_to(root).as_posix())
        for slug, rel in english.items():
            if root / rel not in by_english:
                self.untranslated.warning(rel, 0, "file", f"story '{slug}' has no Chinese",
                                          f"add {rel[:-3]}{ZH_SUFFIX} with title, summary and the Chinese text "
                                          f"({HOWTO})")

    def _story_file(self, rel: str, slug: str, text: str, english_rel: str) -> None:
        doc = parse_front_matter(text, rel)
        self.problems.extend(doc.problems)
        if not doc.ok:
            return
        rec = doc.meta if doc.meta is not None else Mapping(line=2)
        english_only = tuple(k for k in rec if S.STORY.field(k) and not S.STORY_ZH.field(k))
        for key in english_only:
            self.problems.error(rel, rec.line_of(key), key, "is not translated: it is read from the English "
                                f"story {english_rel}", "remove it here; the Chinese file holds only "
                                f"{', '.join(S.STORY_ZH.names)} and the Chinese text")
        for key in rec:
            if key.endswith(S.ZH) and S.STORY_ZH.field(key[: -len(S.ZH)]):
                near = key[: -len(S.ZH)]
                self.problems.error(rel, rec.line_of(key), key, "a .zh.md file is all Chinese: its fields "
                                    "take the English names", f"write '{near}:' instead")
        skip = english_only + tuple(k for k in rec if k.endswith(S.ZH))
        values = S.check_record(rec, S.STORY_ZH, rel, self.problems, skip=skip)
        check_body(doc.body, doc.body_line, rel, self.problems)
        missing = [f.name for f in S.STORY_ZH.fields if f.name not in values]
        if not doc.body.strip():
            missing.append("text")
        if missing:
            self.untranslated.warning(rel, 0, "file", f"the Chinese of story '{slug}' has no {', '.join(missing)}",
                                      f"add them ({HOWTO})")
        self.found.stories[slug] = StoryChinese(rel, values, doc.body)

    def pages(self, root: Path, docs_dir: Path) -> None:
        """Hand-written pages: ``docs/<name>.zh.md`` beside ``docs/<name>.md``."""
        if not docs_dir.is_dir():
            return
        for path in sorted(docs_dir.rglob("*.md")):
            rel = path.relative_to(root).as_posix()
            if is_chinese_file(path):
                original = english_path(path)
                if not original.is_file():
                    self.problems.error(rel, 0, "file", "a Chinese page with no English original "
                                        f"{original.relative_to(root).as_posix()}",
                                        "write the English page first, or rename this file to match it")
                else:
                    self.found.pages[original.relative_to(docs_dir).as_posix()] = path
            elif not chinese_path(path).is_file():
                self.untranslated.warning(rel, 0, "file", "page has no Chinese",
                                          f"add {rel[:-3]}{ZH_SUFFIX} ({HOWTO})")


def check_body(body: str, first_line: int, rel: str, problems: Problems) -> None:
    """A Chinese story's Markdown: held to the same HTML allowlist as the English (sanitize.py)."""
    sanitize.check_story_body(body, rel, first_line, problems)

