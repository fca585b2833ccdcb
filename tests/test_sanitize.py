"""The HTML allowlist (nh3) applied to stories' rendered HTML: what it refuses, why, and what it keeps.

The golden cases (tests/golden/) hold the exact reports for each way in that a
blocklist let through; these tests check the allowlist itself.
"""

from __future__ import annotations

import pytest

from docarchive import sanitize
from docarchive.model import load_archive
from docarchive.problems import Problems
from support import REPO


def reasons(markdown_text: str) -> list[str]:
    return [r.message for r in sanitize.refused(sanitize.render(markdown_text))]


@pytest.mark.parametrize("source, expected", [
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
])
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
