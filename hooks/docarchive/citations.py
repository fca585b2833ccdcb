"""'Cite this': a formatted citation and BibTeX, RIS and CSL-JSON downloads for every story,
photo, timeline event and for the archive as a whole.

Each citable thing becomes one CSL-JSON item (the data model of Zotero and
citeproc); the formatted citation is made from it by citeproc-py with the
bundled Chicago author-date style (``csl/``), and the BibTeX and RIS files are
written from the same item. Downloads live at stable paths
(``cite/<kind>/<id>.<ext>``, ``cite/archive.<ext>``). The date cited is the
build's (the version of the archive), so one commit always gives one citation.
"""

from __future__ import annotations

import hashlib
import json
import re
from importlib import metadata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.model import TextCased
from citeproc.source.json import CiteProcJSON
from citeproc.string import String as CiteprocString
from markupsafe import Markup, escape

from . import jsontext
from .model import Archive, Event, Photo, Story
from .localize import Localizer
from .pages import anchor_for, photo_title, uri_for
from .publication import Publication

STYLE = Path(__file__).with_name("csl") / "chicago-author-date.csl"
FORMATS = {"bib": "BibTeX", "ris": "RIS", "json": "CSL-JSON"}
ARCHIVE_KEY = "archive"


@dataclass(frozen=True)
class Cite:
    key: str  # "stories/<slug>", "photos/<id>", "events/<id>" or "archive"
    item: dict  # CSL-JSON
    html: Markup  # the formatted citation

    def path(self, ext: str) -> str:
        return f"cite/{self.key}.{ext}"

    @property
    def downloads(self) -> list[tuple[str, str]]:
        return [(self.path(ext), label) for ext, label in FORMATS.items()]


def key_of(obj: Any) -> str:
    if isinstance(obj, Story):
        return f"stories/{obj.slug}"
    if isinstance(obj, Photo):
        return f"photos/{obj.id}"
    if isinstance(obj, Event):
        return f"events/{obj.id}"
    return ARCHIVE_KEY


def _page_uri(obj: Any) -> str:
    return "index.md" if obj is None else uri_for(obj)


def csl_item(obj: Any, publication: Publication, loc: Localizer | None = None) -> dict:
    """The CSL-JSON item for a story, photo or event (``obj``), or the archive (``None``); with ``loc``, its
    title and abstract in that edition's language (the English where a translation is missing)."""
    item: dict = {"id": key_of(obj).replace("/", "-"), "type": "graphic" if isinstance(obj, Photo) else "webpage"}
    translated = loc is not None and not loc.is_english
    if obj is None:
        item["title"] = publication.name
    elif translated:
        item["title"] = loc.text(obj, "title") if isinstance(obj, (Story, Event)) else photo_title(obj, loc)
    else:
        item["title"] = obj.title if isinstance(obj, (Story, Event)) else photo_title(obj, Localizer("en", None))
    if obj is not None:
        item["container-title"] = publication.name
    if translated:
        item["language"] = loc.lang
    if publication.author:
        item["author"] = [{"literal": publication.author}]
    if publication.edition is not None:
        d = publication.edition
        item["issued"] = {"date-parts": [[d.year, d.month, d.day]]}
    if publication.site_url:
        url = publication.absolute(_page_uri(obj))
        anchor = anchor_for(obj) if obj is not None else ""
        item["URL"] = f"{url}#{anchor}" if anchor else url
    if isinstance(obj, Photo):
        item["note"] = f"{obj.credit}. {obj.license}."
    text = (lambda o, name: loc.text(o, name)) if translated else (lambda o, name: getattr(o, name, ""))
    abstract = (text(obj, "summary") or text(obj, "text") or text(obj, "caption")
                or (publication.description if obj is None else ""))
    if abstract:
        item["abstract"] = abstract
    return item


# ------------------------------------------------------------- formatting
#
# citeproc-py walks the whole style for every item: about 15 ms an item with
# Chicago (167 KB of CSL), so 17 s for a 1,000-story archive. Yet the items of
# one kind differ only in their title and URL: the style takes the same path
# through them. So citeproc formats each *shape* once, with marker words in
# place of the title and the URL, and each item's own title and URL are put in
# place of the markers, the title after the very case change citeproc made to
# the marker (citeproc's own function, applied to the real title). Anything a
# marker cannot stand for (quotes, punctuation, markup; a marker citeproc did
# not render exactly once) goes through citeproc whole, as before.

