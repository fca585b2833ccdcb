"""The HTML allowlist (nh3) applied to stories' rendered HTML: what it refuses, why, and what it keeps.

The golden cases (tests/golden/) hold the exact reports for each way in that a
blocklist let through; these tests check the allowlist itself.
"""

from __future__ import annotations

import json

import pytest

from docarchive import sanitize
from docarchive.model import load_archive
from docarchive.problems import Problems
from support import REPO


def reasons(markdown_text: str) -> list[str]:
    return [r.message for r in sanitize.refused(sanitize.render(markdown_text))]


WAYS_IN = [
    ('<a href="&#106;avascript:alert(1)">x</a>', "uses 'javascript:' (spelled with character references)"),
    ("[x](&#x6A;avascript&#x3A;alert(1))", "uses 'javascript:'"),
    ("[x](JaVaScRiPt:alert(1))", "uses 'javascript:'"),
    ('<a href=" java&#x0A;script:alert(1)">x</a>', "uses 'javascript:'"),
    ('<base href="https://evil.example/">', "<base> is not allowed"),
    ('<meta http-equiv="refresh" content="0;url=https://evil.example/">', "<meta> is not allowed"),
    ("![x](data:image/png;base64,AAAA)", "uses 'data:'"),
    ('<form action="https://evil.example/"><input name="q"></form>', "<form> is not allowed"),
    ('<svg><script>alert(1)</script></svg>', "<svg> is not allowed"),
    ('<p style="background:url(https://evil.example/x)">x</p>', "'style' on <p> is not allowed"),
    ("Text {: onclick='x' }\n{: onmouseover=\"alert(1)\" }", "'onmouseover' on <p> is not allowed"),
]


@pytest.mark.parametrize("source, expected", WAYS_IN)
def test_each_way_in_is_refused_with_its_reason(source, expected):
    found = reasons(source)
    assert any(expected in r for r in found), found


def test_what_stories_really_use_is_kept_whole():
    text = ("# Title\n\nA *story* with **bold**, `code`, a [link](https://example.org/ \"t\"), a [page](../two/),"
            " an [anchor](#part) and mail to [us](mailto:a@example.org).[^1]\n\n## Part {#part}\n\n"
            "> A quote\n\n1. one\n2. two\n\n- a\n- b\n\n<figure markdown>\n![A photo](../x.jpg)\n"
            "<figcaption>Caption</figcaption>\n</figure>\n\n<abbr title=\"Hui Autonomous\">HA</abbr> "
            "&amp; 5 < 6\n\n[^1]: A footnote.\n")
    rendered = sanitize.render(text)
    assert "footnote" in rendered and "<figure" in rendered
    assert sanitize.refused(rendered) == []


def test_code_that_shows_a_tag_is_text_not_markup():
    assert reasons("Write `<script>` in code, or &lt;script&gt; as text.") == []


def test_malformed_markup_that_nh3_would_change_is_refused_too():
    # Not named by the walk (every tag is allowed) but nh3 moves the stray cell: refused all the same.
    found = reasons("<td>a stray table cell</td>")
    assert found and "would change this markup" in found[0]


def test_the_line_of_each_problem_is_the_line_in_the_story():
    problems = Problems()
    body = "Fine.\n\nStill fine.\n\n[x](javascript:alert(1))\n\n<base href='https://e.example/'>\n"
    sanitize.check_story_body(body, "stories/a/b.md", 9, problems)
    assert [(p.line, p.field) for p in problems] == [(13, "body"), (15, "body")]


def test_an_image_from_another_host_is_refused_at_its_line():
    problems = Problems()
    sanitize.check_story_body('Text.\n\n<img src="//cdn.example.org/x.png" alt="x">\n', "stories/a/b.md", 9, problems)
    assert [str(p) for p in problems] == [
        "stories/a/b.md:11: body: loads //cdn.example.org/x.png from another host; the archive must work with no "
        "network - remove it; an image belongs in photos/ with its caption record"]


def test_the_real_archive_passes_the_allowlist():
    archive = load_archive(REPO)  # raises ContentError, with file:line, if a story were refused
    assert archive.stories


# -- the pre-filter: a body with no markup sign is not rendered at all --------------------------------------

PLAIN_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre", "blockquote", "ul", "ol",
              "li", "hr", "br"}
