"""jieba's default dictionary from the engine's faster copy (jiebacache.py) is jieba's own, entry for entry.

Each test uses its own ``jieba.Tokenizer``, never the one Material's search shares, and a cache folder
in ``tmp_path`` for the fast copy; jieba's own marshal cache is the user's (search.jieba_cache_dir), as in
a build.
"""

from __future__ import annotations

import logging

import pytest

from support import REPO  # noqa: F401  (puts hooks/ on sys.path)

jieba = pytest.importorskip("jieba")

from docarchive import jiebacache, search  # noqa: E402

SENTENCE = "临夏州积石山县的扶贫车间里，二十多名贫困户在缝制雨伞，厦门的企业派来了技术人员。"


def tokenizer() -> "jieba.Tokenizer":
    jieba.setLogLevel(logging.WARNING)
    made = jieba.Tokenizer()
    shared = search.jieba_cache_dir()  # jieba's own marshal cache, as a build has it
    made.tmp_dir = str(shared) if shared is not None else None
    return made


def jiebas_own() -> "jieba.Tokenizer":
    own = tokenizer()
    own.initialize()
    return own


def test_the_fast_copy_is_jiebas_dictionary_in_jiebas_order_and_segments_the_same(tmp_path):
    own = jiebas_own()
    first = tokenizer()
    assert jiebacache.preload(tmp_path, first)  # no copy yet: jieba loads its own, and the copy is written
    assert (tmp_path / jiebacache.CACHE_NAME).is_file()
    fast = tokenizer()
    assert jiebacache.read(tmp_path / jiebacache.CACHE_NAME, jiebacache.cache_key(jieba)) is not None
    assert jiebacache.preload(tmp_path, fast)
    assert fast.initialized
    for made in (first, fast):
        assert made.total == own.total
        assert made.FREQ == own.FREQ
        assert list(made.FREQ) == list(own.FREQ)  # the same order too
        assert made.lcut(SENTENCE) == own.lcut(SENTENCE)
        assert made.lcut_for_search(SENTENCE) == own.lcut_for_search(SENTENCE)


def test_a_user_dictionary_goes_on_top_as_with_jiebas_own(tmp_path):
    words = tmp_path / "user.txt"
    words.write_text("积石山县\n扶贫车间\n", encoding="utf-8")
    own = jiebas_own()
    own.load_userdict(str(words))
    jiebacache.preload(tmp_path, tokenizer())  # writes the copy
    fast = tokenizer()
    assert jiebacache.preload(tmp_path, fast)
    fast.load_userdict(str(words))
    assert fast.FREQ == own.FREQ and fast.total == own.total
    assert "积石山县" in fast.lcut(SENTENCE)
    assert fast.lcut(SENTENCE) == own.lcut(SENTENCE)


def test_a_stale_or_damaged_copy_is_made_again_from_jiebas_own(tmp_path):
    path = tmp_path / jiebacache.CACHE_NAME
    own = jiebas_own()
    jiebacache.write(path, b"jieba 0.0 another dictionary", own.FREQ, own.total)
    assert jiebacache.read(path, jiebacache.cache_key(jieba)) is None  # another jieba's: not read
    made = tokenizer()
    assert jiebacache.preload(tmp_path, made)
    assert made.FREQ == own.FREQ
    assert jiebacache.read(path, jiebacache.cache_key(jieba)) is not None  # made again for this jieba
    path.write_bytes(path.read_bytes()[:-3])  # cut short
    assert jiebacache.read(path, jiebacache.cache_key(jieba)) is None
    again = tokenizer()
    assert jiebacache.preload(tmp_path, again)
    assert again.FREQ == own.FREQ and again.total == own.total


def test_a_tokenizer_with_a_dictionary_already_or_another_dictionary_is_left_alone(tmp_path):
    loaded = jiebas_own()
    assert not jiebacache.preload(tmp_path, loaded)
    other = tokenizer()
    (tmp_path / "own-dict.txt").write_text("扶贫 3 n\n", encoding="utf-8")
    other.set_dictionary(str(tmp_path / "own-dict.txt"))
    assert not jiebacache.preload(tmp_path, other)
    assert not other.initialized
    assert not (tmp_path / jiebacache.CACHE_NAME).exists()


def test_an_unwritable_cache_folder_leaves_jieba_loading_its_own(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    made = tokenizer()
    assert jiebacache.preload(blocked / "cache", made)
    assert made.initialized and made.total == jiebas_own().total
