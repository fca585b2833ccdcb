"""The names check of the Chinese text (chinese_names.py), on the fixture archive and on made-up text."""

from __future__ import annotations

import pytest
from chinese_names import archive_names, chinese_texts, unknown_names

from docarchive.model import load_archive

KNOWN = {"临夏", "和政县", "厦门", "积石山县", "临夏回族自治州", "东西部扶贫协作", "赤松茸"}


@pytest.mark.parametrize("text, invented", [
    ("记者康苗报道。", ["康苗"]),  # a reporter the source names only in pinyin
    ("企业家田小平来到和政县。", ["田小平"]),
    ("工人们在马家村上班。", ["马家村"]),
    ("夏林鞋业公司招工。", ["夏林"]),
])
def test_invented_names_are_found(text, invented):
    assert unknown_names(text, KNOWN) == invented


@pytest.mark.parametrize("text", [
    "2010年起，厦门与临夏回族自治州开展东西部扶贫协作。",
    "厦门市派出的干部在和政县帮助村民种植赤松茸。",  # a known name with its unit
    "Tian Xiaoping 说，这家公司很好；福建和甘肃的城市与农村。",  # pinyin, generic words, provinces
    "过去这里只有荒山和几只羊。",
])
def test_known_names_pinyin_and_ordinary_words_pass(text):
    assert unknown_names(text, KNOWN) == []


def test_the_fixture_chinese_names_only_known_names(archive):
    loaded = load_archive(archive)
    texts = chinese_texts(loaded, archive)
    assert len(texts) > 20  # stories (title, summary, body), _zh fields, the About page
    known = archive_names(loaded)
    assert {where: unknown_names(text, known) for where, text in texts if unknown_names(text, known)} == {}
    bad = archive / "stories" / "one" / "alpha.zh.md"
    bad.write_text(bad.read_text(encoding="utf-8") + "\n田小平说，工厂很好。\n", encoding="utf-8")
    texts = dict(chinese_texts(load_archive(archive), archive))
    assert unknown_names(texts["stories/one/alpha.zh.md: body"], known) == ["田小平"]
