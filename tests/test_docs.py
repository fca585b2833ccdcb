"""The editors' guide documents every field of every input kind (a test fails when one is missing)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from docarchive.schema import SCHEMAS

REPO = Path(__file__).resolve().parents[1]
GUIDE = (REPO / "docs" / "editing.md").read_text(encoding="utf-8")
HEADINGS = {"story": "Story front matter", "story-zh": "Story in Chinese", "photo": "Photo caption record", "event": "Timeline event",
            "figure": "Key figure", "stage": "Stage", "person": "Person", "place": "Place",
            "organization": "Organization", "source": "Source", "archive": "Archive"}


def section(title: str) -> str:
    match = re.search(rf"^### {re.escape(title)}\n(.*?)(?=^### |\Z)", GUIDE, re.S | re.M)
    assert match, f"docs/editing.md has no '### {title}' section"
    return match.group(1)


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_every_field_is_documented(kind):
    text = section(HEADINGS[kind])
    for field in SCHEMAS[kind].fields:
        assert f"| `{field.name}` |" in text, f"field '{field.name}' of {kind} is not documented"
        for choice in field.choices:
            assert f"`{choice}`" in text, f"choice '{choice}' of {kind}.{field.name} is not documented"


def test_no_documented_field_is_unknown():
    for kind, title in HEADINGS.items():
        documented = set(re.findall(r"^\| `([a-z_]+)` \|", section(title), re.M))
        assert documented == set(SCHEMAS[kind].names), kind


def test_readme_opens_with_the_two_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make site" in head and "make test" in head
