"""The Chinese edition: same pages as the English at zh/, linked both ways, in Chinese, marked where not.

The mini fixture archive is built as ``make site`` and ``make offline`` build it
(tests/support.py): English at the root, Chinese in zh/, online and offline.
"""

from __future__ import annotations

import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from support import REPO, build_editions

from docarchive import editions as E
from docarchive import messages

EN = E.Edition("en", "English", "en")
ZH = E.Edition("zh", "中文", "zh-Hans", "zh")


# ---------------------------------------------------------------- links between editions (pure)

@pytest.mark.parametrize("page_url, current, target, expected", [
    ("", EN, ZH, "zh/"),
    ("", ZH, EN, "../"),
    ("index.html", EN, ZH, "zh/index.html"),
    ("index.html", ZH, EN, "../index.html"),
    ("stories/one/alpha/", EN, ZH, "../../../zh/stories/one/alpha/"),
    ("stories/one/alpha/", ZH, EN, "../../../../stories/one/alpha/"),
    ("stories/one/alpha.html", ZH, EN, "../../../stories/one/alpha.html"),
    ("stories/one/alpha.html", ZH, ZH, "../../../zh/stories/one/alpha.html"),
])
def test_twin_url_is_relative_and_lands_on_the_same_page(page_url, current, target, expected):
    assert E.twin_url(page_url, current, target) == expected
    here = posixpath.join(current.root, page_url)
    landed = posixpath.normpath(posixpath.join(posixpath.dirname(here) or ".", expected))
    assert landed == posixpath.normpath(posixpath.join(target.root, page_url) or ".")


@pytest.mark.parametrize("setting, message", [
    ([{"lang": "zh", "name": "中文", "root": "zh"}], "the first edition has root ''"),
    ([{"lang": "en", "name": "English"}, {"lang": "zh", "name": "中文"}], "every other a folder"),
    ([{"lang": "en", "name": "English"}, {"lang": "zh", "name": "中文", "root": "../zh"}], "inside the site"),
    ([{"lang": "en"}], "needs lang and name"),
])
def test_bad_editions_setting_is_refused_with_a_fix(setting, message):
    with pytest.raises(E.EditionError, match=re.escape(message)):
        E.parse_editions(setting)


# ---------------------------------------------------------------- the message catalogue

def template_messages() -> set[str]:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    found = set()
    for path in (REPO / "hooks" / "docarchive" / "theme" / "archive").glob("*.html"):
        for _, _, message in env.extract_translations(path.read_text(encoding="utf-8")):
            if message is not None:  # None: a computed message, such as _(item.kind); see below
                found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def test_every_message_of_the_templates_is_in_the_chinese_catalogue():
    found = template_messages()
    assert len(found) > 60  # the extraction itself works
    missing = sorted(found - messages.ZH.keys())
    assert missing == []


def test_computed_messages_are_in_the_chinese_catalogue_too():
    from docarchive import render
    from docarchive.schema import SCHEMAS

    computed = {c for kind in ("place", "organization") for c in SCHEMAS[kind].field("kind").choices}
    computed |= set(SCHEMAS["photo"].field("consent").choices) - {"unknown"} | {"unknown-consent"}
    computed |= {label for labels in render.KIND_LABELS.values() for label in labels} | set(render.KIND_LABELS)
    computed |= {"more than", "nearly", "about", "up to", "(English)", "Stage %(n)s"}
    assert sorted(computed - messages.ZH.keys()) == []


def test_chinese_dates_keep_their_precision():
    from docarchive.dates import parse_date
    assert [messages.date_label(parse_date(v), "zh") for v in ("2017", "2017-12", "2017-12-03")] == [
        "2017年", "2017年12月", "2017年12月3日"]


# ---------------------------------------------------------------- the built editions