TITLE_MARK = "zqxa of zqxb Zqxc"  # tells each of citeproc's text cases apart (see _case_of)
URL_MARK = "https://zqx.invalid/zqxurl"
ABSTRACT_MARK = "zqxabstract"
# Words, single spaces and the punctuation a case change treats as part of a word; no quotes, no
# periods (strip-periods), nothing the HTML formatter escapes, and a word or a bracket at the end
# (citeproc moves punctuation around a title's last character).
_PLAIN_TITLE = re.compile(r"(?!.*  )[\w(][\w ,:;'\u2019()-]*[\w)]|\w")
_PLAIN_URL = re.compile(r"[A-Za-z0-9/:._~%#-]+")  # nothing the HTML formatter would escape
_CASES = (None, "title", "capitalize-first", "capitalize-all", "sentence", "uppercase", "lowercase")


class _TextCase(TextCased):
    """citeproc's own text-case function, for one ``text-case`` value."""

    def __init__(self, text_case: str | None):
        self.text_case = text_case

    def get(self, name, default=None):
        return self.text_case if name == "text-case" else default

    def apply(self, text: str) -> str:
        return str(self.case(CiteprocString(text), "en"))


def _case_of(rendered: str) -> _TextCase | None:
    """The text case citeproc applied to the title marker in ``rendered``, if exactly one fits.

    The marker may stand in more than one place, all in that one case: a style puts the title in the
    author's place too when the item has no author. Any other trace of a marker (another case, a
    marker cut short) leaves the item to citeproc whole.
    """
    fits = [case for case in map(_TextCase, _CASES) if case.apply(TITLE_MARK) in rendered]
    if len(fits) != 1:
        return None
    rest = rendered.replace(fits[0].apply(TITLE_MARK), "").replace(URL_MARK, "")
    return fits[0] if "zqx" not in rest.lower() else None


def _shape(item: dict) -> dict | None:
    """``item`` with markers for its title, URL and abstract, or None when a marker cannot stand in."""
    if not _PLAIN_TITLE.fullmatch(item.get("title", "")) or not _PLAIN_URL.fullmatch(item.get("URL", "x")):
        return None
    shape = {**item, "id": "shape", "title": TITLE_MARK}
    if "URL" in item:
        shape["URL"] = URL_MARK
    if "abstract" in item:
        shape["abstract"] = ABSTRACT_MARK
    return shape


class Formatter:
    """citeproc-py with the bundled style, parsed on first use, with an on-disk cache.

    Each shape of item is formatted once (see above); whatever citeproc formats
    is also kept in ``cache_dir`` under a hash of its item, the style and
    citeproc's version, so a warm build parses no style at all.
    ``full_renders`` counts the items citeproc formatted in this process.
    """

    def __init__(self, style: Path = STYLE, cache_dir: Path | None = None):
        self._style_path = style
        self._style = None
        self.cache_dir = cache_dir
        self.used: set[str] = set()
        self.full_renders = 0
        self._templates: dict[str, tuple[str, _TextCase, str] | None] = {}
        salt = hashlib.sha256(style.read_bytes())
        salt.update(metadata.version("citeproc-py").encode())
        self._salt = salt.hexdigest()

    def _format(self, item: dict) -> str:
        if self._style is None:
            self._style = CitationStylesStyle(str(self._style_path), validate=False)
        self.full_renders += 1
        bibliography = CitationStylesBibliography(self._style, CiteProcJSON([item]), formatter.html)
        bibliography.register(Citation([CitationItem(item["id"])]))
        return str(bibliography.bibliography()[0])

    def html(self, item: dict) -> Markup:
        # citeproc-py escapes the text it is given and adds only <i> and <b>.
        shape = _shape(item)
        if shape is not None:
            template = self._template(shape)
            if template is not None:
                text, case, marker = template
                text = text.replace(marker, case.apply(item["title"]))
                return Markup(text.replace(URL_MARK, item.get("URL", "")))
        return Markup(self._cached(item))

    def _template(self, shape: dict) -> tuple[str, _TextCase, str] | None:
        """citeproc's text of ``shape``, the case it gave the title and the title marker in that case."""
        key = json.dumps(shape, sort_keys=True)
        if key not in self._templates:
            text = self._cached(shape)
            case = _case_of(text)
            urls = text.count(URL_MARK) == (1 if "URL" in shape else 0)
            ok = case and urls and ABSTRACT_MARK not in text
            self._templates[key] = (text, case, case.apply(TITLE_MARK)) if ok else None
        return self._templates[key]

    def _cached(self, item: dict) -> str:
        if self.cache_dir is None:
            return self._format(item)
        key = hashlib.sha256((self._salt + json.dumps(item, sort_keys=True)).encode()).hexdigest()[:32]
        self.used.add(key)
        path = self.cache_dir / f"{key}.html"
        if path.is_file():
            return path.read_text(encoding="utf-8")
        text = self._format(item)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
        return text

    def prune(self) -> None:
        """Drop the cached citations this build did not use."""
        if self.cache_dir is not None and self.cache_dir.is_dir():
            for path in self.cache_dir.glob("*.html"):
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)


