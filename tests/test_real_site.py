"""This repository's archive builds with --strict, and the built site has what readers need."""

from __future__ import annotations

import subprocess
from pathlib import Path

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