# Everything Markdown gives meaning to, and every way in that the tests above use, less the markup signs.
PIECES = ["*", "**", "_", "`", "``", "#", "## ", "> ", "- ", "1. ", "+ ", "---", "===", "    ", "\t", "\n", "\n\n",
          "  \n", "!", "(", ")", "]", "}", ":", "=", '"', "'", "\\", "javascript:alert(1)", "data:image/png;base64,AA",
          "https://evil.example/x", "//evil.example/x", "onclick=x", "style=", "script", "a@example.org", "|", "~~~",
          "```", "%3C", "word", " ", "\x01", "\x0c", "\r", "\u2028", "\ufffe", "\uffff", "\U0010ffff", "临夏"]


def test_a_body_with_no_markup_sign_only_ever_renders_plain_tags_with_no_attribute():
    import random
    from html.parser import HTMLParser

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__()
            self.found: set[tuple] = set()

        def handle_starttag(self, tag, attrs):
            self.found.add((tag, tuple(attrs)))

    rng = random.Random(10)
    for _ in range(3000):
        body = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
        assert not sanitize.needs_html_check(body)
        rendered = sanitize.render(body)
        parser = Tags()
        parser.feed(rendered)
        assert {tag for tag, _ in parser.found} <= PLAIN_TAGS, (body, rendered)
        assert all(attrs == () for _, attrs in parser.found), (body, rendered)
        assert sanitize.refused(rendered) == [], (body, rendered)


def test_every_body_the_allowlist_refuses_has_a_markup_sign():
    """The ways in above and every story of the golden bad cases: whatever the full check refuses, the
    pre-filter sends to it."""
    stories = sorted((REPO / "tests" / "golden").glob("*/stories/**/*.md"))
    golden = [path.read_text(encoding="utf-8") for path in stories]
    refused_bodies = [text for text in [*(source for source, _ in WAYS_IN), *golden]
                      if sanitize.refused(sanitize.render(text))]
    assert len(refused_bodies) >= len(WAYS_IN) + 5
    assert all(sanitize.needs_html_check(text) for text in refused_bodies)


