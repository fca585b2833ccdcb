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
from citeproc.source.json import CiteProcJSON
from markupsafe import Markup

from .model import Archive, Event, Photo, Story
from .pages import anchor_for, uri_for
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


def csl_item(obj: Any, publication: Publication) -> dict:
    """The CSL-JSON item for a story, photo or event (``obj``), or the archive (``None``)."""
    item: dict = {"id": key_of(obj).replace("/", "-"), "type": "graphic" if isinstance(obj, Photo) else "webpage"}
    if obj is None:
        item["title"] = publication.name
    else:
        item["title"] = obj.title if isinstance(obj, (Story, Event)) else _photo_title(obj)
        item["container-title"] = publication.name
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
    abstract = (getattr(obj, "summary", "") or getattr(obj, "text", "") or getattr(obj, "caption", "")
                or (publication.description if obj is None else ""))
    if abstract:
        item["abstract"] = abstract
    return item


def _photo_title(photo: Photo) -> str:
    text = (photo.depicts or photo.caption).strip()
    return text.split(". ")[0].rstrip(".")


# The formatted citations of the last build in this process, by the key of their file in the cache folder.
KEPT: dict[str, str] = {}


class Formatter:
    """citeproc-py with the bundled style, parsed on first use, with an on-disk cache.

    Chicago's style is large: citeproc-py takes about 90 ms per citation on this
    machine (7 s for the 76 of the first archive), so each formatted citation is
    kept in ``cache_dir`` under a hash of its item, the style and citeproc's version;
    a warm build, or the second edition of ``make site``, formats nothing again.
    """

    def __init__(self, style: Path = STYLE, cache_dir: Path | None = None):
        self._style_path = style
        self._style = None
        self.cache_dir = cache_dir
        self.used: set[str] = set()
        salt = hashlib.sha256(style.read_bytes())
        salt.update(metadata.version("citeproc-py").encode())
        self._salt = salt.hexdigest()

    def _format(self, item: dict) -> str:
        if self._style is None:
            self._style = CitationStylesStyle(str(self._style_path), validate=False)
        bibliography = CitationStylesBibliography(self._style, CiteProcJSON([item]), formatter.html)
        bibliography.register(Citation([CitationItem(item["id"])]))
        return str(bibliography.bibliography()[0])

    def html(self, item: dict) -> Markup:
        # citeproc-py escapes the text it is given and adds only <i> and <b>.
        if self.cache_dir is None:
            return Markup(self._format(item))
        key = hashlib.sha256((self._salt + json.dumps(item, sort_keys=True)).encode()).hexdigest()[:32]
        self.used.add(key)
        if key in KEPT:  # formatted in this process already (make serve formats again on every save)
            return Markup(KEPT[key])
        path = self.cache_dir / f"{key}.html"
        if path.is_file():
            KEPT[key] = text = path.read_text(encoding="utf-8")
            return Markup(text)
        KEPT[key] = text = self._format(item)
        self.cache_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
        return Markup(text)

    def prune(self) -> None:
        """Drop the cached citations this build did not use."""
        for key in set(KEPT) - self.used:
            del KEPT[key]
        if self.cache_dir is not None and self.cache_dir.is_dir():
            for path in self.cache_dir.glob("*.html"):
                if path.stem not in self.used:
                    path.unlink(missing_ok=True)


def build(archive: Archive, publication: Publication, cache_dir: Path | None = None) -> dict[str, Cite]:
    """Every citation of the archive, by key."""
    fmt = Formatter(cache_dir=cache_dir)
    objects: list = [None, *archive.stories, *archive.photos, *archive.events]
    cites = {}
    for obj in objects:
        item = csl_item(obj, publication)
        cites[key_of(obj)] = Cite(key_of(obj), item, fmt.html(item))
    fmt.prune()
    return cites


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


def files(cites: dict[str, Cite]) -> dict[str, str]:
    """Site path -> content of every download."""
    out = {}
    for cite in cites.values():
        out[cite.path("bib")] = bibtex(cite.item)
        out[cite.path("ris")] = ris(cite.item)
        out[cite.path("json")] = json.dumps([cite.item], ensure_ascii=False, indent=1) + "\n"
    return out
