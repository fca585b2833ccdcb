"""Chinese search terms: jieba's user dictionary, generated from the registries at build time.

Material's search plugin segments Chinese text with jieba when it builds the
index, and puts a zero-width space (``\\u200b``) between the words; the search
``separator`` in mkdocs.yml splits on it. jieba does not know the archive's
names: it may cut a county's name into the name and its unit (县), so a reader
typing the county's name would find nothing. Every Chinese name the registries hold therefore goes into
a user dictionary, so that a registered name is always one whole search term.

``dictionary_words`` and ``dictionary_text`` are pure; ``prepare`` writes the
file into the project's cache folder and keeps jieba's own model cache in the
user's cache folder (jieba writes ``/tmp/jieba.cache`` otherwise).
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from typing import Iterable

from . import jiebacache
from .model import Archive

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]+")
DICTIONARY_NAME = "jieba-user-dict.txt"


def han_runs(text: str) -> list[str]:
    """The runs of Chinese characters in ``text`` that can be words (two characters or more)."""
    return [run for run in HAN.findall(text or "") if len(run) >= 2]


def dictionary_words(archive: Archive) -> list[str]:
    """Every Chinese name of the archive, sorted and without repeats.

    The Chinese name (``name_zh``) and every Chinese alias of places, people and
    organizations, the Chinese in their English names, a source's Chinese
    publication name, and Chinese written inside a story's English title.
    A story's ``title_zh`` is a sentence, not a name: jieba segments it into
    words, so a reader can find it by any word of it.
    """
    texts: list[str] = []
    for item in (*archive.places, *archive.organizations, *archive.people):
        texts.append(item.name)
        texts.append(getattr(item, "name_zh", ""))
        texts.extend(item.aliases)
    for source in archive.sources:
        texts.append(source.publication_zh)
    for story in archive.stories:
        texts.append(story.title)
    return sorted({run for text in texts for run in han_runs(text)})


def dictionary_text(words: Iterable[str], extra: str = "") -> str:
    """jieba's user-dictionary format: one word a line (jieba picks a frequency that keeps it whole).

    ``extra`` is the text of a dictionary the project configured itself
    (``jieba_dict_user`` in mkdocs.yml); it is kept, after the generated words.
    """
    lines = list(words)  # no header comment: jieba would read it as a word
    if extra.strip():
        lines.append(extra.strip())
    return "\n".join(lines) + "\n"


def result_labels(kind: str, obj: object, loc=None) -> list[str]:
    """The stage and date a search result shows under a page's text, for the pages that have them.

    Material's result shows the page's text from the first block that matches
    the query, so a stage and date at the top of the page are cut off; it shows
    a page's ``tags`` in full, as labels. The hook sets them as the page's tags
    (the site has no tags plugin, so the page itself does not show them).
    """
    date = loc.date if loc is not None else (lambda d: d.label)  # the edition's date format (localize.py)
    if kind == "story":
        return [obj.stage.title, date(obj.date)]
    if kind == "photo":
        return [obj.stage.title] + ([date(obj.date)] if obj.date else [])
    if kind == "stage":
        if loc is not None:
            return [loc.gettext("Stage %(n)s") % {"n": obj.order}, loc.text(obj, "period")]
        return [f"Stage {obj.order}", obj.period]
    return []


def prepare(archive: Archive, cache_dir: Path, extra_dictionary: Path | None = None) -> Path:
    """Write the user dictionary into ``cache_dir`` (only when it changed); keep jieba's cache per user.

    Returns the dictionary's absolute path, for the search plugin's ``jieba_dict_user``.
    """
    cache_dir = Path(cache_dir).resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)
    extra = extra_dictionary.read_text(encoding="utf-8") if extra_dictionary else ""
    text = dictionary_text(dictionary_words(archive), extra)
    path = cache_dir / DICTIONARY_NAME
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        from .photo_cache import atomic_write  # two editions' builds at once (sitebuild): never read half written
        atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    _use_cache_dir(jieba_cache_dir() or cache_dir)
    return path


def load_jieba(cache_dir: Path) -> None:
    """jieba's default dictionary, read now (jiebacache.py), with its model cache kept as ``prepare`` keeps it."""
    folder = jieba_cache_dir() or Path(cache_dir).resolve()
    _use_cache_dir(folder)
    jiebacache.preload(folder)


def jieba_cache_dir() -> Path | None:
    """The user's cache folder for jieba's model (``$XDG_CACHE_HOME/docarchive``), or None if unusable.

    jieba's model cache depends on jieba's own dictionary only, not on the archive,
    so every archive and every fresh checkout shares it: building it takes about a
    second, loading it a tenth of that. Without it jieba would write /tmp/jieba.cache.
    """
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "docarchive"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return folder.resolve() if os.access(folder, os.W_OK) else None


def _use_cache_dir(cache_dir: Path) -> None:
    """Point jieba's model cache at ``cache_dir`` and keep its progress messages out of the build log."""
    try:
        import jieba
    except ImportError:  # Material indexes Chinese as whole runs without jieba; nothing to configure
        return
    jieba.dt.tmp_dir = str(cache_dir)
    jieba.setLogLevel(logging.WARNING)


def name_parts(title: str) -> str:
    """An entity page's indexed title with each Chinese name as the words inside it, not as one word.

    Material's search matches a Chinese query as the start of a word (a prefecture's short name finds both
    the prefecture's full name and a county named after it) and weighs a match by how rare the matched word
    is in the whole index. A name the archive mentions everywhere (the prefecture every county belongs to)
    is a common word, so it weighs less than a name mentioned rarely (one county), and the pages' own
    weights (pages.SEARCH_BOOST) never get a say. Indexed as the words inside it (from jieba's search mode,
    without overlap: ``tile``), each page's title matches the query by the same word, equally rare on every
    page: the page's weight decides, as it does in English. A name with no word inside it stays whole.
    Runs on Material's segmented title (words apart by ``\\u200b``) and keeps that separator; the pieces
    join up to the name again, so only the index changes, never what a reader sees.
    """
    try:
        import jieba
    except ImportError:  # no segmentation at all: nothing to split
        return title

    def split(match: re.Match) -> str:
        name = match.group(0)
        return "\u200b".join(tile(name, {w for w in jieba.cut_for_search(name) if w != name}))

    return HAN.sub(split, title)


def tile(name: str, words: set[str]) -> list[str]:
    """``name`` cut into the longest of ``words`` from the left, a character where none fits: the pieces
    join up to the name again (a search result shows the indexed title), and never overlap."""
    if not words:
        return [name]
    pieces, at = [], 0
    while at < len(name):
        piece = max((w for w in words if name.startswith(w, at)), key=len, default=name[at])
        pieces.append(piece)
        at += len(piece)
    return pieces
