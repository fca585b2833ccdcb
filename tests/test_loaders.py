"""Unit tests of the loaders: YAML with lines, front matter, dates, schema checks."""

from __future__ import annotations

import time

import pytest
from PIL import Image

from docarchive.dates import DateError, PartialDate, parse_date
from docarchive.model import load_archive
from docarchive.problems import ContentError, Problem
from docarchive.schema import STORY, check_record
from docarchive.problems import Problems
from docarchive.yamlsrc import parse_front_matter, parse_yaml


def test_yaml_values_keep_their_lines():
    parsed = parse_yaml("a: 1\nb:\n  - x\n  - 2017-12\nc: {d: 2}\n", "f.yml")
    assert parsed.ok
    assert parsed.data == {"a": 1, "b": ["x", "2017-12"], "c": {"d": 2}}
    assert parsed.data.line_of("c") == 5
    assert parsed.data["b"].line_of(1) == 4


def test_billion_laughs_is_refused_fast_without_expanding():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(9))
    start = time.perf_counter()
    parsed = parse_yaml(bomb, "bomb.yml")
    assert time.perf_counter() - start < 1
    assert not parsed.ok and parsed.data is None
    assert "anchors and aliases" in str(parsed.problems[0])


def test_front_matter_lines_are_file_lines():
    doc = parse_front_matter("---\ntitle: x\nstage: root\n---\n\nBody line\n", "s.md")
    assert doc.ok and doc.meta.line_of("stage") == 3 and doc.body_line == 5
    assert doc.body.strip() == "Body line"


def test_front_matter_must_open_the_file():
    doc = parse_front_matter("title: x\n", "s.md")
    assert not doc.ok
    assert str(doc.problems[0]).startswith("s.md:1: front matter: the file does not start with '---'")


@pytest.mark.parametrize("value, expected, label", [
    (2017, PartialDate(2017), "2017"),
    ("2017-12", PartialDate(2017, 12), "December 2017"),
    ("2017-12-03", PartialDate(2017, 12, 3), "3 December 2017"),
    ("2020-02-29", PartialDate(2020, 2, 29), "29 February 2020"),
])
def test_dates_keep_their_precision(value, expected, label):
    date = parse_date(value)
    assert date == expected and date.label == label and date.iso == str(value)


@pytest.mark.parametrize("value", ["2019-02-29", "2017-13", "2017-00", "17-12", "December 2017", True, 3.5])
def test_impossible_or_malformed_dates_are_refused(value):
    with pytest.raises(DateError):
        parse_date(value)


def test_year_sorts_before_its_months():
    assert sorted([parse_date("2017-12"), parse_date(2017), parse_date("2017-01-05")]) == [
        PartialDate(2017), PartialDate(2017, 1, 5), PartialDate(2017, 12)]


def test_check_record_reports_every_problem_at_once():
    parsed = parse_yaml("title: T\nstage: Root/x\ndate: 2017-02-30\ntags: [1, [2]]\nfeatured: 1\n", "s.md")
    problems = Problems()
    values = check_record(parsed.data, STORY, "s.md", problems)
    text = "\n".join(str(p) for p in problems)
    assert "s.md:2: stage: 'Root/x' is not a plain id" in text
    assert "s.md:3: date: '2017-02-30' is impossible" in text
    assert "s.md:4: tags: item at index 1 is not text" in text
    assert "s.md:5: featured: expected true or false" in text
    assert "s.md:1: summary: required field is missing" in text
    assert "s.md:1: sources: required field is missing" in text
    assert values == {"title": "T"} | {"tags": ("1",)}


def test_problem_format_is_path_line_field_message_fix():
    problem = Problem("stories/root/x.md", 4, "stage", "'roots' is not a stage", "use one of root")
    assert str(problem) == "stories/root/x.md:4: stage: 'roots' is not a stage - use one of root"


def test_image_without_a_caption_record_is_an_error(archive):
    Image.new("RGB", (800, 600), "white").save(archive / "photos" / "orphan.jpg")
    with pytest.raises(ContentError) as info:
        load_archive(archive)
    assert ("photos/orphan.jpg: file: this image has no caption record - add photos/orphan.yml with caption, "
            "alt, credit, license, consent and stage") in str(info.value)


def test_model_resolves_references_and_orders_stories(archive):
    model = load_archive(archive)
    alpha = next(s for s in model.stories if s.slug == "alpha")
    assert alpha.places[0].name_zh == "和政县" and alpha.places[0].within.name == "Linxia"
    assert alpha.people[0].organization.name == "Bag Company"
    assert [s.slug for s in model.stories_in(alpha.stage)] == ["alpha", "aardvark", "beta"]
    assert model.neighbours(alpha) == (None, model.stories_in(alpha.stage)[1])
    assert [s.slug for s in model.stories_about("person", "tian")][:2] == ["alpha", "aardvark"]
