"""What ``make serve`` keeps from one save to the next, tested without a server (fast).

- ``loader.ParsedFiles``: a file whose text did not change is not parsed or checked
  again, and the archive loaded with it equals a fresh load; its problems come back
  at the same lines, aliases and tags are still refused, unsafe HTML still refused.
- ``pagecache``: a story page's reads of the archive name its stage by id (so they
  can be made again on the next archive), and its key changes only when what it
  shows changed (test_serve_incremental checks the served site against a clean build).
"""

from __future__ import annotations

import pytest
from support import make_archive

from docarchive import loader, pagecache, pages, render
from docarchive.images import Derivative, Rendition
from docarchive.mkdocs_glue import THEME_DIR
from docarchive.model import load_archive
from docarchive.problems import ContentError


@pytest.fixture
def root(tmp_path):
    return make_archive(tmp_path / "archive")


def counting(monkeypatch) -> list:
    """The paths loader parses front matter for, from now on."""
    seen = []
    real = loader.parse_front_matter

    def parse(text, rel):
        seen.append(rel)
        return real(text, rel)

    monkeypatch.setattr(loader, "parse_front_matter", parse)
    return seen


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_unchanged_files_are_not_parsed_again_and_the_archive_equals_a_fresh_load(root, monkeypatch):
    parsed = loader.ParsedFiles()
    first = load_archive(root, parsed=parsed)
    seen = counting(monkeypatch)
    assert load_archive(root, parsed=parsed) == first
    assert seen == []
    edit(root / "stories/one/beta.md", "title: \"Beta story\"", "title: \"Beta story, edited\"")
    again = load_archive(root, parsed=parsed)
    assert seen == ["stories/one/beta.md"]
    assert again == load_archive(root)
    assert next(s for s in again.stories if s.slug == "beta").title == "Beta story, edited"


def problems_of(root, parsed) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_archive(root, parsed=parsed)
    return [str(p) for p in caught.value.problems]


@pytest.mark.parametrize("old, new, expected", [
    ("summary: Summary of Beta story.", "summary: &a Summary\nnote: *a", "anchors and aliases"),
    ("summary: Summary of Beta story.", "summary: !!str Summary", "YAML tags"),
    ("More text about beta.", "More text about beta. <script>alert(1)</script>", "script"),
    ("More text about beta.", "More text about beta. ![x](https://example.org/x.png)", "example.org"),
])
def test_a_cached_file_keeps_its_problems_at_their_lines(root, old, new, expected):
    edit(root / "stories/one/beta.md", old, new)
    parsed = loader.ParsedFiles()
    first = problems_of(root, parsed)
    assert any(expected in p and p.startswith("stories/one/beta.md:") for p in first), first
    assert problems_of(root, parsed) == first  # from the cache: the same lines, the same words
    assert problems_of(root, None) == first  # and what a fresh load says


def test_entries_of_deleted_files_are_dropped(root):
    parsed = loader.ParsedFiles()
    load_archive(root, parsed=parsed)
    (root / "stories/one/beta.md").unlink()
    (root / "stories/one/beta.zh.md").unlink()
    load_archive(root, parsed=parsed)
    assert ("story", "stories/one/beta.md") not in parsed._kept


def story_page_reads(archive, slug):
    """What a story page's template reads of the archive, as make serve records it."""
    spec = next(s for s in pages.plan_pages(archive) if s.kind == "story" and s.obj.slug == slug)
    recorder = pagecache.ReadRecorder(archive, spec.obj)
    media = {photo.id: Rendition(photo.id, 640, 480, "#336699", (Derivative(f"media/{photo.id}.jpeg", 640, 480, "jpeg",
                                                                            1000),), "") for photo in archive.photos}
    render.render_page(render.make_env([THEME_DIR]), spec, recorder, "<p>The body.</p>",
                       render.Linker(lambda uri: uri), media)
    return spec, recorder.replayable


def key_of(archive, slug, reads):
    spec = next(s for s in pages.plan_pages(archive) if s.kind == "story" and s.obj.slug == slug)
    return pagecache.page_key("build", spec, archive, reads, "whole", pagecache.Digests())


def test_a_story_page_names_its_stage_by_id_and_changes_only_with_what_it_shows(root):
    archive = load_archive(root)
    spec, reads = story_page_reads(archive, "alpha")
    assert reads != pagecache.WHOLE
    assert ("count_in", (pagecache.Ref("Stage", "one"),)) in reads
    before = key_of(archive, "alpha", reads)
    # A story of another stage changes: not shown on alpha's page.
    edit(root / "stories/two/gamma.md", "More text about gamma.", "More text about gamma, edited.")
    assert key_of(load_archive(root), "alpha", reads) == before
    # A story added to alpha's stage changes its "story n of N".
    text = (root / "stories/one/beta.md").read_text(encoding="utf-8")
    (root / "stories/one/omega.md").write_text(text.replace("Beta", "Omega"), encoding="utf-8")
    assert key_of(load_archive(root), "alpha", reads) != before


def test_a_read_naming_a_record_that_is_gone_makes_the_page_again(root):
    archive = load_archive(root)
    reads = (("count_in", (pagecache.Ref("Stage", "no-such-stage"),)),)
    assert key_of(archive, "alpha", reads) is None
