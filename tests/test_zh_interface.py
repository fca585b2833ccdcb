"""The Chinese edition's interface is Chinese: the engine's own words on every /zh/ page kind.

Three checks, from the source to the browser:
- every English message the engine can put on a page (templates, Python, the browser scripts,
  the data package's descriptions, the browse facets, the colour toggles) has its Chinese in
  messages.py;
- the built Chinese pages of the fixture (both editions, as ``make site`` builds them) show none of
  the catalogue's English, and no other run of English words but names and content the archive
  has no Chinese for (tests/latin_words.py says what is set aside);
- in Chromium, what the scripts write (browse's count of shown stories, the photo viewer's
  labels) is Chinese on /zh/ and English on the English pages.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jinja2
import pytest
import yaml
from latin_words import english_runs, page_kind, record_names, visible_text
from support import REPO, Server

from docarchive import browse, datapackage, messages
from docarchive.model import load_archive

ENGINE = REPO / "hooks" / "docarchive"
THEME = ENGINE / "theme"
SCRIPTS = THEME / "assets" / "javascripts"
# _() in the archive's page templates; t() and da_text() in the theme's templates over Material's.
GETTEXT = ("_", "gettext", "ngettext", "t", "da_text")


# ---------------------------------------------------------------- the catalogue covers every message

def template_messages() -> dict[str, set[str]]:
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    found: dict[str, set[str]] = {}
    for path in sorted(THEME.rglob("*.html")):
        for _, _, message in env.extract_translations(path.read_text(encoding="utf-8"), gettext_functions=GETTEXT):
            for m in [message] if isinstance(message, str) else [m for m in message or () if m]:
                found.setdefault(m, set()).add(path.relative_to(THEME).as_posix())
    return found


def python_messages() -> dict[str, set[str]]:
    """Constant messages of the engine's Python: ``_("...")`` (pages.py) and ``loc.gettext("...")``."""
    found: dict[str, set[str]] = {}
    for path in sorted(ENGINE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
            if (name == "_" or (name == "gettext" and owner != "messages")) and isinstance(node.args[0].value, str):
                found.setdefault(node.args[0].value, set()).add(path.name)
    return found


def computed_messages() -> set[str]:
    """Messages the templates look up from data: the data package's tables, the facets, the palette."""
    out = {t for table in datapackage.TABLES for t in (table.title, table.description)}
    out |= {x for table in datapackage.TABLES for f in table.fields for x in (f.description, f.type)}
    out |= {facet.label for facet in browse.facets(load_archive(REPO))}
    out |= set(messages.SCRIPT_WORDS) | {"Jump back to footnote %d in the text"}
    config = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8"))
    out |= {scheme["toggle"]["name"] for scheme in config["theme"]["palette"]}
    return out


def test_the_extraction_finds_the_messages_of_every_kind_of_template():
    found = template_messages()
    assert {"archive/browse.html", "archive/data.html", "archive/macros.html", "404.html",
            "partials/copyright.html"} <= set().union(*found.values())
    assert "Showing {shown} of {total} stories." in found and "Page not found" in found
    assert {"Browse", "Data"} <= python_messages().keys()


def test_every_message_that_reaches_a_page_has_its_chinese():
    wanted = {m: sorted(where) for m, where in {**python_messages(), **template_messages()}.items()}
    wanted.update({m: ["computed"] for m in computed_messages() if m not in wanted})
    missing = {m: where for m, where in wanted.items() if m not in messages.ZH}
    assert missing == {}


def test_the_chinese_keeps_every_placeholder_of_the_english():
    def holes(text: str) -> list[str]:
        return sorted(re.findall(r"%\(\w+\)s|%d|\{\w+\}", text))
    assert [m for m, zh in messages.ZH.items() if holes(m) != holes(zh)] == []


def test_the_scripts_write_no_english_of_their_own():
    """browse.js and archive.js take the words they write from the page (data- attributes, #da-words)."""
    archive_js = (SCRIPTS / "archive.js").read_text(encoding="utf-8")
    assert set(re.findall(r'\bword\("([^"]+)"\)', archive_js)) == set(messages.SCRIPT_WORDS)
    for name in ("archive.js", "browse.js"):
        code = (SCRIPTS / name).read_text(encoding="utf-8")
        written = re.findall(r'(?:textContent\s*=|setAttribute\("aria-label",)\s*"([^"]*[A-Za-z][^"]*)"', code)
        assert written == [], name


# ---------------------------------------------------------------- the built Chinese pages

# English the data page shows on purpose: the values a column holds (true, more-than...) and tools' names.
DATA_VALUES = {"true", "exact", "more-than", "nearly", "about", "up-to", "Frictionless", "pandas"}


def fragments(message: str) -> list[str]:
    """The parts of a message a page shows as they are: three words or more between its placeholders
    (shorter ones, such as "more than", also occur in the English a Chinese text quotes)."""
    parts = re.split(r"%\(\w+\)s|%d|\{\w+\}", message)
    return [p.strip(" ,.:;()") for p in parts if len(p.split()) >= 3]


# Labels: "Cite this", "Browse", "Download:" (lower-case ones such as "plan" are also tags of stories).
SHORT = sorted(m for m in messages.ZH if re.match(r"\s*[A-Z][a-z]", m) and not re.search(r"%|\{", m)
               and len(m.split()) <= 2)


def catalogue_english(html: str) -> list[str]:
    """The catalogue's English on a page: a long message's words anywhere, a label as a whole text, unless
    the page marks that English as English somewhere (a page not translated yet, in its table of contents)."""
    marked: list[str] = []
    pieces = visible_text(html, marked)
    text = " ".join(" ".join(pieces).split())
    whole = {p.strip() for p in pieces}
    on_purpose = " ".join(marked)
    return [f for f in LONG if f in text] + [m for m in SHORT if m.strip() in whole and m.strip() not in on_purpose]


LONG = sorted({f for m in messages.ZH for f in fragments(m)}, key=len, reverse=True)


def chinese_pages(editions) -> list[tuple[str, Path]]:
    pages = []
    for edition in (editions.site, editions.offline):
        pages += [(edition.name, p) for p in sorted((edition / "zh").rglob("*.html"))]
    return pages


def test_no_english_of_the_catalogue_is_left_on_a_chinese_page(editions):
    left = {}
    for edition, page in chinese_pages(editions):
        found = catalogue_english(page.read_text(encoding="utf-8"))
        if found:
            left[f"{edition}: {page.relative_to(page.parents[0])}"] = found
    assert len(chinese_pages(editions)) > 40
    assert left == {}


def test_each_kind_of_chinese_page_shows_only_names_and_untranslatable_content_in_english(editions):
    model = load_archive(editions.root)
    names = record_names(editions.root)
    tags = {t for s in model.stories for t in s.tags}  # the layout gives tags no Chinese
    site = editions.site / "zh"
    kinds = {}
    for page in sorted(site.rglob("*.html")):
        kind = page_kind(page.relative_to(site).as_posix())
        runs = set(english_runs(page.read_text(encoding="utf-8"), names)) - tags
        runs -= DATA_VALUES if kind == "data" else set()
        kinds.setdefault(kind, set()).update(runs)
    generated = {"home", "404", "browse", "data", "stories", "stages", "timeline", "figures", "photos", "people",
                 "places", "organizations", "sources"}
    assert generated <= kinds.keys()
    assert {kind: sorted(runs) for kind, runs in kinds.items() if runs} == {}


# A half-width mark the engine put after Chinese (a Chinese sentence ends in 。, a label in ：), or Chinese in
# half-width parentheses.
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff\u3002\uff09\u201d][.,:;](\s|$)| \([^)]*[\u4e00-\u9fff][^)]*\)")


