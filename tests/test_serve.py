"""`mkdocs serve` (the editors' live preview): content errors are reported and the server keeps running."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from support import make_archive


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, predicate, timeout: float = 90) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
                if predicate(last):
                    return last
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} never matched; last body starts {last[:300]!r}")


@pytest.fixture
def broken_archive(tmp_path):
    root = make_archive(tmp_path / "archive")
    story = root / "stories" / "one" / "beta.md"
    story.write_text(story.read_text().replace("stage: one", "stage: roots"))
    return root


def test_serve_shows_problems_then_the_site_after_a_fix_and_keeps_running(broken_archive):
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=broken_archive, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    story = broken_archive / "stories" / "one" / "beta.md"
    try:
        page = wait_for(base, lambda body: "Content problems" in body)
        assert "stories/one/beta.md:3: stage: &#39;roots&#39; is not a stage" in page or \
            "stories/one/beta.md:3: stage: 'roots' is not a stage" in page
        story.write_text(story.read_text().replace("stage: roots", "stage: one"))
        wait_for(base + "stories/one/beta/", lambda body: "Beta story" in body)
        # registries and the timeline are watched too
        timeline = broken_archive / "data" / "timeline.yml"
        timeline.write_text(timeline.read_text().replace("A day in December", "A renamed December day"))
        wait_for(base + "timeline/", lambda body: "A renamed December day" in body)
        story.write_text("---\ntitle: [broken\n---\n")
        page = wait_for(base, lambda body: "Content problems" in body)
        assert "stories/one/beta.md:2: yaml: malformed YAML" in page
        assert proc.poll() is None, "the server stopped"
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
    assert "stories/one/beta.md:3: stage: 'roots' is not a stage" in output
