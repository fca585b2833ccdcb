"""What Material's search reads of a page: its HTML, without what it would skip anyway.

Material's search plugin reads each page's HTML with Python's html.parser and
drops whatever is inside an element marked ``data-search-exclude``, but it still
walks every tag in there. On our pages the excluded parts are most of the HTML:
the long story lists of a person, place, stage or browse page, and a story's
furniture (crumbs, meta line, about box, cite box, pager). ``hollow`` puts a
comment in place of each excluded part the parser provably ignores; ``restore``
puts it back once the search has read the page, so the page is unchanged and so
is the search index (tests/test_search_input.py compares Material's parse of
both on every built page, and the sites byte for byte).

"Provably" (material/plugins/search/plugin.py, class Parser):
- Inside an excluded element E all text is skipped, but the parser keeps a stack
  of the open elements, compares elements by tag name only, starts a section at
  every heading with an id (skipped or not), and, at an end tag shallower than
  the current section's heading, goes back to an earlier section.
- So E can go whole if it is no heading, is not the page's first element (whose
  start tag makes the parser's first section) and holds no heading, no other
  exclusion and no element named like E (its end tag would end the skip early).
  Otherwise each stretch of whole elements and text inside E that holds none of
  those can go, at any depth: headings stay, with what lies between them gone.
- Going back needs a section at least as shallow as the end tag. The parser's
  first section is at depth 0 or 1, which every end tag reaches, so the current
  section is never deeper than one below the open elements: an end tag inside
  such a stretch, or E's own, never sends the parser back, and taking it out
  changes nothing.
- The scanner must read the tags as html.parser does: a page with a comment, a
  raw-text element (script, style...), a '<' that starts no plain tag, attributes
  other than plain ``name="value"`` pairs (``DOCUMENT``), or text Material strips
  after indexing (``STRIPPED``) is left whole.
Only the excluded elements are scanned (found with ``str.find``), and with regular
expressions where they can: the prose between them costs one ``DOCUMENT`` match.

Measured on bench_build's 1,000-story archive (1,028 pages): Material's parse of
what it reads took 0.69 s of CPU with only long lists hollowed (128 tags a page)
and takes 0.20 s now (33 tags a page; plain Material's pages of the same stories:
0.07 s, 12 tags). ``hollow`` itself costs about 0.12 s, as the long-lists-only
version did; its first version, a Python loop over every tag, cost 1.5 times that
inside a build, hence the regular expressions.
"""

from __future__ import annotations

import re

MIN_SIZE = 1  # characters: any excluded part that holds a tag costs the parser more than its comment
# Material's own list (material/plugins/search/plugin.py ``void``): tags it does not push on its stack.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
EXCLUDE = "data-search-exclude"
MARK = "<!--da-search-skipped-{}-->"
MARKS = re.compile(r"<!--da-search-skipped-(\d+)-->")

# The scanner reads only what it reads exactly as html.parser does: lower-case names, attributes as
# name="value" (or a bare name, or an unquoted value) with no spaces around '=', no '<' in a value, ASCII
# spaces between them, and '/>' on void elements only.
_NAME = r"[a-z][a-z0-9-]*"
_SPACE = r"[ \t\n\r\f]"
_ATTRS = rf'(?:{_SPACE}+[a-z_:][-a-z0-9_:.]*(?:=(?:"[^"<]*"|[^\s"\'=<>`]+))?)*+{_SPACE}*+'
_VOID = "(?:area|base|br|col|embed|hr|img|input|link|meta|param|source|track|wbr)(?![a-z0-9-])"
TAG = re.compile(rf"<(?:({_NAME})({_ATTRS})/?|/({_NAME}){_SPACE}*)>")
DOCUMENT = re.compile(rf"(?:[^<]++|<(?:{_VOID}{_ATTRS}/?|{_NAME}{_ATTRS}|/{_NAME}{_SPACE}*)>)*+")
# Elements whose inside html.parser reads as text (some in some Python versions only), or skips whatever it holds.
RAW = re.compile(r"<(?:script|style|object|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)[\s/>]")
HEADING = re.compile(r"<h[1-6][ \t\n\r\f/>]")
TAG_WORD = re.compile(rf"<(?!{_VOID})[a-z][a-z0-9-]*|</[a-z][a-z0-9-]*")  # in a DOCUMENT each '<' opens a tag
INNERMOST_PAIR = re.compile(r"<([a-z][a-z0-9-]*) </\1 ")
STRIPPED = re.compile(r"data-search-\w+=\"[^\"]")  # what Material's on_page_context removes from the page
QUOTED = re.compile(r'"[^"]*"')
EXCLUDED = re.compile(r"\sdata-search-exclude(?=[\s=/]|$)")