def test_no_single_character_but_the_markup_signs_makes_the_full_check_refuse_plain_text():
    """Every Unicode code point (in runs, halved where the check refuses): only the signs can be refused."""
    refused_alone: list[int] = []

    def search(points: list[int]) -> None:
        text = "".join(chr(c) for c in points if chr(c) not in sanitize.MARKUP_SIGNS)
        if not sanitize.refused(sanitize.render(f"a {text} b")):
            return
        if len(points) == 1:
            refused_alone.append(points[0])
            return
        search(points[:len(points) // 2])
        search(points[len(points) // 2:])

    points = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    for start in range(0, len(points), 2000):
        search(points[start:start + 2000])
    assert refused_alone == []
    assert sanitize.refused(sanitize.render("a \x00 b")) and sanitize.refused(sanitize.render("a &#65535; b"))


# -- the verdict cache: an unchanged body is not rendered again, a changed one always is ---------------------

BAD = "Intro.\n\n[x](javascript:alert(1))\n"
GOOD = "Intro with a [link](https://example.org/).\n\nMore text.\n"


def checked(body: str, cache_dir) -> list[str]:
    problems = Problems()
    with sanitize.verdicts_kept_in(cache_dir):
        sanitize.check_story_body(body, "stories/a/b.md", 5, problems)
    return [str(p) for p in problems]


def no_render(monkeypatch):
    def refuse(text):
        raise AssertionError("rendered again")
    monkeypatch.setattr(sanitize, "render", refuse)


def test_a_cached_verdict_is_reported_again_without_rendering(tmp_path, monkeypatch):
    first = checked(BAD, tmp_path)
    assert first and first[0].startswith("stories/a/b.md:7: body: contains 'javascript:alert(1)'")
    assert checked(GOOD, tmp_path) == []
    kept = json.loads((tmp_path / "verdicts.json").read_text(encoding="utf-8"))
    assert len(kept["verdicts"]) == 1  # the file keeps the bodies the last load checked
    assert checked(BAD, tmp_path) == first
    no_render(monkeypatch)
    assert checked(BAD, tmp_path) == first  # from the cache


def test_a_bad_tag_injected_in_a_cached_story_is_still_reported(tmp_path, monkeypatch):
    assert checked(GOOD, tmp_path) == []
    injected = GOOD + "\n<script>alert(1)</script>\n"
    found = checked(injected, tmp_path)
    assert found == ["stories/a/b.md:9: body: contains '<script': <script> is not allowed in the archive's pages "
                     "- remove it: write text, links and images in Markdown"]
    no_render(monkeypatch)
    assert checked(injected, tmp_path) == found  # and so it stays, from the cache


@pytest.mark.parametrize("stored", ["{not json", "[1, 2, 3]", '{"settings": "another engine", "verdicts": {}}',
                                    "right settings, wrong entries"])
def test_a_cache_file_of_the_wrong_shape_is_ignored(tmp_path, stored):
    expected = checked(BAD, tmp_path / "fresh")
    cache = sanitize.VerdictCache(tmp_path)
    if stored == "right settings, wrong entries":  # entries that would say "no problem" if trusted
        stored = json.dumps({"settings": cache.settings, "verdicts": {cache.key(BAD): [], "x": [[1, 2]]}})
        stored = stored.replace("[]", '"ok"')
    (tmp_path / "verdicts.json").write_text(stored, encoding="utf-8")
    assert checked(BAD, tmp_path) == expected
    rewritten = json.loads((tmp_path / "verdicts.json").read_text(encoding="utf-8"))
    assert rewritten["settings"] == cache.settings and list(rewritten["verdicts"]) == [cache.key(BAD)]


def test_a_verdict_made_under_another_allowlist_is_not_used(tmp_path, monkeypatch):
    assert checked(BAD, tmp_path) != []
    monkeypatch.setattr(sanitize, "URL_SCHEMES", sanitize.URL_SCHEMES | {"javascript"})
    assert sanitize.VerdictCache(tmp_path).get(BAD) is None  # the fingerprint changed with the allowlist


# -- the body's line-by-line checks, done in one look when the body has nothing to find -----------------------

TRICKY_BODIES = [
    "Plain text.\n\nNo markup at all.\n",
    "src=//cdn.example.org/a.png at the start of a line\n",
    "A line that ends with SRC = 'HTTPS://cdn.example.org/b.png'\nand another\r\nwith ![x](//e.example/c.png)\r\n",
    "A fetch split over two lines: src=\n//cdn.example.org/d.png is not one at any line\n",
    "![alt over\ntwo lines](https://e.example/e.png) and url(\n//e.example/f.png)\n",
    "url( 'https://e.example/g.png' ) and poster=//e.example/h.png on one line\n\n<img srcset=\"//e.example/i.png\">",
    "Links a reader follows: [a](https://e.example/) <https://e.example/> <a href=\"//e.example/\">x</a>\n",
    "notsrc=//e.example/j.png (no word boundary) and data=//e.example/k.png\n",
    "TODO at the start\nin the middle TODO here\nat the end TODO\nTODOs xTODO todo _TODO TODO_ (no mark)\n",
    "\ufeffTODO\r\nsrc=//e.example/l.png\r\n",
]


def both_ways(body: str) -> tuple[list[str], list[str]]:
    """The body's problems as the loader's checks report them, and as a look at every line reports them."""
    from docarchive import schema
    problems = Problems()
    schema.check_todo_lines(body, "stories/a/b.md", 9, "body", problems)
    sanitize.check_story_body(body, "stories/a/b.md", 9, problems)
    expected = Problems()
    for offset, line in enumerate(body.split("\n")):  # the reference: every line looked at, no shortcut
        if schema.TODO_MARK.search(line):
            expected.error("stories/a/b.md", 9 + offset, "body", "is still marked TODO",
                           "replace the TODO line with the text it asks for")
    for offset, line in enumerate(body.split("\n")):
        match = sanitize.EXTERNAL_FETCH.search(line)
        if match:
            url = next(group for group in match.groups() if group)
            expected.error("stories/a/b.md", 9 + offset, "body", sanitize.FETCH_MESSAGE.format(url=url),
                           sanitize.FETCH_FIX)
    for offset, message, fix in sanitize.body_verdict(body, body.split("\n")):
        expected.error("stories/a/b.md", 9 + offset, "body", message, fix)
    return [str(p) for p in problems], [str(p) for p in expected]


@pytest.mark.parametrize("body", TRICKY_BODIES)
def test_the_body_checks_report_what_a_line_by_line_look_reports(body):
    found, expected = both_ways(body)
    assert found == expected


def test_the_tricky_bodies_have_something_to_find():
    assert [len(both_ways(body)[1]) for body in TRICKY_BODIES] == [0, 1, 2, 0, 0, 3, 0, 1, 3, 2]
