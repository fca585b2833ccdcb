"""Readers pay for the search index only when they search (hooks/docarchive/lazysearch.py).

The rewrite of Material's index loader is checked on the installed bundle; then
both editions of the mini archive (with search.highlight on, as in this repo's
mkdocs.yml) are driven in headless Chromium: over http the server counts what it
is asked for, from file:// the browser reports what it reads.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import http.server
import shutil
import threading
from pathlib import Path

import pytest
import yaml
from support import REPO, make_archive, run_mkdocs

from docarchive import lazysearch

CHROMIUM = "/usr/bin/chromium"
PAGE_BUDGET = 150_000  # bytes, gzipped: everything a story page loads (issue 9)


# ---------------------------------------------------------------- the rewrite, without a browser


def installed_bundle() -> str:
    import material

    bundles = sorted((Path(material.__file__).parent / "templates/assets/javascripts").glob("bundle.*.min.js"))
    assert len(bundles) == 1, bundles
    return bundles[0].read_text(encoding="utf-8")


def test_the_installed_bundle_has_one_index_loader_and_it_is_handed_over():
    bundle = installed_bundle()
    new, found = lazysearch.lazy_loader(bundle)
    assert found == 1
    assert new.count(lazysearch.LOADER) == 2  # the check that it exists, and the call
    # Material's own loader is kept as the fallback, whole.
    assert new.count('"search/search_index.json"') == bundle.count('"search/search_index.json"') == 1
    assert len(new) - len(bundle) < 100


def test_a_bundle_without_the_loader_is_left_alone_and_reported(tmp_path):
    script = tmp_path / "assets/javascripts/bundle.0000.min.js"
    script.parent.mkdir(parents=True)
    script.write_text("function ks(){return fetch('index.json')}", encoding="utf-8")
    assert lazysearch.lazy_loader(script.read_text(encoding="utf-8"))[1] == 0
    assert lazysearch.defer_index(tmp_path) == ["bundle.0000.min.js: found 0 search-index loaders, expected 1"]
    assert script.read_text(encoding="utf-8") == "function ks(){return fetch('index.json')}"
    assert lazysearch.defer_index(tmp_path / "nothing") == [
        "no Material bundle (assets/javascripts/bundle.*.min.js) in the site"]


# ---------------------------------------------------------------- both editions, built once


@pytest.fixture(scope="module")
def editions(tmp_path_factory):
    root = make_archive(tmp_path_factory.mktemp("lazy") / "archive")
    config_path = root / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["theme"]["features"] = ["search.highlight"]
    # The fixture's copy has no node_modules of its own: the shim comes from this repository's.
    config.setdefault("extra", {})["docarchive"] = {"shim_source": str(REPO / "node_modules" / "iframe-worker")}
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    shutil.copy(REPO / "mkdocs-offline.yml", root / "mkdocs-offline.yml")
    for args in (("-f", "mkdocs-offline.yml"), ()):
        build = run_mkdocs(root, *args)
        assert build.returncode == 0, build.output
        assert "search-index loaders" not in build.output, build.output
    return root


def test_the_built_bundle_asks_the_theme_and_every_page_loads_it_first(editions):
    for site, story in ((editions / "site", "stories/one/alpha/index.html"),
                        (editions / "site-offline", "stories/one/alpha.html")):
        (bundle,) = site.glob(lazysearch.BUNDLES)
        assert lazysearch.LOADER in bundle.read_text(encoding="utf-8")
        html = (site / story).read_text(encoding="utf-8")
        assert -1 < html.index("assets/javascripts/search-index.js") < html.index(bundle.name)


def test_the_index_version_is_a_hash_of_the_index(editions):
    for site in (editions / "site", editions / "site-offline"):
        expected = hashlib.sha256((site / lazysearch.INDEX).read_bytes()).hexdigest()[:16]
        assert (site / lazysearch.VERSION).read_text(encoding="utf-8") == expected + "\n"


# ---------------------------------------------------------------- in a browser


class CountingServer:
    """A site over http://127.0.0.1 that counts the paths it is asked for (the browser's cache answers the rest)."""

    def __init__(self, directory: Path):
        self.paths: list[str] = []
        paths = self.paths

        class Handler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                paths.append(self.path)
                super().do_GET()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(directory)))
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"

    def asked(self, name: str) -> list[str]:
        return [p for p in self.paths if name in p]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server(editions):
    running = CountingServer(editions / "site")
    yield running
    running.close()