def test_the_engines_punctuation_is_full_width_on_chinese_pages(editions):
    """Citations keep GB/T 7714's half-width marks (the cite block, the sources' citations, the print line)."""
    from docarchive.localize import Localizer

    model = load_archive(editions.root)
    citations = [Localizer("zh", model).citation(source) for source in model.sources]
    found = {}
    for page in sorted((editions.site / "zh").rglob("*.html")):
        html = re.sub(r'<(p|span) class="(da-cite__text|da-citation|da-print-only da-print-cite)".*?</\1>', "",
                      page.read_text(encoding="utf-8"), flags=re.S)
        for piece in visible_text(html):
            for citation in citations:
                piece = piece.replace(citation, "")
            if HALF_WIDTH.search(piece):
                found.setdefault(page.relative_to(editions.site).as_posix(), []).append(piece.strip())
    assert found == {}


def test_the_chinese_data_page_describes_every_table_and_column_in_chinese(editions):
    html = (editions.site / "zh" / "data" / "index.html").read_text(encoding="utf-8")
    for table in datapackage.TABLES:
        assert f"<h2>{messages.ZH[table.title]}</h2>" in html
        for f in table.fields:
            assert messages.ZH[f.description] in html.replace("&#39;", "'"), f.description
    english = (editions.site / "data" / "index.html").read_text(encoding="utf-8")
    assert "<th scope=\"col\">Meaning</th>" in english and "<th scope=\"col\">含义</th>" in html


def test_the_chinese_cite_this_block_cites_the_chinese_title_in_chinese_order(editions):
    model = load_archive(editions.root)
    story = next(s for s in model.stories if s.slug == "alpha")
    zh_title = model.translations.text("story", "alpha", "title")
    html = (editions.site / "zh" / "stories" / "one" / "alpha" / "index.html").read_text(encoding="utf-8")
    cite = re.search(r'<details class="da-cite".*?</details>', html, re.S).group()
    assert "<summary>引用本页</summary>" in cite and "下载：" in cite
    assert f"{zh_title}[EB/OL]" in cite and story.title not in cite
    english = (editions.site / "stories" / "one" / "alpha" / "index.html").read_text(encoding="utf-8")
    assert "<summary>Cite this</summary>" in english and story.title in english