def hollow(html: str, min_size: int = MIN_SIZE) -> tuple[str, list[str]]:
    """``html`` with each excluded part the search ignores replaced by a comment, and the parts, for ``restore``."""
    if EXCLUDE not in html or "linenodiv" in html or RAW.search(html) or STRIPPED.search(html):
        return html, []  # Material also skips class="linenodiv"
    if DOCUMENT.fullmatch(html) is None:  # a comment, a doctype, a '<' in text or a value, '<p/>', other attributes
        return html, []
    spans = _skippable(html, min_size)
    if not spans:
        return html, []
    parts, kept, at = [], [], 0
    for start, end in spans:
        parts += [html[at:start], MARK.format(len(kept))]
        kept.append(html[start:end])
        at = end
    parts.append(html[at:])
    return "".join(parts), kept


def restore(html: str, kept: list[str]) -> str:
    return MARKS.sub(lambda m: kept[int(m.group(1))], html) if kept else html


def _first_opened(html: str) -> int:
    """Where the first element the parser pushes starts: it makes the parser's first section, so it stays."""
    for m in TAG.finditer(html):
        if m.group(1) is not None and m.group(1) not in VOID:
            return m.start()
    return len(html)


def _skippable(html: str, min_size: int) -> list[tuple[int, int]] | None:
    """The (start, end) of each part of each outermost excluded element that the parser ignores, in order."""
    spans: list[tuple[int, int]] = []
    first_opened = _first_opened(html)
    at = html.find(EXCLUDE)
    while at != -1:
        lt = html.rfind("<", 0, at)
        m = TAG.match(html, lt) if lt != -1 else None
        if m is None or m.end() <= at or not _excluded_element(m):  # in text, a value, an end or a void tag
            at = html.find(EXCLUDE, at + 1)
            continue
        end = _whole(html, m, {m.group(1)}) if m.start() > first_opened else None
        if end is not None:
            if end - m.start() >= min_size:
                spans.append((m.start(), end))
        else:
            end = _scan_excluded(html, m, spans, min_size)
            if end is None:
                return None
        at = html.find(EXCLUDE, end)
    return sorted(spans)


def _excluded_element(m: re.Match) -> bool:
    name, attrs = m.group(1), m.group(2)
    return (name is not None and name not in VOID
            and EXCLUDED.search(QUOTED.sub('""', attrs)) is not None)


def _whole(html: str, first: re.Match, excluded_names: set[str]) -> int | None:
    """Where the element opened by ``first`` ends, if it can go whole: it is no heading, and holds no heading,
    no exclusion, no element named like it or like an open excluded one, and tags that pair up. Else None."""
    name = first.group(1)
    end = html.find(f"</{name}>", first.end())  # its end tag, if nothing inside is named like it
    if name in HEADINGS or end == -1 or html.find(EXCLUDE, first.end(), end) != -1 \
            or HEADING.search(html, first.end(), end):
        return None
    # Its tags, one word each ("<li </li "); they pair up when taking out pairs like "<li </li " leaves nothing.
    # (Regular expressions rather than a Python loop over the tags: this is most of the scan's time.)
    tags = " ".join(TAG_WORD.findall(html, first.end(), end)) + " "
    if any(f"<{n} " in tags for n in excluded_names):
        return None
    while len(tags) > 1:
        tags, taken = INNERMOST_PAIR.subn("", tags)
        if not taken:
            return None
    return end + len(name) + 3


def _scan_excluded(html: str, first: re.Match, spans: list, min_size: int) -> int | None:
    """Scan the excluded element whose start tag is ``first`` and that cannot go whole: add the stretches of
    whole elements and text inside it that can go to ``spans``; return where it ends, or None when its tags
    do not pair up."""
    top = first.group(1)
    stack = [[top, first.start(), first.end(), False]]  # each open element: name, start, its stretch's start, whole
    excluded_names = {top}  # names whose end tag would end a skip
    found: list[tuple[int, int]] = []
    broken = False  # an element named like E inside E: the parser stops skipping there, so keep E whole

    def stretch(start: int, end: int) -> None:
        if end - start >= min_size and html.find("<", start, end) != -1:
            found.append((start, end))

    at = first.end()
    while (m := TAG.search(html, at)) is not None:
        at = m.end()
        name, attrs, closing = m.groups()
        if closing is None:
            if name in VOID:
                continue
            broken = broken or name == top
            excluded = EXCLUDE in attrs  # another exclusion (or the words in a value: keeping it whole is safe)
            if excluded:
                excluded_names.add(name)
            elif (end := _whole(html, m, excluded_names)) is not None:
                at = end  # part of the stretch it is in
                continue
            stack.append([name, m.start(), m.end(), not excluded and name not in HEADINGS])
            continue
        if stack[-1][0] != closing:
            return None
        name, start, run, whole = stack.pop()
        if not stack:  # E's own end tag
            if not broken:
                stretch(run, m.start())
                spans.extend(found)
            return m.end()
        if not whole:
            stretch(run, m.start())
            parent = stack[-1]
            stretch(parent[2], start)
            parent[2], parent[3] = m.end(), False
    return None
