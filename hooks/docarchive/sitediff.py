"""``docarchive diff OLD_SITE NEW_SITE``: what a change does to the built site, for a pull request's reviewer.

It compares two built sites (either edition) page by page, on the text of each
page's content (the <article>), so that asset hashes and the footer do not
count as changes. It lists the pages added, removed and changed, the changed
text of each story page (a unified diff of its paragraphs), the photos added,
and the key figures changed (from the site's data/key-figures.csv).
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import re
from dataclasses import asdict, dataclass, field
from html.parser import HTMLParser
from pathlib import Path

SKIPPED = ("assets/", "search/", "media/", "downloads/")
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "tr", "figcaption", "blockquote", "div",
          "section", "br", "table", "ul", "ol", "dl"}
FIGURES_CSV = "data/key-figures.csv"


VOID = {"br", "img", "hr", "input", "meta", "link", "source", "wbr", "area", "col", "embed", "track"}


class _ArticleText(HTMLParser):
    """The page's title and the text of its main <article>, one line per block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # open elements inside the article: (tag, hidden)
        self.in_article = False
        self.parts: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag == "title":
            self._in_title = True
        if not self.in_article:
            self.in_article = tag == "article" and "md-content__inner" in classes
            return
        if tag in BLOCKS:
            self.parts.append("\n")
        if tag not in VOID:
            hidden = tag in ("script", "style", "svg") or "headerlink" in classes or "md-content__button" in classes
            self.stack.append((tag, hidden))

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False
        if not self.in_article:
            return
        if tag == "article" and not any(t == "article" for t, _ in self.stack):
            self.in_article = False
            return
        while self.stack:
            if self.stack.pop()[0] == tag:
                break
        if tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif self.in_article and not any(hidden for _, hidden in self.stack):
            self.parts.append(data)

    @property
    def lines(self) -> list[str]:
        text = "".join(self.parts)
        return [" ".join(line.split()) for line in text.split("\n") if line.strip()]


@dataclass
class Page:
    path: str  # the page's URL path inside the site: stories/<stage>/x/ or stories/<stage>/x.html
    title: str
    lines: list[str]


@dataclass
class SiteChanges:
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    stories: list[dict] = field(default_factory=list)  # {page, title, status, diff}
    photos_added: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)  # {id, status, before, after}


def read_pages(site: Path) -> dict[str, Page]:
    pages = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site).as_posix()
        if rel == "404.html" or rel.startswith(SKIPPED):
            continue
        parser = _ArticleText()
        parser.feed(path.read_text(encoding="utf-8", errors="replace"))
        url = rel[: -len("index.html")] if rel.endswith("index.html") else rel
        pages[url] = Page(url, parser.title.split(" - ")[0].strip(), parser.lines)
    return pages


def _parts(url: str) -> list[str]:
    """The page's path, without the folder of a language edition (zh/stories/... is a story too)."""
    parts = url.strip("/").removesuffix(".html").split("/")
    return parts[1:] if len(parts) > 1 and re.fullmatch(r"[a-z]{2}(?:-[A-Za-z]+)?", parts[0]) else parts


def is_story(url: str) -> bool:
    parts = _parts(url)
    return len(parts) == 3 and parts[0] == "stories"


def is_photo(url: str) -> bool:
    parts = _parts(url)
    return len(parts) == 2 and parts[0] == "photos"


def read_figures(site: Path) -> dict[str, dict]:
    path = site / FIGURES_CSV
    if not path.is_file():
        return {}
    rows = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8")))
    return {row["id"]: row for row in rows if row.get("id")}


def compare(old_site: Path, new_site: Path) -> SiteChanges:
    old, new = read_pages(Path(old_site)), read_pages(Path(new_site))
    changes = SiteChanges()
    for url in sorted(new.keys() - old.keys()):
        changes.added.append({"page": url, "title": new[url].title})
        if is_story(url):
            changes.stories.append(_story_diff(url, new[url], [], "added"))
        if is_photo(url):
            changes.photos_added.append({"page": url, "title": new[url].title})
    for url in sorted(old.keys() - new.keys()):
        changes.removed.append({"page": url, "title": old[url].title})
    for url in sorted(old.keys() & new.keys()):
        if old[url].lines != new[url].lines or old[url].title != new[url].title:
            changes.changed.append({"page": url, "title": new[url].title})
            if is_story(url):
                changes.stories.append(_story_diff(url, new[url], old[url].lines, "changed"))
    changes.figures = _figure_changes(read_figures(Path(old_site)), read_figures(Path(new_site)))
    return changes


def _story_diff(url: str, page: Page, old_lines: list[str], status: str) -> dict:
    diff = list(difflib.unified_diff(old_lines, page.lines, lineterm="", n=1))[2:]  # without the ---/+++ header
    return {"page": url, "title": page.title, "status": status, "diff": diff}


def _figure_changes(old: dict, new: dict) -> list[dict]:
    out = []
    for fid in sorted(old.keys() | new.keys()):
        before, after = old.get(fid), new.get(fid)
        if before == after:
            continue
        status = "added" if before is None else "removed" if after is None else "changed"
        out.append({"id": fid, "status": status, "before": before, "after": after})
    return out


def to_json(changes: SiteChanges) -> str:
    return json.dumps(asdict(changes), ensure_ascii=False, indent=1)


def _figure_text(row: dict | None) -> str:
    if not row:
        return "(none)"
    qualifier = f"{row.get('qualifier')} " if row.get("qualifier") else ""
    return f"{qualifier}{row.get('value')} {row.get('unit')} ({row.get('date')})"


def to_markdown(changes: SiteChanges) -> str:
    head = (f"**{len(changes.added)} pages added, {len(changes.removed)} removed, {len(changes.changed)} changed; "
            f"{len(changes.photos_added)} photos added; {len(changes.figures)} key figures changed.**")
    out = ["## Changes to the built site", "", head]
    for name, items in (("Pages added", changes.added), ("Pages removed", changes.removed),
                        ("Pages changed", changes.changed)):
        if items:
            out += ["", f"### {name}", "", *(f"- `{i['page']}` {i['title']}" for i in items)]
    if changes.stories:
        out += ["", "### Story text"]
        for story in changes.stories:
            out += ["", f"#### {story['title']} (`{story['page']}`, {story['status']})", "", "```diff",
                    *story["diff"], "```"]
    if changes.photos_added:
        out += ["", "### Photos added", "", *(f"- `{p['page']}` {p['title']}"
                                             for p in changes.photos_added)]
    if changes.figures:
        out += ["", "### Key figures changed", "", "| figure | status | before | after |", "|---|---|---|---|"]
        for fig in changes.figures:
            label = (fig["after"] or fig["before"]).get("label", fig["id"])
            out.append(f"| {label} (`{fig['id']}`) | {fig['status']} | {_figure_text(fig['before'])} | "
                       f"{_figure_text(fig['after'])} |")
    if not (changes.added or changes.removed or changes.changed or changes.figures):
        out += ["", "No page of the site changed."]
    return "\n".join(out)