def docs_titles(root: Path) -> set[str]:
    """The English titles of the hand-written pages: the nav shows them until their Chinese is written."""
    titles = set()
    for page in (root / "docs").glob("*.md"):
        if not page.name.endswith(".zh.md"):
            text = re.sub(r"\A---\n.*?\n---\n", "", page.read_text(encoding="utf-8"), flags=re.S)
            heading = re.search(r"^# (.+)$", text, re.M)
            titles |= {part.strip() for part in re.split(r"[,:]", heading.group(1))} if heading else set()
    return titles


def test_the_real_archives_chinese_pages_show_no_english_of_the_catalogue(real_editions):
    site = real_editions.site / "zh"
    left = {}
    for page in sorted(site.rglob("*.html")):
        found = catalogue_english(page.read_text(encoding="utf-8"))
        if found:
            left[page.relative_to(site).as_posix()] = found
    assert left == {}


@pytest.mark.parametrize("kind", ["404", "home", "browse", "stages", "timeline", "places"])
def test_the_real_archives_chinese_page_kinds_made_of_translated_records_show_no_english(real_editions, kind):
    """Pages whose every record has its Chinese: the English left would be the engine's. Names stay; tags
    have no Chinese in the content layout; the hand-written pages' titles are theirs to translate."""
    site = real_editions.site / "zh"
    names = record_names(REPO)
    allowed = {t for s in load_archive(REPO).stories for t in s.tags} | docs_titles(REPO)
    runs, twins = set(), set()
    for page in sorted(site.rglob("*.html")):
        if page_kind(page.relative_to(site).as_posix()) == kind:
            runs |= set(english_runs(page.read_text(encoding="utf-8"), names))
            twin = real_editions.site / page.relative_to(site)
            twins |= set(english_runs(twin.read_text(encoding="utf-8"), names))
    assert twins, f"no {kind} page, or the measure sees nothing"  # it sees the English twin's words
    runs = {r.replace("\u2019", "'") for r in runs}  # the nav's typographic apostrophes
    assert sorted(r for r in runs - allowed if not any(r in a for a in allowed)) == []


def test_the_chinese_feed_is_in_chinese(editions):
    import xml.etree.ElementTree as ET

    atom = "{http://www.w3.org/2005/Atom}"
    model = load_archive(editions.root)
    tree = ET.parse(editions.site / "zh" / "feed.xml").getroot()
    assert tree.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh"
    titles = {e.findtext(f"{atom}title") for e in tree.iter(f"{atom}entry")}
    assert model.translations.text("story", "alpha", "title") in titles
    english = ET.parse(editions.site / "feed.xml").getroot()
    assert next(s.title for s in model.stories if s.slug == "alpha") in {
        e.findtext(f"{atom}title") for e in english.iter(f"{atom}entry")}
    head = (editions.site / "zh" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<link rel="alternate feed" type="application/atom\+xml" title="[^"]*：故事"', head)


# ---------------------------------------------------------------- what the scripts write, in Chromium

@pytest.fixture(scope="module")
def server(editions):
    served = Server(editions.site)
    yield served.url
    served.close()


@pytest.mark.browser
@pytest.mark.parametrize("root, all_shown, some_shown", [
    ("", "Showing all {total} stories.", "Showing {shown} of {total} stories."),
    ("zh/", "显示全部 {total} 个故事。", "显示 {total} 个故事中的 {shown} 个。"),
])
def test_browse_says_how_many_stories_it_shows_in_the_editions_words(page, server, editions, root,
                                                                      all_shown, some_shown):
    total = len(load_archive(editions.root).stories)
    page.goto(server + root + "browse/")
    status = page.locator("[data-da-status]")
    page.wait_for_function("document.querySelector('[data-da-status]').textContent")
    assert status.text_content() == all_shown.format(total=total)
    page.locator("#da-browse-filters input[name=stage]").first.check()
    shown = page.locator("[data-da-card]:not([hidden])").count()
    assert 0 < shown < total
    assert status.text_content() == some_shown.format(shown=shown, total=total)
    if root:
        assert page.locator("label[for=da-browse-q]").text_content() == "标题或摘要中的词语"
        assert page.locator("#da-browse-filters").get_attribute("aria-label") == "筛选故事"


@pytest.mark.browser
@pytest.mark.parametrize("root, label, count, close", [
    ("", "Photo viewer", "Photo 1 of", "Close photo viewer (Esc)"),
    ("zh/", "图片查看器", "第 1 张，共", "关闭图片查看器（Esc）"),
])
def test_the_photo_viewer_speaks_the_editions_language(page, server, root, label, count, close):
    page.goto(server + root + "photos/")
    page.locator("a.da-zoom").first.click()
    page.wait_for_function("document.querySelector('dialog.da-lightbox')?.open")
    dialog = page.locator("dialog.da-lightbox")
    assert dialog.get_attribute("aria-label") == label
    assert dialog.locator(".da-lightbox__close").get_attribute("aria-label") == close
    if page.locator("a.da-zoom").count() > 1:
        assert count in dialog.locator(".da-lightbox__count").text_content()
    search = page.locator('.md-search[role="dialog"]')
    assert search.get_attribute("aria-label") == ("搜索" if root else "Search")