def build(archive: Archive, publication: Publication, cache_dir: Path | None = None,
          loc: Localizer | None = None) -> dict[str, Cite]:
    """Every citation of the archive, by key; with ``loc``, in that edition's language (Chinese: GB/T 7714)."""
    chinese = loc is not None and loc.lang == "zh"
    fmt = None if chinese else Formatter(cache_dir=cache_dir)  # the Chinese edition formats without citeproc
    objects: list = [None, *archive.stories, *archive.photos, *archive.events]
    cites = {}
    for obj in objects:
        item = csl_item(obj, publication, loc)
        cites[key_of(obj)] = Cite(key_of(obj), item, gb_t_7714(item) if fmt is None else fmt.html(item))
    if fmt is not None:  # pruning after a build that used no cached citation would empty the shared cache
        fmt.prune()
    return cites


def gb_t_7714(item: dict) -> Markup:
    """A Chinese reader's citation of an online resource, in the order of GB/T 7714-2015 (the national
    standard for references): author. title[EB/OL]. container, date of this version. URL.
    Chicago's English words and month names (citeproc's zh-CN locale gives 十二月 2) have no place here."""
    parts = [item["author"][0]["literal"]] if "author" in item else []
    parts.append(f"{item['title']}[EB/OL]")
    where = item.get("container-title", "")
    if "issued" in item:
        year, month, day = item["issued"]["date-parts"][0]
        where = f"{where}, {year:04d}-{month:02d}-{day:02d}" if where else f"({year:04d}-{month:02d}-{day:02d})"
    if where:
        parts.append(where)
    if "URL" in item:
        parts.append(item["URL"])
    return Markup(escape(". ".join(parts) + "."))


# ------------------------------------------------------------- downloads

_BIBTEX_SPECIAL = re.compile(r"([&%$#_{}])")


def _bib(text: str) -> str:
    text = text.replace("\\", r"\textbackslash{}").replace("~", r"\textasciitilde{}").replace("^", r"\^{}")
    return _BIBTEX_SPECIAL.sub(r"\\\1", text)


def bibtex(item: dict) -> str:
    fields = [("title", "{" + _bib(item["title"]) + "}")]  # double braces keep the title's capitals
    if "author" in item:
        fields.append(("author", "{" + _bib(item["author"][0]["literal"]) + "}"))  # a body, not a person
    if "container-title" in item:
        fields.append(("howpublished", _bib(item["container-title"])))
    if "issued" in item:
        year, month, day = item["issued"]["date-parts"][0]
        fields += [("year", str(year)), ("month", str(month)), ("day", str(day))]
    if "URL" in item:
        fields.append(("url", item["URL"]))
    if "note" in item:
        fields.append(("note", _bib(item["note"])))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{item['id']},\n{body}\n}}\n"


def ris(item: dict) -> str:
    lines = [("TY", "ART" if item["type"] == "graphic" else "ELEC"), ("TI", item["title"])]
    lines += [("AU", a["literal"]) for a in item.get("author", [])]
    if "container-title" in item:
        lines.append(("T2", item["container-title"]))
    if "issued" in item:
        year, month, day = item["issued"]["date-parts"][0]
        lines += [("PY", str(year)), ("DA", f"{year:04d}/{month:02d}/{day:02d}")]
    if "URL" in item:
        lines.append(("UR", item["URL"]))
    if "abstract" in item:
        lines.append(("AB", item["abstract"]))
    if "note" in item:
        lines.append(("N1", item["note"]))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def paths(cites: dict[str, Cite]) -> list[str]:
    """The site paths of ``files``, in its order, without making them."""
    return [cite.path(ext) for cite in cites.values() for ext in ("bib", "ris", "json")]


def files(cites: dict[str, Cite]) -> dict[str, str]:
    """Site path -> content of every download."""
    out = {}
    for cite in cites.values():
        out[cite.path("bib")] = bibtex(cite.item)
        out[cite.path("ris")] = ris(cite.item)
        out[cite.path("json")] = jsontext.dumps([cite.item]) + "\n"
    return out
