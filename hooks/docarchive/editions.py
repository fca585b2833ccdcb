"""Language editions: the same archive built once per language, each in its own folder.

The first edition of ``extra.editions`` (mkdocs.yml) is the main one, at the
site's root; every other lives in its folder under it (``zh/``), with the same
page paths. A build is one edition, chosen by ``theme.language`` (which also
gives Material's interface in that language). Pure: no MkDocs objects.

Links between editions are relative, so they work over http at any address and
from ``file://``: from a page, up to its edition's root, up once more from a
sub-edition to the main root, then down into the other edition. Only the
``<link rel="alternate" hreflang>`` of a published site (``site_url`` set) are
absolute: search engines ignore relative ones (and Lighthouse's SEO audit fails them).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DEFAULT = ({"lang": "en", "name": "English", "hreflang": "en", "root": ""},)


@dataclass(frozen=True)
class Edition:
    lang: str  # the engine's language code: en, zh (messages.py)
    name: str  # as the switcher shows it, in its own language: English, 中文
    hreflang: str  # BCP 47, for lang= and hreflang=: en, zh-Hans
    root: str = ""  # folder under the main edition's root; "" for the main edition


class EditionError(ValueError):
    pass


def parse_editions(setting) -> tuple[Edition, ...]:
    """``extra.editions`` as a tuple of Edition; the main edition first, with root ""."""
    items = setting or DEFAULT
    if not isinstance(items, list | tuple) or not items:
        raise EditionError("extra.editions: expected a list of {lang, name, hreflang, root}")
    editions = []
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not {"lang", "name"} <= item.keys():
            raise EditionError(f"extra.editions: item at index {index} needs lang and name, "
                               "e.g. {lang: zh, name: 中文, hreflang: zh-Hans, root: zh}")
        root = str(item.get("root", "") or "").strip("/")
        if (index == 0) != (root == ""):
            raise EditionError(f"extra.editions: item at index {index}: the first edition has root '' "
                               "and every other a folder such as 'zh'")
        if ".." in root.split("/"):
            raise EditionError(f"extra.editions: item at index {index}: root '{root}' must stay inside the site")
        editions.append(Edition(str(item["lang"]), str(item["name"]), str(item.get("hreflang", item["lang"])),
                                root))
    return tuple(editions)


def declared_languages(root: Path) -> tuple[str, ...]:
    """The languages of ``extra.editions`` in the archive's mkdocs.yml, read without MkDocs (for
    ``docarchive check``). Tags such as ``!!python/name`` (Material's emoji settings) are read as
    plain values: only ``extra.editions`` matters here."""
    class Lenient(yaml.SafeLoader):
        pass

    Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
    path = root / "mkdocs.yml"
    try:
        config = yaml.load(path.read_text(encoding="utf-8"), Loader=Lenient) if path.is_file() else {}
        return tuple(e.lang for e in parse_editions(((config or {}).get("extra") or {}).get("editions")))
    except (yaml.YAMLError, EditionError, AttributeError):
        return tuple(e["lang"] for e in DEFAULT)


def select(editions: tuple[Edition, ...], language: str) -> Edition:
    """The edition whose language is ``language`` (theme.language), else the main one."""
    return next((e for e in editions if e.lang == language), editions[0])


def main_root(page_url: str, current: Edition) -> str:
    """The relative link from the page at ``page_url`` up to the main edition's root ("" when it is there)."""
    return "../" * (page_url.count("/") + (current.root.count("/") + 1 if current.root else 0))


def twin_url(page_url: str, current: Edition, target: Edition) -> str:
    """The relative link from the page at ``page_url`` (its URL within ``current``) to the same page in ``target``.

    ``page_url`` is MkDocs' ``page.url``: "" or "index.html" for the home page,
    "stories/one/alpha/" with directory URLs, "stories/one/alpha.html" without.
    """
    down = f"{target.root}/" if target.root else ""
    link = main_root(page_url, current) + down + page_url
    return link or "./"


def edition_site_url(site_url: str, edition: Edition) -> str:
    """The address of ``edition``'s root, from mkdocs.yml's ``site_url`` (the main edition's root), which
    mkdocs-zh.yml inherits: "https://x.org/" gives "https://x.org/zh/" for the edition at zh/. A
    ``site_url`` that already ends in the edition's folder is kept; "" (unpublished) stays ""."""
    if not site_url or not edition.root:
        return site_url
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base if base.endswith(f"/{edition.root}/") else f"{base}{edition.root}/"


def main_site_url(site_url: str, edition: Edition) -> str:
    """The main edition's root address, from the ``site_url`` of ``edition`` (edition_site_url's inverse)."""
    if not site_url or not edition.root:
        return site_url
    base = site_url if site_url.endswith("/") else site_url + "/"
    return base.removesuffix(f"{edition.root}/")


def alternates(page_url: str, current: Edition, editions: tuple[Edition, ...], site_url: str = "") -> list[dict]:
    """Every edition's version of this page: what the switcher (``url``, relative) and the hreflang links
    (``address``: absolute under the main edition's ``site_url`` when it is given, else relative) show."""
    links = []
    for e in editions:
        url = twin_url(page_url, current, e)
        address = f"{site_url}{e.root + '/' if e.root else ''}{page_url}" if site_url else url
        links.append({"name": e.name, "lang": e.lang, "hreflang": e.hreflang, "current": e == current,
                      "url": url, "address": address})
    return links