@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_editions(tmp_path_factory.mktemp("editions") / "archive")


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.switcher, self.hreflang, self.html_lang = {}, {}, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        elif tag == "a" and "md-select__link" in (a.get("class") or ""):
            self.switcher[a["hreflang"]] = a["href"]
        elif tag == "link" and a.get("rel") == "alternate" and a.get("hreflang"):
            self.hreflang[a["hreflang"]] = a["href"]


def links_of(path: Path) -> Links:
    parser = Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def resolve(page: Path, href: str) -> Path:
    target = (page.parent / href).resolve()
    return target / "index.html" if href.endswith("/") else target


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "zh" not in p.relative_to(site).parts[:1]
                  and p.name != "404.html")


@pytest.mark.parametrize("edition", ["site", "offline"])
def test_every_english_page_has_its_chinese_twin_and_the_switcher_links_both_ways(built, edition):
    site = getattr(built, edition)
    english = pages(site)
    chinese = sorted(p for p in (site / "zh").rglob("*.html") if p.name != "404.html")
    assert len(english) > 20 and len(chinese) == len(english)
    for page in english:
        twin = site / "zh" / page.relative_to(site)
        assert twin.is_file(), twin
        en, zh = links_of(page), links_of(twin)
        assert en.html_lang == "en" and zh.html_lang in ("zh", "zh-Hans"), page
        for links, here in ((en, page), (zh, twin)):
            for kind in ("switcher", "hreflang"):
                found = getattr(links, kind)
                if kind == "hreflang" and edition == "site":  # the fixture has a site_url: absolute
                    found = {lang: local(site, href) for lang, href in found.items()}
                assert resolve(here, found["zh-Hans"]) == twin.resolve(), (kind, here, found)
                assert resolve(here, found["en"]) == page.resolve(), (kind, here, found)


SITE_URL = "http://127.0.0.1:8000/"  # tests/fixtures/mini/mkdocs.yml


def local(site: Path, href: str) -> str:
    """An absolute link under the fixture's site_url, as a path from anywhere (for resolve())."""
    assert href.startswith(SITE_URL), href  # search engines ignore relative hreflang links
    return str(site / href.removeprefix(SITE_URL)) + ("/" if href.endswith("/") else "")


