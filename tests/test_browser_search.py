"""Search and the offline edition in a real browser: headless Debian Chromium through Playwright.

The normal build is served over http://127.0.0.1 on a free port; the offline
build is opened from its folder (file://). Each edition is driven once (a
scenario of searches, a click, photo pages) and the tests check what was seen:
the right page first, stage and date in results, zero requests off the site,
no console errors, images that show. Material's search listens to keyup, so the
scenario presses keys: Chinese text (which a keyboard types as input events
only, like an IME's commit) is followed by an End key press.
"""

from __future__ import annotations

import re
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from support import Server

pytestmark = [pytest.mark.browser]

QUERIES = {
    "english": "aardvark",
    "place_zh": "积石山县",  # registered, named mid-sentence in a Chinese paragraph of the Epsilon story
    "word_zh": "雨具",  # an ordinary word in the middle of that sentence
    "person": "Tian Xiaoping",
}


def page_url(edition: str, base: str, src_uri: str) -> str:
    """The URL of the page built from ``src_uri`` (``stories/one/alpha.md``) in either edition."""
    if edition == "file":
        return base + src_uri.removesuffix(".md") + ".html"
    path = src_uri.removesuffix(".md")
    path = path.removesuffix("index") if path.endswith("index") else path + "/"
    return base + path


def search(page, query: str) -> list[dict]:
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    box.press("End")
    box.press_sequentially(query, delay=15)
    box.press("End")  # a keyup after the last character, as after an IME commit
    page.wait_for_function(
        "q => document.querySelector('.md-search-result__meta')?.textContent.match("
        "/\\d+ matching|No matching|\\d+ 个符合条件|没有找到符合条件/)"
        " && document.querySelector('input.md-search__input').value === q", arg=query, timeout=10_000)
    results, previous = [], None
    for _ in range(20):  # results render in batches: wait until two reads agree
        results = page.eval_on_selector_all(
            ".md-search-result__item > a.md-search-result__link",
            "els => els.map(a => ({href: a.href, title: a.querySelector('h1,h2')?.textContent || '',"
            " tags: [...a.querySelectorAll(':scope > article .md-tag')].map(t => t.textContent)}))")
        if results == previous:
            break
        previous = results
        time.sleep(0.1)
    for result in results:  # search.highlight adds ?h=<terms>: compare pages, not highlights
        parts = urlsplit(result["href"])
        result["href"] = urlunsplit(parts._replace(query=""))
    return results


def images_shown(page) -> list[tuple[str, int]]:
    """Every image of the page, loaded eagerly, with its natural width (0 when it failed)."""
    return page.evaluate("""async () => {
        const imgs = [...document.querySelectorAll('article img')];
        for (const img of imgs) { img.loading = 'eager'; img.scrollIntoView(); }
        await Promise.all(imgs.map(img => img.decode().catch(() => null)));
        return imgs.map(img => [img.currentSrc || img.src, img.naturalWidth]);
    }""")


