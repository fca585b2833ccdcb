"""What Material's search reads of a page: its HTML, without the inside of long lists it would skip anyway.

Material's search plugin reads each page's HTML with Python's html.parser and
drops whatever is inside an element marked ``data-search-exclude``. The pages
that list hundreds of stories (a person, a place, a stage, the browse page) are
mostly such lists: at 1,000 stories their parse was a fifth of a ``make serve``
rebuild. ``hollow`` puts a comment in place of the inside of such an element,
where the search's parser provably ignores it; ``restore`` puts it back once the
search has read the page, so the page is unchanged and so is the search index
(tests/test_search_input.py compares Material's parse of both).

"Provably": Material's parser compares elements by tag name only, so an element
inside the list with the list's own tag name, a heading (it starts a section
even when skipped), another exclusion, or tags that do not pair up would each
change what comes after. A page with any of those, or with comments, scripts or
anything this module's tag scanner might read differently from html.parser, is
left whole.
"""

from __future__ import annotations

import re

MIN_SIZE = 4096  # characters: a shorter list costs the parser little
# Material's own list (material/plugins/search/plugin.py ``void``): tags it does not push on its stack.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"}
TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)([^<>]*)>")
EXCLUDED = re.compile(r"\sdata-search-exclude(?=[\s=/]|$)")
QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'")  # attribute values: their text is not an attribute name
UNSURE = ("<!--", "<script", "<style", "<object", "<![", "<?", "linenodiv")
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
MARK = "<!--da-search-skipped-{}-->"


def hollow(html: str, min_size: int = MIN_SIZE) -> tuple[str, list[str]]:
    """``html`` with the inside of each long excluded list replaced by a comment, and the insides, for ``restore``."""
    if len(html) < min_size or any(s in html for s in UNSURE):
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
    for n, inside in enumerate(kept):
        html = html.replace(MARK.format(n), inside, 1)
    return html


def _skippable(html: str, min_size: int) -> list[tuple[int, int]] | None:
    """The (start, end) of the inside of each outermost excluded element whose inside the parser ignores."""
    tags = list(TAG.finditer(html))
    if html.count("<") != len(tags):  # a '<' the scanner did not read as a tag: html.parser might
        return None
    stack: list[str] = []
    spans = []
    open_list = None  # [tag, depth, start of its inside, still skippable]
    for m in tags:
        closing, name, attrs = m.groups()
        name = name.lower()
        if attrs and ("'" in attrs or attrs.count('"') % 2 or (attrs[-1] == "/" and name not in VOID)):
            return None  # quoting html.parser might read otherwise; a self-closed element
        if closing:
            if not stack or stack.pop() != name:
                return None  # tags that do not pair up
            if open_list is not None and len(stack) == open_list[1]:
                if open_list[3] and m.start() - open_list[2] >= min_size:
                    spans.append((open_list[2], m.start()))
                open_list = None
            continue
        excluded = "data-search-exclude" in attrs and EXCLUDED.search(QUOTED.sub('""', attrs)) is not None
        if open_list is not None and (name == open_list[0] or name in HEADINGS or excluded):
            open_list[3] = False
        if name in VOID:
            continue
        if excluded and open_list is None:
            open_list = [name, len(stack), m.end(), True]
        stack.append(name)
    return spans if not stack else None
