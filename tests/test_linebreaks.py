"""Chinese lines wrapped in a source file read as one line: no stray spaces between Chinese characters."""

from __future__ import annotations

import re

import markdown
import pytest

from docarchive.linebreaks import CJKLineBreaks


def html(source: str) -> str:
    return markdown.markdown(source, extensions=["tables", "fenced_code", "footnotes", CJKLineBreaks()])


@pytest.mark.parametrize("source, expected", [
    ("一个手写的\n页面。", "<p>一个手写的页面。</p>"),
    ("- 列表项的\n  续行。", "<ul>\n<li>列表项的续行。</li>\n</ul>"),  # a list item's continuation
    ("中文，\n接着写。", "<p>中文，接着写。</p>"),  # CJK punctuation counts
    ("中文\nEnglish", "<p>中文\nEnglish</p>"),  # Latin on one side: the space is wanted
    ("English\n中文", "<p>English\n中文</p>"),
    ("**加粗的**\n正文", "<p><strong>加粗的</strong>正文</p>"),  # across an element's tail
    ("正文\n**加粗**", "<p>正文<strong>加粗</strong></p>"),  # before an element
    ("`代码`\n正文", "<p><code>代码</code>\n正文</p>"),  # code's edge is not joined
    ("硬换行  \n下一行", "<p>硬换行<br />\n下一行</p>"),  # a hard break stays
    ("段落一\n\n段落二", "<p>段落一</p>\n<p>段落二</p>"),
])
def test_line_breaks_between_chinese_characters_go(source, expected):
    assert html(source) == expected


@pytest.mark.parametrize("source, kept", [
    ("```\n代码\n里的\n```", "代码\n里的"),  # fenced code
    ("正文。\n\n    缩进代码第一行\n    第二行", "缩进代码第一行\n第二行"),  # indented code
    ("`代码\n跨行`", "代码\n跨行"),  # a code span
    ("甲 | 乙\n--- | ---\n丙 | 丁\n戊 | 己", "<td>丙</td>\n<td>丁</td>\n</tr>\n<tr>\n<td>戊</td>"),  # rows stay rows
])
def test_code_and_structure_keep_their_lines(source, kept):
    assert kept in html(source)


def test_a_wrapped_chinese_page_shows_no_space_between_its_characters(editions):
    """The fixture's Chinese About page wraps a sentence in its source (docs/about.zh.md)."""
    assert "手写的\n" in (editions.root / "docs" / "about.zh.md").read_text(encoding="utf-8")
    page = (editions.site / "zh" / "about" / "index.html").read_text(encoding="utf-8")
    assert "一个手写的页面" in page and not re.search(r"手写的\s+页面", page)


@pytest.mark.parametrize("source", [
    "An English line\nwrapped, with `code\nspans` and **bold\ntext**.",
    "- a list item\n  continued\n\n| a | b |\n|---|---|\n| c | d |",
    "Text and a footnote[^1].\n\n[^1]: A note\n    on two lines.",
])
def test_a_page_without_cjk_text_is_what_markdown_makes_without_the_extension(source):
    plain = markdown.markdown(source, extensions=["tables", "fenced_code", "footnotes"])
    assert html(source) == plain and "\n" in plain
