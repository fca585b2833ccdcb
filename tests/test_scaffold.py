"""`docarchive new ...` and `docarchive check --format`: an editor's first steps, run as the real command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from docarchive.yamlsrc import parse_yaml

ALL_NEW = ("story", "photo", "event", "person", "place", "organization", "figure")


def docarchive(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docarchive", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("kind", ALL_NEW)
def test_every_new_command_has_help_with_an_example_and_a_root_option(kind):
    out = docarchive("new", kind, "--help")
    assert out.returncode == 0
    assert "example:" in out.stdout and f"docarchive new {kind}" in out.stdout and "--root" in out.stdout


def test_new_story_then_check_reports_each_todo_then_passes_once_filled_in(archive):
    out = docarchive("new", "story", "--root", str(archive), "--stage", "two", "--title", "Café owners, 2019!")
    path = archive / "stories" / "two" / "cafe-owners-2019.md"
    assert out.returncode == 0, out.stderr
    assert f"wrote {path}" in out.stdout
    text = path.read_text(encoding="utf-8")
    from docarchive.schema import STORY
    for field in STORY.fields:  # every field, each with a comment saying what it is
        line = next(l for l in text.splitlines() if l.startswith(f"{field.name}:"))
        assert f"# {'required' if field.required else 'optional'}: {field.doc}" in line
    check = docarchive("check", str(archive), "--format", "json")
    assert check.returncode == 1
    todo = [p for p in json.loads(check.stdout) if p["message"] == "is still marked TODO"]
    lines = text.splitlines()
    assert {(p["field"], p["line"]) for p in todo} == {
        ("date", _line(lines, "date:")), ("summary", _line(lines, "summary:")),
        ("sources", _line(lines, "sources:")), ("body", _line(lines, "TODO: write"))}
    assert all(p["file"] == "stories/two/cafe-owners-2019.md" and p["severity"] == "error" for p in todo)
    filled = (text.replace("date: TODO", "date: 2019-05").replace("summary: TODO", "summary: Two owners.")
              .replace("sources: [TODO]", "sources: [src#part-a]"))
    filled = filled[:filled.index("TODO: write")] + "The owners opened in May 2019.\n"
    path.write_text(filled, encoding="utf-8")
    check = docarchive("check", str(archive))
    assert check.returncode == 0, check.stderr
    assert "ok: 3 stages" in check.stdout


def _line(lines: list[str], start: str) -> int:
    return next(i for i, l in enumerate(lines, 1) if l.startswith(start))


def test_new_story_refusals(archive):
    first = docarchive("new", "story", "--root", str(archive), "--stage", "two", "--title", "Alpha")
    assert first.returncode == 1 and "stories/one/alpha.md" in first.stderr  # slugs are unique across stages
    assert (archive / "stories/one/alpha.md").read_text(encoding="utf-8").startswith('---\ntitle: "Alpha story"')
    unknown = docarchive("new", "story", "--root", str(archive), "--stage", "seven", "--title", "X")
    assert unknown.returncode == 1 and "use one of one, two, three" in unknown.stderr
    chinese = docarchive("new", "story", "--root", str(archive), "--stage", "one", "--title", "临夏的鞋厂")
    assert chinese.returncode == 1 and "--slug" in chinese.stderr
    named = docarchive("new", "story", "--root", str(archive), "--stage", "one", "--title", "临夏的鞋厂",
                       "--slug", "linxia-shoes")
    assert named.returncode == 0 and (archive / "stories/one/linxia-shoes.md").is_file()
    again = docarchive("new", "story", "--root", str(archive), "--stage", "two", "--title", "x", "--slug",
                       "linxia-shoes")
    assert again.returncode == 1 and "stories/one/linxia-shoes.md" in again.stderr


def test_root_defaults_to_the_current_folder(archive):
    out = docarchive("new", "place", "Anji Township", cwd=archive)
    assert out.returncode == 0, out.stderr
    assert "anji-township" in (archive / "data" / "places.yml").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind, name, rel, name_field", [
    ("person", "Ma Xiaoli", "data/people.yml", "name"),
    ("place", "Anji Township", "data/places.yml", "name"),
    ("organization", "Linxia Jiming Shoes", "data/organizations.yml", "name"),
    ("event", "A workshop opens", "data/timeline.yml", "title"),
    ("figure", "Workers in the workshop", "data/figures.yml", "label"),
])
def test_new_record_appends_and_keeps_the_files_comments_and_layout(archive, kind, name, rel, name_field):
    path = archive / rel
    before = "# A comment the editor wrote, kept as it is.\n" + path.read_text(encoding="utf-8") + \
        "# a closing comment\n"
    path.write_text(before, encoding="utf-8")
    out = docarchive("new", kind, name, "--root", str(archive))
    assert out.returncode == 0, out.stderr
    after = path.read_text(encoding="utf-8")
    assert after.startswith(before)  # byte for byte: comments, blank lines, flow lists
    record = parse_yaml(after, rel).data[-1]
    assert record[name_field] == name and record["id"] == "-".join(name.lower().split())
    duplicate = docarchive("new", kind, name, "--root", str(archive))
    assert duplicate.returncode == 1 and "already used" in duplicate.stderr
    assert path.read_text(encoding="utf-8") == after
    check = docarchive("check", str(archive))
    assert check.returncode == 1 and f"{rel}:" in check.stderr and "is still marked TODO" in check.stderr


def test_new_event_checks_its_stage(archive):
    out = docarchive("new", "event", "Something", "--stage", "nine", "--root", str(archive))
    assert out.returncode == 1 and "'nine' is not a stage" in out.stderr


def _jpeg_with_exif(path: Path, gps: bool) -> Path:
    im = Image.new("RGB", (1200, 800), (90, 120, 60))
    exif = Image.Exif()
    exif.get_ifd(0x8769)[0x9003] = "2019:05:03 10:20:30"  # DateTimeOriginal
    if gps:
        exif.get_ifd(0x8825).update({1: "N", 2: (35.0, 36.0, 0.0), 3: "E", 4: (103.0, 12.0, 0.0)})
    im.save(path, "JPEG", exif=exif)
    return path


def test_new_photo_prefills_size_and_date_and_says_what_is_published(archive, tmp_path):
    image = _jpeg_with_exif(tmp_path / "Workshop Day.jpg", gps=True)
    out = docarchive("new", "photo", str(image), "--stage", "one", "--root", str(archive))
    assert out.returncode == 0, out.stderr
    assert (archive / "photos" / "workshop-day.jpg").read_bytes() == image.read_bytes()
    record = (archive / "photos" / "workshop-day.yml").read_text(encoding="utf-8")
    assert "1200 x 800 pixels" in record and "date: 2019-05-03" in record and "stage: one" in record
    assert "This file carries a GPS position." in out.stdout
    assert "GPS and all other metadata" in out.stdout and "removed" in out.stdout
    check = docarchive("check", str(archive), "--format", "json")
    todo = {p["field"] for p in json.loads(check.stdout) if p["file"] == "photos/workshop-day.yml"}
    assert todo == {"caption", "alt", "credit", "license", "consent"}
    plain = docarchive("new", "photo", str(_jpeg_with_exif(tmp_path / "plain.jpg", gps=False)), "--stage", "one",
                       "--root", str(archive))
    assert "This file carries no GPS position." in plain.stdout


def test_new_photo_applies_the_builds_image_checks(archive, tmp_path):
    truncated = tmp_path / "cut.jpg"
    _jpeg_with_exif(tmp_path / "whole.jpg", gps=False)
    truncated.write_bytes((tmp_path / "whole.jpg").read_bytes()[:3000])
    png_named_jpg = tmp_path / "wrong.jpg"
    Image.new("RGB", (800, 600)).save(png_named_jpg, "PNG")
    for bad, words in ((truncated, "truncated"), (png_named_jpg, "is PNG but its name says JPEG")):
        out = docarchive("new", "photo", str(bad), "--stage", "one", "--root", str(archive))
        assert out.returncode == 1 and words in out.stderr, out.stderr
        assert not (archive / "photos" / bad.name).exists() and not (archive / "photos" / f"{bad.stem}.yml").exists()


def test_check_github_format_annotates_each_problem_on_its_line(archive):
    story = archive / "stories" / "one" / "beta.md"
    story.write_text(story.read_text(encoding="utf-8").replace("stage: one", "stage: roots"), encoding="utf-8")
    out = docarchive("check", str(archive), "--format", "github")
    assert out.returncode == 1
    assert ("::error file=stories/one/beta.md,line=3,title=stage::'roots' is not a stage - use one of one, two, three\n"
            in out.stdout), out.stdout


def test_check_json_is_empty_list_for_a_clean_archive(archive):
    out = docarchive("check", str(archive), "--format", "json")
    assert out.returncode == 0 and json.loads(out.stdout) == []


def test_new_photo_for_an_image_already_in_photos_writes_only_its_record(archive):
    image = _jpeg_with_exif(archive / "photos" / "market.jpg", gps=False)
    before = image.read_bytes()
    out = docarchive("new", "photo", str(image), "--stage", "two", "--root", str(archive))
    assert out.returncode == 0, out.stderr
    assert image.read_bytes() == before and (archive / "photos" / "market.yml").is_file()
    assert f"kept {image}" in out.stdout