def search_for(page, query: str) -> list[str]:
    """Type ``query`` in the search box (Material reacts to keyup) and return the result links."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press_sequentially(query, delay=15)
    box.press("End")
    page.wait_for_selector(".md-search-result__item > a.md-search-result__link", timeout=15_000)
    return page.eval_on_selector_all(".md-search-result__item > a.md-search-result__link",
                                     "els => els.map(a => a.href.split('?')[0])")


needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium (/usr/bin/chromium)")


@pytest.mark.browser
@needs_chromium
def test_http_story_page_loads_no_index_until_search_is_focused_then_once_for_two_pages(page, server):
    page.goto(server.url + "stories/one/alpha/", wait_until="networkidle")
    page.wait_for_timeout(300)
    assert server.asked("search_index") == []  # neither the index nor its version
    page.locator("input.md-search__input").focus()
    page.wait_for_function("() => !/Initializing/.test(document.querySelector('.md-search-result__meta').textContent)")
    assert len(server.asked("search_index.json")) == 1
    assert server.url + "stories/one/aardvark/" in search_for(page, "aardvark")

    page.goto(server.url + "people/tian/", wait_until="networkidle")
    page.wait_for_timeout(300)
    assert len(server.asked("search_index.json")) == 1
    assert server.url + "people/tian/" in search_for(page, "Tian Xiaoping")
    assert len(server.asked("search_index.json")) == 1  # the second page used the browser's cached copy
    assert len(server.asked("search_index.version")) == 2  # the few bytes that say which index is current


@pytest.mark.browser
@needs_chromium
def test_http_keyboard_shortcut_opens_search_and_loads_the_index(page, server):
    page.goto(server.url, wait_until="networkidle")
    assert server.asked("search_index") == []
    page.keyboard.press("/")
    page.wait_for_function("() => document.getElementById('__search').checked")
    assert server.url + "stories/one/aardvark/" in search_for(page, "aardvark")
    assert len(server.asked("search_index.json")) == 1


@pytest.mark.browser
@needs_chromium
def test_http_a_search_result_still_highlights_its_words(page, server):
    page.goto(server.url, wait_until="networkidle")
    search_for(page, "aardvark")
    page.locator(".md-search-result__item > a.md-search-result__link").first.click()
    page.wait_for_selector("mark[data-md-highlight]", timeout=10_000)
    assert "aardvark" in page.locator("mark[data-md-highlight]").first.text_content().lower()


@pytest.mark.browser
@needs_chromium
def test_http_story_page_weighs_under_budget_with_everything_it_loads(page, server):
    sizes: dict[str, int] = {}
    asked: list[str] = []  # every request, answered or not (hreflang and feed links name other addresses)
    page.on("request", lambda r: asked.append(r.url))
    page.on("response", lambda r: sizes.__setitem__(r.url, len(gzip.compress(r.body()))) if r.ok else None)
    page.goto(server.url + "stories/one/alpha/", wait_until="networkidle")
    page.wait_for_timeout(300)
    assert all(url.startswith(server.url) for url in asked), asked
    assert sorted(asked) == sorted(sizes), "a request failed or was refused"
    assert any("workers/search" in url for url in sizes)  # the worker is counted: it loads with the page
    assert not any("search_index" in url for url in sizes)
    assert not any("sitemap" in url for url in sizes)  # it lists every page: its size grows with the archive
    assert sum(sizes.values()) <= PAGE_BUDGET, sizes


@pytest.mark.browser
@needs_chromium
def test_file_edition_reads_the_index_only_when_search_opens_and_finds(browser, editions):
    base = (editions / "site-offline").as_uri() + "/"
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.goto(base + "stories/one/alpha.html", wait_until="load")
    page.wait_for_timeout(500)
    assert len(requests) > 3 and not [u for u in requests if "search_index" in u]
    assert base + "stories/one/aardvark.html" in search_for(page, "aardvark")
    assert [u for u in requests if "search_index" in u] == [base + "search/search_index.js"]
    page.locator(".md-search-result__item > a.md-search-result__link").first.click()
    page.wait_for_selector("mark[data-md-highlight]", timeout=10_000)
    context.close()
