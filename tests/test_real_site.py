"""This repository's archive builds with --strict, and the built site has what readers need."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest


@pytest.fixture(scope="session")
def real_site(real_editions) -> Path:
    return real_editions.site


def test_real_archive_has_a_chinese_twin_of_every_page(real_site):
    english = {p.relative_to(real_site) for p in real_site.rglob("*.html") if p.parts[len(real_site.parts)] != "zh"}
    chinese = {p.relative_to(real_site / "zh") for p in (real_site / "zh").rglob("*.html")}
    assert len(english) > 100 and chinese == english
    html = (real_site / "zh" / "stories" / "root" / "xialin-shoes-mixed-ownership" / "index.html").read_text(
        encoding="utf-8")
    assert '<html lang="zh"' in html and 'hreflang="en" href="../../../../stories/root/xialin-shoes-mixed-ownership/"' in html


def test_real_archive_builds_strict_with_every_page(real_site):
    for rel in ("index.html", "timeline/index.html", "figures/index.html", "photos/index.html",
                "sources/index.html", "about/index.html", "editing/index.html",
                "stories/root/xialin-shoes-mixed-ownership/index.html", "places/jishishan/index.html"):
        assert (real_site / rel).is_file(), rel
    for stage in ("butterfly", "ice-break", "root", "growth", "bloom"):
        assert (real_site / "stages" / stage / "index.html").is_file()


def test_home_shows_the_five_stages_in_order(real_site):
    html = (real_site / "index.html").read_text(encoding="utf-8")
    positions = [html.index(f'class="da-stage-tile" data-stage="{s}"') for s in
                 ("butterfly", "ice-break", "root", "growth", "bloom")]
    assert positions == sorted(positions)


def test_figures_page_cites_the_source_section_for_every_figure(real_site):
    html = (real_site / "figures" / "index.html").read_text(encoding="utf-8")
    rows = html.count('<tr id="figure-')
    assert rows >= 15
    assert html.count("Xinhua Daily Telegraph, September 2020</a>, section") >= rows


def test_real_site_has_no_broken_internal_link(linkinator, real_site):
    import json

    # linkinator serves the folder on localhost; links off the site are not followed (no network).
    proc = subprocess.run([str(linkinator), str(real_site), "--recurse", "--format", "json",
                           "--skip", "^(?!http://localhost)"], capture_output=True, text=True, timeout=300)
    report = json.loads(proc.stdout)
    broken = [(link["url"], link.get("parent")) for link in report["links"] if link["state"] == "BROKEN"]
    assert broken == []
    assert len({link["url"] for link in report["links"]}) > 150  # it crawled the whole archive
    assert "127.0.0.1" not in (real_site / "index.html").read_text(encoding="utf-8")


def test_about_page_links_the_build_record_and_the_preservation_page(real_site):
    html = (real_site / "about" / "index.html").read_text(encoding="utf-8")
    assert 'href="../data/build.json"' in html and 'href="../preservation/"' in html
    assert (real_site / "data" / "build.json").is_file()


def translated_pages() -> list[str]:
    """The hand-written pages that have their Chinese (docs/<name>.zh.md), as page folders."""
    docs = Path(__file__).resolve().parents[1] / "docs"
    return sorted(p.name[: -len(".zh.md")] for p in docs.glob("*.zh.md"))


@pytest.mark.parametrize("name", translated_pages())
def test_a_hand_written_page_with_its_chinese_is_chinese_in_the_chinese_edition(real_site, name):
    """Its /zh/ page is the .zh.md, in lang zh, not the English marked untranslated, and its language
    switcher and hreflang alternates lead to the English twin (and back)."""
    zh_page = real_site / "zh" / name / "index.html"
    html = zh_page.read_text(encoding="utf-8")
    assert '<html lang="zh"' in html
    assert 'class="da-untranslated' not in html and 'lang="en"><p class="da-untranslated__note"' not in html
    assert re.search(r'<article class="md-content__inner[^"]*"[^>]*>', html)  # the page body, in Chinese below
    body = html.split('<article class="md-content__inner', 1)[1]
    assert not re.search(r'<div[^>]* lang="en"', body)  # no English block standing in for the text
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert re.search(r"[\u3400-\u9fff]", heading), heading
    for pattern in (r'<a href="([^"]+)" hreflang="en" lang="en" class="md-select__link"',
                    r'<link rel="alternate" hreflang="en" href="([^"]+)"'):
        link = re.search(pattern, html)
        assert link and (zh_page.parent / link.group(1)).resolve() == (real_site / name).resolve(), pattern
    english = (real_site / name / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in english and heading not in english
    back = re.search(r'<a href="([^"]+)" hreflang="zh-Hans" lang="zh-Hans" class="md-select__link"', english)
    assert back and (real_site / name / back.group(1)).resolve() == (real_site / "zh" / name).resolve()


def test_the_chinese_hand_written_pages_pass_the_nu_validator(vnu, real_site):
    from test_checkers import MATERIAL_FRAME_ERRORS

    # Also Material's frame: its nav-item.html writes tabindex="" on the label of a nav section
    # (navigation.sections: "For contributors", which the fixture archive does not have).
    frame_errors = (*MATERIAL_FRAME_ERRORS, "Bad value “” for attribute “tabindex” on element “label”")
    pages = [(real_site / "zh" / name / "index.html").resolve() for name in translated_pages()]
    proc = subprocess.run(["java", "-jar", str(vnu), "--errors-only", "--format", "json", *map(str, pages)],
                          capture_output=True, text=True, timeout=300)
    messages = json.loads(proc.stderr)["messages"]
    # Material's frame errors are on every page: each page was validated.
    assert {Path(unquote(urlsplit(m["url"]).path)) for m in messages if "url" in m} == set(pages)
    errors = [f"{m['url']}:{m.get('lastLine')}: {m['message']}" for m in messages
              if not m["message"].startswith(frame_errors)]
    assert errors == []


@pytest.mark.browser
def test_the_chinese_hand_written_pages_pass_axe(axe, browser, real_site):
    from support import Server

    server = Server(real_site)
    page = browser.new_page()
    serious = {}
    try:
        for name in translated_pages():
            page.goto(f"{server.url}zh/{name}/")
            assert page.evaluate("document.documentElement.lang") == "zh"
            page.add_script_tag(path=str(axe))
            found = page.evaluate(
                "async () => (await axe.run(document, {resultTypes: ['violations']})).violations.filter("
                "v => ['serious', 'critical'].includes(v.impact)).map(v => v.id + ': ' + "
                "v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))")
            if found:
                serious[name] = found
    finally:
        page.close()
        server.close()
    assert serious == {}
