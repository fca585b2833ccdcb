"""Line breaks inside Chinese text, removed before Markdown reads a page.

A browser shows a line break between two Chinese characters as a space (the
CSS rule that would drop it, CSS Text's segment-break transformation, is not
implemented), so a Chinese paragraph wrapped in its source file shows stray
spaces in the middle of its sentences. Editors wrap long lines, so the engine
joins such lines: a break between two CJK characters (or CJK punctuation),
inside a paragraph or a list item's continuation, goes. Everything else stays
as written: fenced code, headings, table rows, lines that start a block (a list
marker, a quote, HTML), hard breaks (two trailing spaces or a backslash), and
breaks with Latin text on either side, where the space is wanted.
"""

from __future__ import annotations

import re

_CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
_HAS_CJK = re.compile(f"[{_CJK}]")
_ENDS_CJK = re.compile(f"[{_CJK}]$")
_STARTS_CJK = re.compile(f"^[ \\t]*[{_CJK}]")
_FENCE = re.compile(r"^[ \t]*(```|~~~)")
_BLOCK_START = re.compile(r"^[ \t]*(#|\||>|<|[-*+][ \t]|\d+[.)][ \t]|:)")


def join_cjk_line_breaks(markdown: str) -> str:
    """``markdown`` with every line break between two CJK characters of running text removed."""
    if not _HAS_CJK.search(markdown):
        return markdown
    out: list[str] = []
    in_fence = False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and out and _joins(out[-1], line):
            out[-1] = out[-1] + line.lstrip(" \t")
            continue
        out.append(line)
    return "\n".join(out)


def _joins(previous: str, line: str) -> bool:
    if previous.endswith(("  ", "\\")) or previous.lstrip().startswith(("#", "|")) or _FENCE.match(previous):
        return False
    return bool(_ENDS_CJK.search(previous) and _STARTS_CJK.match(line) and not _BLOCK_START.match(line))
