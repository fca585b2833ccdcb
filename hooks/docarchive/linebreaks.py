"""Line breaks inside Chinese text, removed as Markdown builds the page.

A browser shows a line break between two Chinese characters as a space (the
CSS rule that would drop it, CSS Text's segment-break transformation, is not
implemented), so a Chinese paragraph wrapped in its source file would show
stray spaces in the middle of its sentences. Editors wrap long lines, so this
Markdown extension removes such breaks from the text Markdown has parsed: in
paragraphs, list items, table cells and the like, never inside ``pre`` or
``code`` (code blocks and code spans keep their lines), and only where a CJK
character stands on both sides, so breaks next to Latin text keep their space.
Working on the parsed tree, not on the source lines, leaves every Markdown
construct to Markdown.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Extension
from markdown.treeprocessors import Treeprocessor

# Han (with the extension blocks beyond U+FFFF), kana, and CJK and full-width punctuation.
CJK = "\u2e80-\u2fff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0002ffff"
BREAK = re.compile(f"(?<=[{CJK}])[ \\t]*\\n[ \\t]*(?=[{CJK}])")
RAW = {"pre", "code", "script", "style"}


IS_CJK = re.compile(f"[{CJK}]")
LEADING = re.compile(f"^[ \\t]*\\n[ \\t]*(?=[{CJK}])")  # a break at the start of a text, before CJK
TRAILING = re.compile(f"(?<=[{CJK}])[ \\t]*\\n[ \\t]*$")  # a break at the end of a text, after CJK


def join_cjk_breaks(text: str) -> str:
    return BREAK.sub("", text)


def _edge(element: etree.Element, last: bool) -> str:
    """The first (or last) character an element shows, '' for code, whose text is not ours to join."""
    if element.tag in RAW:
        return ""
    text = "".join(element.itertext())
    return (text[-1:] if last else text[:1])


def _joined(text: str, before: str, after: str) -> str:
    """``text`` with its breaks between CJK removed, also at its edges, where ``before`` and ``after``
    are the characters shown just before and after it (by the elements beside it)."""
    text = join_cjk_breaks(text)
    if IS_CJK.match(before or " "):
        text = LEADING.sub("", text)
    if IS_CJK.match(after or " "):
        text = TRAILING.sub("", text)
    return text


def _walk(element: etree.Element, raw: bool) -> None:
    # Only a text with a line break in it can change (every pattern above needs one): the others are
    # left without looking at their neighbours' edges.
    children = list(element)
    if element.text and not raw and "\n" in element.text:
        element.text = _joined(element.text, "", _edge(children[0], False) if children else "")
    for i, child in enumerate(children):
        _walk(child, raw or child.tag in RAW)
        if child.tail and not raw and "\n" in child.tail:
            after = _edge(children[i + 1], False) if i + 1 < len(children) else ""
            child.tail = _joined(child.tail, _edge(child, True), after)


class _JoinBreaks(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        # Most pages of an English edition have no CJK text at all: one scan of their text says so.
        if IS_CJK.search("".join(root.itertext())):
            _walk(root, root.tag in RAW)


class CJKLineBreaks(Extension):
    """``markdown_extensions`` entry: join lines wrapped between two CJK characters."""

    def extendMarkdown(self, md) -> None:
        # After the inline patterns (20), so that code spans are already <code> elements.
        md.treeprocessors.register(_JoinBreaks(md), "da_cjk_line_breaks", 5)
