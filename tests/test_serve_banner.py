"""Live preview (`mkdocs serve`) in a real browser: a broken file puts a banner on the page being read;
the page stays; the fix takes the banner away; the terminal lists the same problems; the server keeps running."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from support import make_archive
from test_serve import free_port, wait_for

pytestmark = pytest.mark.browser


def test_a_broken_story_shows_a_banner_on_its_page_until_it_is_fixed(tmp_path, browser):
    # The session's Chromium (conftest.py): a second sync_playwright() in the same run fails
    # ("Sync API inside the asyncio loop") once another browser test has started the first.
    from playwright.sync_api import expect

    root = make_archive(tmp_path / "archive")
    story = root / "stories" / "one" / "beta.md"
    good = story.read_text(encoding="utf-8")
    port = free_port()
    url = f"http://127.0.0.1:{port}/stories/one/beta/"
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
                            cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    try:
        wait_for(url, lambda body: "Beta story" in body)
        context = browser.new_context()
        try:
            page = context.new_page()
            page.goto(url)
            banner = page.locator("#da-problems")
            assert banner.count() == 0
            story.write_text(good.replace('title: "Beta story"', "title: [Beta story"), encoding="utf-8")
            # livereload reloads the page by itself: the same page, now with the banner at its top
            expect(banner).to_be_visible(timeout=90_000)
            listed = banner.locator("li").all_inner_texts()
            assert listed and all(item.startswith("stories/one/beta.md:") for item in listed), listed
            assert "malformed YAML" in listed[0]
            assert page.url == url
            assert page.locator("h1", has_text="Beta story").count() == 1  # the last good page stays
            first = page.locator("article.md-content__inner > *").first
            assert first.get_attribute("id") == "da-problems"  # at the top of the page
            story.write_text(good.replace("More text about beta.", "Text about beta, fixed."), encoding="utf-8")
            expect(banner).to_have_count(0, timeout=90_000)
            expect(page.get_by_text("Text about beta, fixed.")).to_be_visible()
        finally:
            context.close()
        assert proc.poll() is None, "the server stopped"
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0]
    for item in listed:  # the terminal shows the same list
        assert item in output, item
