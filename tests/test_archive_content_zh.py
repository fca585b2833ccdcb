"""The Chinese of the Xiamen-Linxia archive: complete, faithful in shape to the English, and with
no Chinese name that the glossary does not give.

These tests read the content files themselves (not the built site), so they say which file
and which field is missing or wrong.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from source_facts import GLOSSARY
import yaml

REPO = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3400-\u9fff]")
FOOTNOTE_LABEL = re.compile(r"\[\^([^\]]+)\]:")

# The translatable fields of each YAML record kind (docs/editing.md, "Adding the Chinese of a story").
TRANSLATABLE = {
    "data/stages.yml": ("period", "summary", "intro"),
    "data/timeline.yml": ("title", "text"),
    "data/figures.yml": ("label", "counts", "unit"),
    "data/people.yml": ("role", "note"),
    "data/places.yml": ("note",),
    "data/organizations.yml": ("note",),
}


def english_stories() -> list[Path]:
    return sorted(p for p in (REPO / "stories").rglob("*.md") if not p.name.endswith(".zh.md"))


def split(path: Path) -> tuple[dict, str]:
    text = path.read_text(encoding="utf-8")
    _, meta, body = text.split("---\n", 2)
    return yaml.safe_load(meta), body


def headings(body: str) -> list[str]:
    return re.findall(r"^#{2,6} ", body, re.M)


def records(rel: str) -> list[dict]:
    return yaml.safe_load((REPO / rel).read_text(encoding="utf-8"))


@pytest.mark.parametrize("story", english_stories(), ids=lambda p: p.stem)
def test_every_story_has_a_chinese_twin_with_only_title_and_summary(story):
    twin = story.with_suffix(".zh.md")
    assert twin.exists(), f"{twin.relative_to(REPO)} is missing"
    meta, body = split(twin)
    assert set(meta) == {"title", "summary"}, (twin.name, sorted(meta))
    assert CJK.search(meta["title"]) and CJK.search(meta["summary"]) and CJK.search(body), twin.name


@pytest.mark.parametrize("story", english_stories(), ids=lambda p: p.stem)
def test_the_chinese_keeps_the_headings_and_footnotes_of_the_english(story):
    _, english = split(story)
    _, chinese = split(story.with_suffix(".zh.md"))
    assert len(headings(chinese)) == len(headings(english)), story.name
    notes = FOOTNOTE_LABEL.findall(english)
    assert FOOTNOTE_LABEL.findall(chinese) == notes, story.name
    for label in notes:  # every note is also referred to in the Chinese text
        assert f"[^{label}]" in chinese.replace(f"[^{label}]:", ""), (story.name, label)


@pytest.mark.parametrize("story", english_stories(), ids=lambda p: p.stem)
def test_people_keep_the_sources_spelling_in_the_chinese(story):
    """A person named in the English is named in the Chinese in the same Latin letters: the
    archive never writes Chinese characters for a personal name."""
    people = {p["id"]: p["name"] for p in records("data/people.yml")}
    meta, english = split(story)
    _, chinese = split(story.with_suffix(".zh.md"))
    for pid in meta.get("people") or []:
        name = people[pid]
        if name in english:
            assert name in chinese, (story.name, name)


@pytest.mark.parametrize("rel", sorted(TRANSLATABLE))
def test_every_translatable_field_of_every_record_has_its_chinese(rel):
    def translated(record, field):
        chinese = str(record.get(field + "_zh", "")).strip()
        return bool(CJK.search(chinese)) or (field == "unit" and chinese == "%")

    missing = [(r["id"], f) for r in records(rel) for f in TRANSLATABLE[rel] if f in r and not translated(r, f)]
    assert missing == [], rel


def test_every_photo_caption_and_alt_have_their_chinese():
    for path in sorted((REPO / "photos").glob("*.yml")):
        record = yaml.safe_load(path.read_text(encoding="utf-8"))
        for field in ("caption", "alt"):
            assert CJK.search(record.get(field + "_zh", "")), (path.name, field)
        if record.get("placeholder"):
            assert "占位" in record["caption_zh"], path.name


def test_the_chinese_about_page_explains_why_names_stay_in_pinyin():
    about = (REPO / "docs" / "about.zh.md").read_text(encoding="utf-8")
    assert "拼音" in about and "机器译本" in about and "汉字" in about


def test_chinese_names_of_places_and_organizations_come_from_the_glossary():
    # The glossary's Chinese terms, committed (tests/source_facts.py checks them against the seed README).
    glossary = {line for line in GLOSSARY.read_text(encoding="utf-8").splitlines()
                if line and not line.startswith("#")}
    assert len(glossary) > 20
    glossary.add("新华每日电讯")  # the paper itself: the seed README's opening names it in Chinese
    for rel in ("data/places.yml", "data/organizations.yml"):
        for record in records(rel):
            if "name_zh" in record:
                assert record["name_zh"] in glossary, (rel, record["id"], record["name_zh"])


# ---------------------------------------------------------------- the hand-written pages (docs/<name>.zh.md)

# The pages for contributors: their Chinese keeps the English's anchors (``## 添加故事 {#add-a-story}``,
# so that a link to a section works in both editions) and its code blocks (what editors type).
CONTRIBUTOR_PAGES = ("editing", "photo-guide", "offline-and-search", "preservation", "settings")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def english_pages() -> list[Path]:
    return sorted(p for p in (REPO / "docs").rglob("*.md") if not p.name.endswith(".zh.md"))


def front_matter_and_body(path: Path) -> tuple[str, str]:
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        _, meta, body = text.split("---\n", 2)
        return meta, body
    return "", text


def heading_anchors(markdown: str) -> list[str]:
    """The id of each heading: its ``{#id}``, or else the one MkDocs' toc makes of its words."""
    from markdown.extensions.toc import slugify

    headings = re.findall(r"^#{1,6} (.+)$", FENCE.sub("", markdown), re.M)
    return [m.group(1) if (m := re.search(r"\{#([\w-]+)\}$", h)) else slugify(h, "-") for h in headings]


@pytest.mark.parametrize("page", english_pages(), ids=lambda p: p.stem)
def test_every_hand_written_page_has_its_chinese(page):
    twin = page.with_suffix(".zh.md")
    assert twin.exists(), f"{twin.relative_to(REPO)} is missing"
    meta, body = front_matter_and_body(twin)
    assert CJK.search(body), twin.name
    # Front matter is page settings (search: exclude), not text: the Chinese page keeps the English's.
    assert yaml.safe_load(meta or "{}") == yaml.safe_load(front_matter_and_body(page)[0] or "{}"), twin.name


@pytest.mark.parametrize("name", CONTRIBUTOR_PAGES)
def test_a_contributor_page_in_chinese_keeps_the_anchors_and_code_blocks_of_the_english(name):
    _, english = front_matter_and_body(REPO / "docs" / f"{name}.md")
    _, chinese = front_matter_and_body(REPO / "docs" / f"{name}.zh.md")
    assert heading_anchors(chinese) == heading_anchors(english), name
    assert FENCE.findall(chinese) == FENCE.findall(english), f"{name}: a code block differs from the English"
    for link in re.findall(r"\]\(([^)\s]+)\)", english):  # the same links, to the same pages and sites
        assert f"]({link})" in chinese, (name, link)
    for kind, line in (("table row", r"^\|"), ("list item", r"^\s*- ")):  # nothing left out, nothing added
        count = [len(re.findall(line, FENCE.sub("", text), re.M)) for text in (english, chinese)]
        assert count[0] == count[1], f"{name}: {count[1]} {kind}s in Chinese, {count[0]} in English"


def test_the_chinese_editors_guide_says_how_to_add_the_chinese_of_a_story():
    _, guide = front_matter_and_body(REPO / "docs" / "editing.zh.md")
    howto = re.search(r"^## [^\n]*\{#adding-the-chinese-of-a-story\}\n(.*?)(?=^## )", guide, re.S | re.M)
    assert howto, "docs/editing.zh.md has no section {#adding-the-chinese-of-a-story}"
    text = howto.group(1)
    for needed in ("stories/root/xialin-shoes.zh.md", "`title`", "`summary`", "`_zh`", "词汇表", "拉丁字母"):
        assert needed in text, needed
