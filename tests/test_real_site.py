"""This repository's archive builds with --strict, and the built site has what readers need."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("real") / "site"
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=REPO, capture_output=True, text=True, timeout=600, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return site


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


LINKINATOR = REPO / "node_modules" / ".bin" / "linkinator"


@pytest.mark.skipif(not LINKINATOR.is_file(), reason="needs npm linkinator (make test installs it)")
def test_real_site_has_no_broken_internal_link(real_site):
    import json

    # linkinator serves the folder on localhost; links off the site are not followed (no network).
    proc = subprocess.run([str(LINKINATOR), str(real_site), "--recurse", "--format", "json",
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
