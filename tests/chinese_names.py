"""Names in Chinese text that the archive does not know: the "never invent Chinese characters for a name" check.

The archive's Chinese names are the registries' ``name_zh`` (from the glossary),
their Chinese aliases, a source's ``publication_zh``, and the glossary of
``../shared/seeds/README.md`` (its terms are committed in tests/fixtures/glossary-zh.txt). Every other person or organization keeps the
source's spelling (pinyin or the translation's English), also in Chinese text.

What looks like a name: jieba's part-of-speech tagger (its own tokenizer, with
every known name added as a word of its own) marks person names (nr, nrfg,
nrt), organization names (nt) and place names (ns). Its dictionary tags many
ordinary words so (释义 and 宣传部 are "nr" there), so only the words it does
not have count: a name made up of characters, such as a transliteration written
in Chinese (田小平), is new to it, and its HMM joins the characters into one
word and tags it. Reported: such a person name of two or three characters, such
an organization name, such a place name ending like an administrative unit
(县, 乡, 镇, 村...), and a one-character person tag before 家村 or 家庄 (马 + 家村).
A known name followed by a unit (厦门市, 临夏州) or without its unit (和政 for
和政县) is the known name; a number with a unit (四省, 三州) and a direction with
a verb (西移, 东进) are not names. Measured on
the archive's Chinese (about 300 texts): nothing ordinary is reported, and the
made-up names of tests/test_chinese_names.py are.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache
from pathlib import Path

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
PERSON_OR_ORG = {"nr", "nrfg", "nrt", "nt"}
UNITS = ("自治州", "自治县", "县", "市", "州", "省", "区", "乡", "镇", "村", "庄")
KNOWN_TAG = "known"
NUMERALS = "一二三四五六七八九十百千万两几多数"
DIRECTIONS = "东西南北"
# Ordinary words that end like a unit and that the tagger may still mark as places.
GENERIC_PLACES = {"城市", "农村", "乡村", "城乡", "市区", "城区", "山区", "地区", "社区", "园区", "小区", "县区", "乡镇",
                  "全县", "全市", "全州", "全省", "本县", "本市", "该县", "该市", "家乡", "老家村"}


def archive_names(archive) -> set[str]:
    texts = []
    for item in (*archive.places, *archive.organizations, *archive.people):
        texts += [item.name, getattr(item, "name_zh", ""), *item.aliases]
    texts += [s.publication_zh for s in archive.sources] + [s.title_zh for s in archive.sources]
    return {run for text in texts for run in HAN.findall(text or "")}


@lru_cache(maxsize=4)
def _tagger(known: frozenset):
    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    for name in known:
        tokenizer.add_word(name, freq=10_000_000, tag=KNOWN_TAG)
    return jieba.posseg.POSTokenizer(tokenizer)


def unknown_names(text: str, known: set[str]) -> list[str]:
    """The names in ``text`` that are not ``known``, in order of appearance."""
    tagger = _tagger(frozenset(known))
    in_dictionary = tagger.tokenizer.FREQ
    tagged = [(pair.word, pair.flag) for pair in tagger.cut(text)]
    found = []
    for i, (word, flag) in enumerate(tagged):
        if flag == KNOWN_TAG or word in known or not HAN.fullmatch(word) or _known_with_unit(word, known):
            continue
        following = tagged[i + 1][0] if i + 1 < len(tagged) else ""
        if flag == "nr" and following in ("家村", "家庄"):
            found.append(word + following)
        elif in_dictionary.get(word):
            continue  # an ordinary word of jieba's dictionary, whatever its tag
        elif flag in PERSON_OR_ORG and (2 <= len(word) <= 3 or flag == "nt"):
            found.append(word)
        elif flag == "ns" and word.endswith(UNITS) and word not in GENERIC_PLACES:
            found.append(word)
    return found


def _known_with_unit(word: str, known: set[str]) -> bool:
    """厦门市 (厦门 + 市), 和政 (和政县 without 县), 四省 (a number of provinces), 西移 (moves west)."""
    if word[0] in NUMERALS or (len(word) == 2 and word[0] in DIRECTIONS):
        return True
    return any((word.endswith(unit) and word[: -len(unit)] in known) or word + unit in known for unit in UNITS)


def chinese_texts(archive, root: Path) -> list[tuple[str, str]]:
    """Every Chinese text of the archive, with where it is: stories' Chinese, ``_zh`` fields, pages' Chinese."""
    zh = archive.translations
    texts = []
    for slug, story in sorted(zh.stories.items()):
        texts += [(f"{story.path}: {name}", value) for name, value in story.fields.items()]
        texts.append((f"{story.path}: body", story.body))
    for (kind, rid), fields in sorted(zh.records.items()):
        texts += [(f"{kind} {rid}: {name}_zh", value) for name, value in fields.items()]
    for src, path in sorted(zh.pages.items()):
        texts.append((Path(path).relative_to(root).as_posix(), Path(path).read_text(encoding="utf-8")))
    return texts
