"""English left on a Chinese page: the runs of Latin words a reader sees, once names, code and formats are set aside.

Used by tests/test_zh_interface.py, and by hand to measure a built edition:
``python tests/latin_words.py site/zh`` prints, per page kind, the English runs left.

What is not counted, because it is not the interface's English:
- code, scripts, styles and the Material search's own markup;
- anything inside an element marked ``lang="en"`` (or another language): the edition marks English
  it shows on purpose, such as a story whose Chinese is not written yet;
- the names the archive's records give (people, places, organizations, sources, authors, credits,
  licences), whole or in part: names stay as the source spells them;
- the archive's author (its citations') and the theme's credit, Material for MkDocs;
- file formats and abbreviations (CSV, JSON, ZIP, BibTeX...), and file names and paths.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

import yaml
from selectolax.lexbor import LexborHTMLParser

SKIP_TAGS = ("script", "style", "code", "pre", "noscript", "template", "kbd", "samp")
# Attributes a reader meets (a screen reader says them; a browser shows title and placeholder).
READ_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder")
NAME_KEYS = ("name", "aliases", "publication", "authors", "editor", "credit", "license", "title")
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ \u00a0]+[A-Za-z][A-Za-z'’\-]*)*")


def record_names(archive: Path) -> list[str]:
    """Every name the archive's records give: those stay as spelled on a Chinese page."""
    names: set[str] = set()

    def walk(value, key=""):
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in NAME_KEYS:
            names.add(value.strip())
            names.add(value.split(":")[0].strip())  # a section's short name (macros.source_short)

    for path in sorted((archive / "data").glob("*.yml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    for path in sorted((archive / "photos").glob("*.yml")):
        walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    # Who made the archive (its citations' author), and the theme's credit in the footer.
    config = yaml.safe_load((archive / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    names.add(str(((config.get("extra") or {}).get("docarchive") or {}).get("citation_author") or ""))
    names.add("Material for MkDocs")
    return sorted((n for n in names if n), key=len, reverse=True)


FORMATS = {"BibTeX", "JavaScript", "Markdown"}  # spelled so in every language


def is_format_or_abbreviation(run: str) -> bool:
    return all(w.isupper() or w in FORMATS for w in run.split())


def visible_text(html: str, marked: list[str] | None = None) -> list[str]:
    """The text of a page a reader meets, piece by piece, without its marked-English parts (whose text
    goes into ``marked``, if given)."""
    tree = LexborHTMLParser(html)
    for node in tree.css(", ".join(SKIP_TAGS) + ", [lang]:not(html)"):
        lang = node.attributes.get("lang")
        if node.tag in SKIP_TAGS or (lang and not lang.startswith("zh")):
            if marked is not None and node.tag not in SKIP_TAGS:
                marked.append(node.text(deep=True))
            node.decompose()
    pieces = []
    body = tree.body
    if body is None:
        return pieces
    for node in body.traverse(include_text=True):
        if node.tag == "-text":
            pieces.append(node.text_content or "")
        else:
            pieces.extend(node.attributes.get(a) or "" for a in READ_ATTRIBUTES)
    return [p for p in pieces if p.strip()]


FILE_OR_PATH = re.compile(r"\S*\w[/.]\w\S*|\S*\w/")  # stories.csv, organizations/jimei-bag/ (the print line's address)


def name_words(names: list[str]) -> set[str]:
    """The capitalised words of the names: a run made only of them is a name, or a part of one, such as
    "Jimei Bag" in 由Jimei Bag公司 (a translation keeps a name's words and puts the kind in Chinese)."""
    return {w for n in names for w in re.findall(r"[A-Z][A-Za-z'’\-]*", n)}


def english_runs(html: str, names: list[str]) -> list[str]:
    """The runs of English words left on a page. English that the page marks as such somewhere (the
    original of a story not translated yet) is not counted where it shows again unmarked: in the
    header's title or the table of contents, which Material writes."""
    words = name_words(names)
    marked: list[str] = []
    pieces = visible_text(html, marked)
    shown_on_purpose = " ".join(marked)
    runs = []
    for piece in pieces:
        piece = FILE_OR_PATH.sub(" ", piece)
        for name in names:
            if name in piece:
                piece = piece.replace(name, " ")
        for match in LATIN_RUN.finditer(piece):
            run = match.group().strip(" -'’")
            if len(run) > 1 and not is_format_or_abbreviation(run) and not set(run.split()) <= words \
                    and run not in shown_on_purpose:
                runs.append(run)
    return runs


def page_kind(rel: str) -> str:
    parts = rel.split("/")
    return "home" if rel == "index.html" else parts[0] if len(parts) > 2 else parts[0].removesuffix(".html")


def measure(site: Path, archive: Path, kinds: tuple[str, ...] | None = None) -> dict[str, Counter]:
    """English runs per page kind of a built Chinese edition (``site`` is its zh/ folder)."""
    names = record_names(archive)
    found: dict[str, Counter] = {}
    for page in sorted(site.rglob("*.html")):
        kind = page_kind(page.relative_to(site).as_posix())
        if kinds is None or kind in kinds:
            found.setdefault(kind, Counter()).update(english_runs(page.read_text(encoding="utf-8"), names))
    return found


if __name__ == "__main__":
    site = Path(sys.argv[1])
    archive = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parents[1]
    for kind, runs in measure(site, archive).items():
        print(f"{kind}: {sum(runs.values())} runs, {len(runs)} distinct")
        for run, n in runs.most_common():
            print(f"    {n:4d}  {run}")
