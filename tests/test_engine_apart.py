"""Engine apart from content: nothing of this repository's archive in the engine's code, templates, JS or CSS.

The words looked for come from the archive's own data (its places, stages and their
source sections, sources and people), plus the partnership's two names. A name
(Hezheng County, Kang Miao, 厦门) is looked for anywhere, as a whole word; an id is
looked for as a whole word when it is one no text would use by chance (xinhua-2020,
ice-break), and otherwise (root, growth, bloom) where it stands as an id: after '#',
in a path, after --stage or stage:, in an example="...", in a CSS name (--da-root,
data-stage="root").
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import REPO

from docarchive.model import load_archive

ENGINE = REPO / "hooks" / "docarchive"
ALWAYS = ("Xiamen", "Linxia")


def engine_files() -> list[Path]:
    files = [*ENGINE.rglob("*.py"), *(ENGINE / "theme").rglob("*.html"), *(ENGINE / "theme").rglob("*.js"),
             *(ENGINE / "theme").rglob("*.css")]
    return sorted(f for f in files if "__pycache__" not in f.parts)


def archive_words() -> tuple[set[str], set[str]]:
    """(names, ids) of this repository's archive, from its data."""
    archive = load_archive(REPO)
    names, ids = set(ALWAYS), set()
    for place in archive.places:
        names |= {place.name, place.name_zh or ""}
        ids.add(place.id)
    for person in archive.people:
        names.add(person.name)
        ids.add(person.id)
    for source in archive.sources:
        names |= {source.publication, source.publication_zh or "", *source.authors, source.editor or ""}
        ids |= {source.id, *(section for section, _ in source.sections)}
    ids |= {stage.id for stage in archive.stages}
    return {n for n in names if n}, ids


def _word(term: str) -> str:
    return rf"(?<![\w-]){re.escape(term)}(?![\w-])"


ID_PLACES = r"(?:#|/|--stage[ =]|stage[:=] ?[\"']?|example=[\"']\[?|data-stage=[\"']|--da-|e\.g\. [\"']?)"


def patterns() -> dict[str, re.Pattern]:
    names, ids = archive_words()
    found = {name: re.compile(_word(name), re.IGNORECASE) for name in names}
    for id_ in ids:
        distinctive = "-" in id_ or any(c.isdigit() for c in id_)
        in_place = ID_PLACES + re.escape(id_) + r"(?![\w-])"
        found[id_] = re.compile(_word(id_) if distinctive else in_place, re.IGNORECASE)
    return found


@pytest.fixture(scope="module")
def archive_patterns() -> dict[str, re.Pattern]:
    return patterns()


def words_in(path: Path, archive_patterns) -> set[str]:
    text = path.read_text(encoding="utf-8")
    return {word for word, pattern in archive_patterns.items() if pattern.search(text)}


def test_the_words_are_this_archives(archive_patterns):
    assert {"Xiamen", "Linxia", "Hezheng County", "和政县", "Kang Miao", "xinhua-2020", "ice-break", "root",
            "hezheng"} <= set(archive_patterns)
    caught = 'Field("sources", example="[xinhua-2020#root]")  # stories/root/x.md, --da-growth'
    assert {w for w, p in archive_patterns.items() if p.search(caught)} == {"xinhua-2020", "root", "growth"}
    ordinary = "root = Path(root); the growth of a list; in bloom; :root { }"
    assert {w for w, p in archive_patterns.items() if p.search(ordinary)} == set()


@pytest.mark.parametrize("path", engine_files(), ids=lambda path: path.relative_to(ENGINE).as_posix())
def test_the_engine_file_names_nothing_of_this_archive(path, archive_patterns):
    assert words_in(path, archive_patterns) == set()
