"""The editors' guide, English and Chinese, documents every field of every input kind (a test fails when one is missing)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown.extensions.toc import slugify

from docarchive.schema import SCHEMAS

REPO = Path(__file__).resolve().parents[1]
CJK = re.compile(r"[\u3400-\u9fff]")
GUIDE = (REPO / "docs" / "editing.md").read_text(encoding="utf-8")
GUIDE_ZH = (REPO / "docs" / "editing.zh.md").read_text(encoding="utf-8")
HEADINGS = {"story": "Story front matter", "story-zh": "Story in Chinese", "photo": "Photo caption record", "event": "Timeline event",
            "figure": "Key figure", "stage": "Stage", "person": "Person", "place": "Place",
            "organization": "Organization", "source": "Source", "archive": "Archive"}


def section(title: str) -> str:
    match = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^### |\Z)", GUIDE, re.S | re.M)
    assert match, f"docs/editing.md has no '### {title}' section"
    return match.group(1)


def section_zh(title: str) -> str:
    """The Chinese guide's section of an English ``### title``: its heading is in Chinese and keeps
    the English heading's anchor (``### 故事的前置元数据 {#story-front-matter}``), so links to it
    work in both editions."""
    anchor = slugify(title, "-")
    match = re.search(rf"^### [^\n]*\{{#{re.escape(anchor)}\}}\n(.*?)(?=^### |\Z)", GUIDE_ZH, re.S | re.M)
    assert match, f"docs/editing.zh.md has no '### ... {{#{anchor}}}' section (the Chinese of '### {title}')"
    return match.group(1)


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_every_field_is_documented(kind):
    text = section(HEADINGS[kind])
    for field in SCHEMAS[kind].fields:
        assert f"| `{field.name}` |" in text, f"field '{field.name}' of {kind} is not documented"
        for choice in field.choices:
            assert f"`{choice}`" in text, f"choice '{choice}' of {kind}.{field.name} is not documented"


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_every_field_is_documented_in_the_chinese_guide(kind):
    text = section_zh(HEADINGS[kind])
    for field in SCHEMAS[kind].fields:  # field names and choices stay as editors type them
        assert f"| `{field.name}` |" in text, f"field '{field.name}' of {kind} is not in docs/editing.zh.md"
        for choice in field.choices:
            assert f"`{choice}`" in text, f"choice '{choice}' of {kind}.{field.name} is not in docs/editing.zh.md"
    rows = re.findall(r"^\| `[a-z_]+` \|([^|]*)\|([^|]*)\|([^|]*)\|$", text, re.M)
    assert rows and all(CJK.search(meaning) for _, _, meaning in rows), f"{kind}: a field is not explained in Chinese"


def test_no_documented_field_is_unknown():
    for kind, title in HEADINGS.items():
        for text in (section(title), section_zh(title)):
            documented = set(re.findall(r"^\| `([a-z_]+)` \|", text, re.M))
            assert documented == set(SCHEMAS[kind].names), kind


def test_readme_opens_with_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make site" in head and "make test" in head