def drive(browser, edition: str, base: str) -> dict:
    context = browser.new_context()
    seen: dict = {"requests": [], "failed": [], "console": [], "errors": []}
    context.on("request", lambda r: seen["requests"].append(r.url))
    # ERR_ABORTED is a request cut short by the next navigation (the favicon, the search worker)
    context.on("requestfailed", lambda r: seen["failed"].append((r.url, r.failure))
               if "ERR_ABORTED" not in (r.failure or "") else None)
    context.on("response", lambda r: seen["failed"].append((r.url, r.status)) if r.status >= 400 else None)
    if edition == "http":  # belt and braces: nothing may leave 127.0.0.1 even if a page asked
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                      else route.abort())
    page = context.new_page()
    page.on("console", lambda m: seen["console"].append(f"{m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))

    started = time.perf_counter()
    page.goto(page_url(edition, base, "index.md"))
    seen["results"] = {name: search(page, query) for name, query in QUERIES.items()}
    seen["search_seconds"] = time.perf_counter() - started

    page.locator(".md-search-result__item > a.md-search-result__link").first.click()  # the person query's
    page.wait_for_load_state("load")
    seen["clicked"] = (page.url, page.locator("article h1").first.text_content())

    seen["images"] = {}
    for path in ("stories/one/alpha.md", "stories/three/epsilon.md", "photos/index.md", "photos/bags.md"):
        page.goto(page_url(edition, base, path))
        seen["images"][path] = images_shown(page)
    page.close()
    context.close()
    return seen


@pytest.fixture(scope="module", params=["http", "file"])
def run(request, browser, editions):
    if request.param == "http":
        server = Server(editions.site)
        try:
            yield "http", server.url, drive(browser, "http", server.url)
        finally:
            server.close()
    else:
        base = editions.offline.as_uri() + "/"
        yield "file", base, drive(browser, "file", base)


def first(seen, name) -> str:
    results = seen["results"][name]
    assert results, f"no results for {QUERIES[name]!r}"
    return results[0]["href"]


def test_english_query_finds_the_story_first_with_its_stage_and_date(run):
    edition, base, seen = run
    assert first(seen, "english") == page_url(edition, base, "stories/one/aardvark.md")
    assert seen["results"]["english"][0]["tags"] == ["Stage One", "4 March 2011"]


def test_chinese_place_named_mid_sentence_is_found(run):
    edition, base, seen = run
    assert first(seen, "place_zh") == page_url(edition, base, "places/jishishan.md")
    hrefs = [r["href"] for r in seen["results"]["place_zh"]]
    assert page_url(edition, base, "stories/three/epsilon.md") in hrefs


def test_chinese_word_mid_sentence_finds_its_story_first(run):
    edition, base, seen = run
    assert first(seen, "word_zh") == page_url(edition, base, "stories/three/epsilon.md")


def test_person_query_finds_the_person_and_clicking_opens_the_page(run):
    edition, base, seen = run
    assert first(seen, "person") == page_url(edition, base, "people/tian.md")
    url, h1 = seen["clicked"]
    assert url.split("?")[0] == page_url(edition, base, "people/tian.md")
    assert h1.strip() == "Tian Xiaoping"


def test_no_request_leaves_the_site(run):
    edition, base, seen = run
    allowed = base if edition == "http" else "file://"
    outside = [u for u in seen["requests"] if not u.startswith(allowed)]
    assert outside == []
    assert seen["failed"] == []
    assert len(seen["requests"]) > 10


def test_no_console_errors(run):
    _, _, seen = run
    assert seen["console"] == [] and seen["errors"] == []


def test_images_show(run):
    _, _, seen = run
    for path, images in seen["images"].items():
        assert images, f"{path} has no images"
        for src, width in images:
            assert width > 0, (path, src)


# ---------------------------------------------------------------- the real archive

REAL_QUERIES = {  # query -> the page that must come first (src_uri)
    "积石山": "places/jishishan.md",  # a prefix of the registered 积石山县
    "东乡": "places/dongxiang.md",
    "Tian Xiaoping": "people/tian-xiaoping.md",
    # Entity pages weigh above the stories that name them (issue 11.9): the rain-gear workshop's own page.
    "rain gear": "organizations/anji-rain-workshop.md",
    # The page a name is the whole title of comes before the pages named after it ("Xiarun wine-cap
    # mushroom planting base, Hezheng County", "Linxia County": pages.COMPOUND_BOOST), and before a photo
    # page whose title says "Linxia's" (an apostrophe is not escaped into the index: pages._escape).
    "Hezheng": "places/hezheng.md",
    "Linxia": "places/linxia-prefecture.md",
    "Xiamen": "places/xiamen.md",
}
REAL_QUERIES_ZH = {"和政": "places/hezheng.md"}  # in the Chinese edition, from its home page


def test_real_archive_search_in_both_editions(browser, real_editions):
    """This repository's archive, both editions built strict: Chinese place names, a person and an
    English phrase find their page first, and nothing is requested off the site."""
    server = Server(real_editions.site)
    try:
        for edition, base in (("http", server.url), ("file", real_editions.offline.as_uri() + "/")):
            context = browser.new_context()
            requests, errors = [], []
            context.on("request", lambda r: requests.append(r.url))
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(page_url(edition, base, "index.md"))
            for query, expected in REAL_QUERIES.items():
                results = search(page, query)
                assert results and results[0]["href"] == page_url(edition, base, expected), (edition, query)
            page.goto(page_url(edition, base + "zh/", "index.md"))
            for query, expected in REAL_QUERIES_ZH.items():
                results = search(page, query)
                assert results and results[0]["href"] == page_url(edition, base + "zh/", expected), (edition, query)
            context.close()
            allowed = base if edition == "http" else "file://"
            assert [u for u in requests if not u.startswith(allowed)] == [], edition
            assert errors == [], edition
    finally:
        server.close()


# ---------------------------------------------------------------- the Chinese edition (zh/)

ZH_QUERIES = ("临夏", "和政", "积石山")
HAN = "\u4e00-\u9fff"


def drive_editions(browser, edition: str, base: str) -> dict:
    """Each edition's own search: the Chinese queries from the Chinese home page, and 临夏 from the English."""
    context = browser.new_context()
    seen: dict = {"console": [], "requests": []}
    context.on("request", lambda r: seen["requests"].append(r.url))
    context.on("response", lambda r: seen["console"].append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page = context.new_page()
    page.on("console", lambda m: seen["console"].append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: seen["console"].append(str(e)))
    page.goto(page_url(edition, base + "zh/", "index.md"))
    seen["lang"] = page.evaluate("document.documentElement.lang")
    seen["zh"] = {query: search(page, query) for query in ZH_QUERIES}
    page.goto(page_url(edition, base, "index.md"))
    seen["en"] = search(page, "临夏")
    # The switcher on a Chinese story leads to the same story in English, and back.
    page.goto(page_url(edition, base + "zh/", "stories/one/alpha.md"))
    with page.expect_navigation():  # the link sits in a hover menu: click it as a script would
        page.locator("a.md-select__link[hreflang=en]").dispatch_event("click")
    seen["switched"] = [page.url.split("?")[0], page.locator("article h1").first.text_content().strip()]
    with page.expect_navigation():  # the link sits in a hover menu: click it as a script would
        page.locator("a.md-select__link[hreflang=zh-Hans]").dispatch_event("click")
    seen["switched"] += [page.url.split("?")[0], page.locator("article h1").first.text_content().strip()]
    context.close()
    return seen


@pytest.fixture(scope="module", params=["http", "file"])
def zh_run(request, browser, editions):  # browser first: a missing one is reported before any build
    if request.param == "http":
        server = Server(editions.site)
        try:
            yield "http", server.url, drive_editions(browser, "http", server.url)
        finally:
            server.close()
    else:
        base = editions.offline.as_uri() + "/"
        yield "file", base, drive_editions(browser, "file", base)


def test_chinese_edition_search_finds_chinese_pages_and_only_those(zh_run):
    edition, base, seen = zh_run
    assert seen["lang"] in ("zh", "zh-Hans")
    for query, results in seen["zh"].items():
        assert results, f"no results for {query!r} in the Chinese edition ({edition})"
        assert all(r["href"].startswith(base + "zh/") for r in results), (query, results)
        assert re.search(f"[{HAN}]", results[0]["title"]), (query, results[0])
    assert seen["zh"]["积石山"][0]["href"] == page_url(edition, base + "zh/", "places/jishishan.md")
    assert page_url(edition, base + "zh/", "stories/three/epsilon.md") in [r["href"] for r in seen["zh"]["积石山"]]


def test_english_edition_search_stays_in_the_english_edition(zh_run):
    edition, base, seen = zh_run
    assert seen["en"] and not any("/zh/" in r["href"] for r in seen["en"])


def test_switcher_leads_to_the_same_page_in_the_other_language_and_back(zh_run):
    edition, base, seen = zh_run
    assert seen["switched"] == [page_url(edition, base, "stories/one/alpha.md"), "Alpha story",
                                page_url(edition, base + "zh/", "stories/one/alpha.md"), "甲的故事"]


def test_chinese_edition_loads_nothing_off_the_site_and_logs_no_errors(zh_run):
    edition, base, seen = zh_run
    allowed = base if edition == "http" else "file://"
    assert [u for u in seen["requests"] if not u.startswith(allowed)] == []
    assert seen["console"] == []
