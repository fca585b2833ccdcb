"""Names in Chinese text that the archive does not know: the "never invent Chinese characters for a name" check.

The archive's Chinese names are the registries' ``name_zh`` (from the glossary),
their Chinese aliases, a source's ``publication_zh``, and the glossary of
``../shared/seeds/README.md``. Every other person or organization keeps the
source's spelling (pinyin or the translation's English), also in Chinese text.

What looks like a name: jieba's part-of-speech tagger (its own tokenizer, with
every known name added as a word of its own) marks person names (nr, nrfg,
nrt), organization names (nt) and place names (ns). A person or organization
name that is not known is reported; a place name only when it ends like an
administrative unit (县, 乡, 镇, 村...), since 中国 or 福建 are not inventions;
a known name followed by such a unit (厦门市) is the known name. A one-character
person tag before 家村 or 家庄 (马 + 家村) is a village name and reported too.
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
# Ordinary words that end like a unit and that the tagger may still mark as places.
GENERIC_PLACES = {"城市", "农村", "乡村", "城乡", "市区", "城区", "山区", "地区", "社区", "园区", "小区", "县区", "乡镇",
                  "全县", "全市", "全州", "全省", "本县", "本市", "该县", "该市", "家乡", "老家村"}


def glossary_names(readme: Path) -> set[str]:
    """The Chinese column of the seed README's glossary table (``| in the source | means | Chinese |``)."""
    if not readme.is_file():
        return set()
    names = set()
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and HAN.search(cells[2]):
            names.update(part.strip() for part in re.split(r"[,/，、]", cells[2]) if HAN.fullmatch(part.strip()))
    return names


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
    tagged = [(pair.word, pair.flag) for pair in _tagger(frozenset(known)).cut(text)]
    found = []
    for i, (word, flag) in enumerate(tagged):
        if flag == KNOWN_TAG or word in known or not HAN.fullmatch(word):
            continue
        following = tagged[i + 1][0] if i + 1 < len(tagged) else ""
        if flag in PERSON_OR_ORG and len(word) >= 2:
            found.append(word)
        elif flag == "nr" and following in ("家村", "家庄"):
            found.append(word + following)
        elif flag == "ns" and word.endswith(UNITS) and word not in GENERIC_PLACES and not any(
                word == name + unit for name in known for unit in UNITS):
            found.append(word)
    return found


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
