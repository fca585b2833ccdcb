"""What a reader pays: page weight and time to the first search result, measured in Chromium.

Not a test. Serves a built site over http://127.0.0.1 (gzip is not needed: each
response body is gzipped here, as a server would send it), opens a page in
headless Debian Chromium through Playwright and records every response the page
loads (the search worker included). The search timing presses the first key in
the search box and waits for the first result to appear; the clock runs in the
page (``performance.now``), from that keydown to the first result item.

    .venv/bin/python bench/bench_reader.py SITE_DIR [PAGE] [QUERY]

``page_weight`` and ``search_latency`` are the functions bench/bench_build.py's
table calls.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import sys
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
INDEX = "search/search_index"  # .json over http, .js in the offline edition


@dataclass
class Weight:
    """Every response a page loaded, raw and gzipped (level 6, as web servers use)."""
    responses: dict[str, tuple[int, int]] = field(default_factory=dict)  # url -> (raw, gzipped) bytes

    @property
    def gzipped(self) -> int:
        return sum(gz for _, gz in self.responses.values())

    @property
    def raw(self) -> int:
        return sum(raw for raw, _ in self.responses.values())

    @property
    def index_requests(self) -> list[str]:
        return [url for url in self.responses if INDEX in url]


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextmanager
def serve(site_dir: Path, handler: type = None, port: int = 0):
    """``site_dir`` over http://127.0.0.1 on ``port`` (0: a free one), for the length of the ``with``;
    ``handler`` a SimpleHTTPRequestHandler class (default: the stdlib's, without its log)."""
    handler = functools.partial(handler or _Quiet, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _record(page, weight: Weight) -> None:
    def on_response(response):
        try:
            body = response.body()
        except Exception:  # redirects and aborted requests have no body
            return
        weight.responses[response.url] = (len(body), len(gzip.compress(body, compresslevel=6)))

    page.on("response", on_response)


def page_weight(site_dir: Path, page_path: str) -> Weight:
    """Everything a first visit to ``page_path`` (``stories/one/x/``) loads, without touching search."""
    with serve(Path(site_dir)) as base, browser() as chromium:
        context = chromium.new_context()
        page = context.new_page()
        weight = Weight()
        _record(page, weight)
        page.goto(base + page_path, wait_until="networkidle")
        page.wait_for_timeout(500)  # anything started late (the worker's own requests)
        context.close()
    return weight


# In the page: the time of the first keydown in the search box, and of the first result item.
_WATCH = """() => {
  window.__bench = {};
  const box = document.querySelector("input.md-search__input");
  box.addEventListener("keydown", () => { window.__bench.key ??= performance.now(); }, {capture: true});
  const list = document.querySelector(".md-search-result__list");
  new MutationObserver(() => {
    if (list.querySelector(".md-search-result__item")) window.__bench.result ??= performance.now();
  }).observe(list, {childList: true, subtree: true});
}"""


def _time_search(page, query: str, timeout_ms: int) -> float:
    page.evaluate(_WATCH)
    box = page.locator("input.md-search__input")
    box.click()
    box.press_sequentially(query, delay=60)  # a fast typist
    page.wait_for_function("() => window.__bench.result !== undefined", timeout=timeout_ms)
    times = page.evaluate("() => window.__bench")
    return (times["result"] - times["key"]) / 1000


def search_latency(site_dir: Path, page_path: str, query: str, timeout_ms: int = 120_000) -> dict[str, float]:
    """Seconds from the first keystroke to the first result: on a first page, then on a second one.

    The reader clicks into search and types at once, so the index loads while
    they type. ``first``: a fresh browser. ``next``: another page in the same
    tab, the index already in the browser's cache (the worker still indexes it).
    """
    with serve(Path(site_dir)) as base, browser() as chromium:
        context = chromium.new_context()
        page = context.new_page()
        page.goto(base + page_path, wait_until="load")
        first = _time_search(page, query, timeout_ms)
        page.goto(base, wait_until="load")
        following = _time_search(page, query, timeout_ms)
        context.close()
    return {"first": first, "next": following}


def main() -> None:
    site = Path(sys.argv[1])
    page_path = sys.argv[2] if len(sys.argv) > 2 else ""
    query = sys.argv[3] if len(sys.argv) > 3 else "workshop"
    weight = page_weight(site, page_path)
    print(f"page weight of /{page_path}: {weight.gzipped / 1000:.1f} KB gzipped ({weight.raw / 1000:.1f} KB raw), "
          f"{len(weight.responses)} responses, search index requests: {len(weight.index_requests)}")
    for url, (raw, gz) in sorted(weight.responses.items(), key=lambda item: -item[1][1]):
        print(f"  {gz / 1000:8.1f} KB  {url}")
    latency = search_latency(site, page_path, query)
    print(f"first keystroke to first result for {query!r}: {latency['first']:.2f} s on a first page, "
          f"{latency['next']:.2f} s on the next")


if __name__ == "__main__":
    main()
