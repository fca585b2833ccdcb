"""Chinese lines wrapped in a source file read as one line: no stray spaces between Chinese characters."""

from __future__ import annotations

import re

import pytest

from docarchive.linebreaks import join_cjk_line_breaks


@pytest.mark.parametrize("source, expected", [
    ("一个手写的\n页面。", "一个手写的页面。"),
    ("- 列表项的\n  续行。", "- 列表项的续行。"),  # a list item's continuation, indented
    ("中文，\n接着写。", "中文，接着写。"),  # CJK punctuation counts
    ("中文\nEnglish", "中文\nEnglish"),  # Latin on one side: the space is wanted
    ("English\n中文", "English\n中文"),
    ("## 标题\n正文。", "## 标题\n正文。"),  # a heading is one line
    ("正文\n## 标题", "正文\n## 标题"),
    ("正文\n- 列表", "正文\n- 列表"),  # a block starts
    ("正文\n> 引文", "正文\n> 引文"),
    ("| 表 | 格 |\n| 中 | 文 |", "| 表 | 格 |\n| 中 | 文 |"),
    ("硬换行  \n下一行", "硬换行  \n下一行"),  # a hard break stays
    ("```\n代码\n里的\n```", "```\n代码\n里的\n```"),  # fenced code stays as written
    ("段落一\n\n段落二", "段落一\n\n段落二"),
    ("no Chinese\nat all", "no Chinese\nat all"),
])
def test_line_breaks_between_chinese_characters_go_and_no_other(source, expected):
    assert join_cjk_line_breaks(source) == expected


def test_a_wrapped_chinese_page_shows_no_space_between_its_characters(editions):
    """The fixture's Chinese About page wraps a sentence in its source (docs/about.zh.md)."""
    assert "手写的\n" in (editions.root / "docs" / "about.zh.md").read_text(encoding="utf-8")
    html = (editions.site / "zh" / "about" / "index.html").read_text(encoding="utf-8")
    assert "一个手写的页面" in html and not re.search(r"手写的\s+页面", html)