def test_the_chinese_edition_has_its_own_address_under_site_url(built):
    """mkdocs-zh.yml inherits the English site_url: its canonical links and sitemap get the zh/ folder."""
    zh = (built.site / "zh" / "stories" / "one" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SITE_URL}zh/stories/one/alpha/">' in zh
    assert f'hreflang="en" href="{SITE_URL}stories/one/alpha/"' in zh
    en = (built.site / "stories" / "one" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{SITE_URL}stories/one/alpha/">' in en
    assert f'hreflang="zh-Hans" href="{SITE_URL}zh/stories/one/alpha/"' in en
    sitemap = (built.site / "zh" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{SITE_URL}zh/stories/one/alpha/</loc>" in sitemap
    offline = (built.offline / "zh" / "stories" / "one" / "alpha.html").read_text(encoding="utf-8")
    assert 'hreflang="en" href="../../../stories/one/alpha.html"' in offline  # file:// needs relative links


@pytest.mark.parametrize("site_url, main, zh", [
    ("", "", ""),
    ("https://x.org/", "https://x.org/", "https://x.org/zh/"),
    ("https://x.org/archive", "https://x.org/archive/", "https://x.org/archive/zh/"),
])
def test_site_url_of_each_edition(site_url, main, zh):
    assert E.edition_site_url(site_url, EN) == site_url
    assert E.edition_site_url(site_url, ZH) == zh
    assert E.edition_site_url(zh, ZH) == zh  # a mkdocs-zh.yml that gives its own site_url keeps it
    assert E.main_site_url(zh, ZH) == main and E.main_site_url(main, EN) == main


def test_chinese_pages_are_in_chinese_with_the_interface_and_typography(built):
    html = (built.site / "zh" / "stories" / "one" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert "<h1>甲的故事</h1>" in html and "甲的故事的摘要。" in html
    assert "<dt>地点</dt>" in html and "2010年6月" in html and "和政县" in html
    assert 'placeholder="搜索"' in html  # Material's Chinese interface
    assert "<title>甲的故事 - 测试档案</title>" in html
    css = (REPO / "hooks" / "docarchive" / "theme" / "assets" / "stylesheets" / "archive.css").read_text(encoding="utf-8")
    assert re.search(r":lang\(zh\) em[^{]*\{[^}]*font-style: normal", css)
    assert re.search(r"html:lang\(zh\) \.md-typeset \{[^}]*line-height: 1\.8", css)


def test_a_missing_translation_shows_the_english_marked_and_in_english(built):
    html = (built.site / "zh" / "stories" / "two" / "delta" / "index.html").read_text(encoding="utf-8")
    block = re.search(r'<div class="da-untranslated-block" lang="en"><p class="da-untranslated__note" '
                      r'lang="zh-Hans">尚无中文译文，以下为英文原文。</p>(.*?)</div>', html, re.S)
    assert block and "The body of Delta story" in block.group(1)
    assert re.search(r'<h1><span class="da-untranslated" lang="en">Delta story</span>'
                     r'<span class="da-untranslated__mark">（英文）</span></h1>', html)
    # The English edition never shows Chinese text of its own pages, nor a .zh page.
    assert not (built.site / "about.zh").exists() and not (built.site / "zh" / "about.zh").exists()
    english = (built.site / "about" / "index.html").read_text(encoding="utf-8")
    assert "About the fixture" in english and "关于测试档案" not in english
    assert "关于测试档案" in (built.site / "zh" / "about" / "index.html").read_text(encoding="utf-8")


def test_each_home_page_says_the_other_edition_exists(built):
    en = (built.site / "index.html").read_text(encoding="utf-8")
    zh = (built.site / "zh" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="da-editions" lang="zh-Hans">本档案另有中文版，页面一一对应： '
                     r'<a href="zh/" hreflang="zh-Hans" lang="zh-Hans">中文</a></p>', en)
    assert re.search(r'<p class="da-editions" lang="en">This archive is also in English, page for page: '
                     r'<a href="../" hreflang="en" lang="en">English</a></p>', zh)


def test_each_edition_has_its_own_search_index(built):
    import json

    for site in (built.site, built.offline):
        en = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
        zh = json.loads((site / "zh" / "search" / "search_index.json").read_text(encoding="utf-8"))
        en_titles = {d["title"] for d in en["docs"]}
        zh_titles = {d["title"].replace("\u200b", "") for d in zh["docs"]}  # jieba separates words
        assert "Alpha story" in en_titles and "甲的故事" not in en_titles
        assert "甲的故事" in zh_titles and "Alpha story" not in zh_titles


def test_the_zip_holds_both_editions(built):
    import zipfile

    with zipfile.ZipFile(built.zip) as zf:
        names = zf.namelist()
    assert any(n.endswith("/index.html") and "/zh/" not in n for n in names)
    assert any(n.endswith("/zh/index.html") for n in names)
    assert any(n.endswith("/zh/search/search_index.js") for n in names)
    assert not any(n.endswith(".zip") for n in names)


# ---------------------------------------------------------------- check

def test_check_warns_about_each_english_story_without_chinese_and_strict_fails(archive):
    import subprocess
    import sys

    (archive / "stories" / "one" / "alpha.zh.md").unlink()
    run = [sys.executable, "-m", "docarchive", "check", str(archive)]
    proc = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert ("WARNING stories/one/alpha.md: file: story 'alpha' has no Chinese - add stories/one/alpha.zh.md "
            "with title, summary and the Chinese text (see 'Chinese' in docs/editing.md)") in proc.stderr.splitlines()
    assert "1 record(s), story(ies) or page(s) have no Chinese yet" in proc.stdout
    assert subprocess.run([*run, "--strict"], capture_output=True, text=True, timeout=120).returncode == 1
