"""The Xiamen-Linxia archive in this repository: complete, sourced, and in its own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import source_facts as facts
from support import REPO

from docarchive.model import load_archive

STAGE_ORDER = ["butterfly", "ice-break", "root", "growth", "bloom"]


@pytest.fixture(scope="module")
def archive():
    # Images are not inspected here: test_images covers them, and this keeps the module fast.
    return load_archive(REPO)


def words(text: str) -> int:
    return len(re.findall(r"[\w'’-]+", text))


def test_loads_without_warnings(archive):
    assert [str(w) for w in archive.warnings] == []


def test_five_stages_in_the_source_order_with_introductions_of_150_to_300_words(archive):
    assert [s.id for s in archive.stages] == STAGE_ORDER
    for stage in archive.stages:
        assert 150 <= words(stage.intro) <= 300, (stage.id, words(stage.intro))
        assert stage.period and stage.summary
        assert any(ref.section_id == stage.id for ref in stage.sources), stage.id


def test_at_least_24_stories_and_4_per_stage_each_250_to_700_words(archive):
    assert len(archive.stories) >= 24
    for stage in archive.stages:
        assert len(archive.stories_in(stage)) >= 4, stage.id
    for story in archive.stories:
        assert 250 <= words(story.body) <= 700, (story.path, words(story.body))
        assert story.summary and story.sources and story.places and story.tags, story.path


def test_one_featured_story_per_stage(archive):
    for stage in archive.stages:
        assert sum(1 for s in archive.stories_in(stage) if s.featured) >= 1, stage.id


def test_every_story_event_and_figure_cites_a_source_that_resolves(archive):
    # The model refuses unresolved ids; here we check nothing is left uncited.
    sources = set(archive.sources)
    for item in (*archive.stories, *archive.events):
        assert item.sources and all(ref.source in sources for ref in item.sources)
    for figure in archive.figures:
        assert figure.source.source in sources


def test_every_figure_names_its_source_section(archive):
    assert len(archive.figures) >= 15
    for figure in archive.figures:
        assert figure.source.section_id and figure.source.section_title, figure.id
        assert figure.counts and figure.unit


def test_timeline_has_at_least_25_events_from_2010_to_2020(archive):
    assert len(archive.events) >= 25
    years = {e.date.year for e in archive.events}
    assert min(years) == 2010 and max(years) == 2020
    assert all(2010 <= y <= 2020 for y in years)


def test_key_figures_from_the_brief_are_present(archive):
    values = {(f.value, f.unit) for f in archive.figures}
    labels = " ".join(f"{f.label} {f.counts}" for f in archive.figures).lower()
    assert any(v == 57 for v, _ in values) and "enterprises" in labels
    assert any(v in (620, 620_000_000) for v, _ in values)
    assert any(v == 800 for v, _ in values)
    assert any(v == 3000 for v, _ in values)


def test_the_source_is_cited_in_full(archive):
    (source,) = archive.sources
    assert source.authors == ("Kang Miao", "Yan Hongxin", "Zhao Wencai")
    assert source.editor == "Zhang Yisu"
    assert source.publication == "Xinhua Daily Telegraph" and source.publication_zh == "新华每日电讯"
    assert (source.date.year, source.date.month) == (2020, 9)
    assert [s for s, _ in source.sections][1:] == STAGE_ORDER


def test_photos_generated_by_the_project_are_marked_placeholder(archive):
    assert {"xiarun-wine-cap-harvest", "linyuan-daida-workshop", "jiming-shoes-workshop"} <= {p.id for p in
                                                                                               archive.photos}
    for photo in archive.photos:
        if photo.placeholder:
            assert "placeholder" in photo.caption.lower()
            assert "placeholder" in photo.alt.lower() or "card" in photo.alt.lower()
    harvest = next(p for p in archive.photos if p.id == "xiarun-wine-cap-harvest")
    assert "Huang Yan" in harvest.credit


def test_places_have_the_glossary_chinese_names(archive):
    names = {p.id: p.name_zh for p in archive.places}
    assert names["linxia-prefecture"] == "临夏回族自治州"
    assert names["xiamen"] == "厦门"
    assert names["jishishan"] == "积石山县"
    assert names["dongxiang"] == "东乡族自治县"
    assert names["hezheng"] == "和政县"


def _archive_texts(archive) -> list[tuple[str, str]]:
    texts = [(s.path, s.body) for s in archive.stories]
    texts += [(f"stage {s.id}", s.intro) for s in archive.stages]
    texts += [(p.relative_to(REPO).as_posix(), p.read_text(encoding="utf-8"))  # hand-written pages, both languages
              for p in sorted((REPO / "docs").rglob("*.md"))]
    return texts + [(f"event {e.id}", e.text) for e in archive.events]


# A sentence of the source (the Ice break section), quoted here only to test the copy check.
SOURCE_SENTENCE = ("In this way, the first batch of migrant workers who arrived in Xiamen gradually "
                   "stabilized.")


@pytest.fixture(scope="module")
def source_hashes() -> set[str]:
    return set(facts.read_list(facts.FINGERPRINT))


def test_no_sentence_is_copied_from_the_source(archive, source_hashes):
    """No run of 14 words in a row outside quotation marks is the source's: the archive is in
    its own words. Marked quotations (of a person, or of the translation's garbled wording
    that a story explains) are left out; official titles are shorter than 14 words. The
    source is known by its committed fingerprint (tests/source_facts.py), so this runs
    without the seed."""
    assert len(source_hashes) > 4000  # the whole source: about 5,000 words
    copied = {path: grams[:2] for path, text in _archive_texts(archive)
              if (grams := facts.copied_runs(text, source_hashes))}
    assert copied == {}


def test_the_copy_check_finds_a_sentence_of_the_source(archive, source_hashes):
    story = archive.stories[0].body
    assert facts.copied_runs(story, source_hashes) == []
    pasted = facts.copied_runs(f"{story}\n\n{SOURCE_SENTENCE}\n", source_hashes)
    assert pasted == sorted(facts.runs(SOURCE_SENTENCE)) and len(pasted) == 2
    assert facts.copied_runs(f'{story} As a worker put it, "{SOURCE_SENTENCE}"', source_hashes) == []  # quoted
    reworded = SOURCE_SENTENCE.replace("gradually stabilized", "slowly settled in")
    assert facts.copied_runs(reworded, source_hashes) == []


def _the_seed(name: str) -> Path:
    path = facts.seed_file().parent / name
    if not path.is_file():
        pytest.skip(f"the seed {path} is not here; the committed file stands for it (also under CI)")
    return path


@pytest.mark.where_the_source_is
def test_the_committed_fingerprint_is_the_seeds():
    seed = _the_seed(facts.SEED_NAME)
    assert facts.FINGERPRINT.read_text(encoding="utf-8") == facts.fingerprint_file_text(seed), \
        "the seed changed: run python tools/update-source-facts.py and commit tests/fixtures/"
    assert SOURCE_SENTENCE in " ".join(seed.read_text(encoding="utf-8").split())


@pytest.mark.where_the_source_is
def test_the_committed_glossary_terms_are_the_seed_readmes():
    readme = _the_seed("README.md")
    assert facts.GLOSSARY.read_text(encoding="utf-8") == facts.glossary_file_text(readme), \
        "the seed's glossary changed: run python tools/update-source-facts.py and commit tests/fixtures/"
    assert {"临夏回族自治州", "厦门", "和政县"} <= set(facts.read_list(facts.GLOSSARY))


# ---------------------------------------------------------------- the Chinese (tests/chinese_names.py)


def test_chinese_text_names_only_the_glossary_and_the_registries(archive):
    """No invented Chinese characters for a name: every name that jieba's tagger finds in the Chinese
    text is a registry name_zh or Chinese alias, or a glossary term; others keep the source's spelling."""
    from chinese_names import archive_names, chinese_texts, unknown_names

    texts = chinese_texts(archive, REPO)
    if not texts:
        pytest.skip("the archive has no Chinese text yet")
    known = archive_names(archive) | set(facts.read_list(facts.GLOSSARY))
    invented = {where: names for where, text in texts if (names := unknown_names(text, known))}
    assert invented == {}


def test_every_chinese_story_has_a_sourced_english_original(archive):
    stories = {s.slug: s for s in archive.stories}
    if not archive.translations.stories:
        pytest.skip("the archive has no Chinese story yet")
    for slug, chinese in archive.translations.stories.items():
        assert slug in stories and stories[slug].sources, chinese.path
        assert chinese.fields.get("title") and chinese.body.strip(), chinese.path
