"""The speed-ups of the hook's page content (issue 9) change no byte: this repository's archive, both
editions, built with today's code and with the code as it was (tests/slow_paths.py), is the same site;
and each faster path gives what the slower one gives on the cases the archive does not reach.

What is faster: the allowlist's check skips its second walk when nh3 keeps the HTML as nh3 spells it; a story's
first mentions are looked for only under the names the page holds, with a pattern the regex engine skips
through; a page works out each link once; ``_()`` goes straight to the catalogue, and a message with nothing
to fill in is made once; the JSON-LD is written by linkeddata.indented_json; publication URLs are looked up
in Files' dict first; a story's card is made once per build and reused by every list whose link to it is
the same (render.Rows); the generated files (the citations' downloads, the data package) are made and
written by mkdocs_glue.GeneratedFile, their JSON by jsontext, on a cold build from a helper process that also
checks the pages for off-site fetches (offload.py; tests/test_offload.py), and site/ is walked once after the build.
"""

from __future__ import annotations

import collections
import enum
import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
from markupsafe import Markup
from mkdocs.structure.files import File
import slow_paths
from support import REPO, tree_digest

from docarchive import jsontext, linkeddata, mkdocs_glue, render, sanitize

THEME = Path(render.__file__).parent / "theme"


def slow_build(config: str, site_dir: Path) -> str:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, str(Path(__file__).with_name("slow_paths.py")), "build", "--strict",
                           "-f", config, "--site-dir", str(site_dir)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    ran = json.loads(proc.stderr.rsplit("slow paths ran: ", 1)[1].splitlines()[0])
    return ran


def test_the_real_archive_is_the_same_site_built_the_old_way(real_editions, tmp_path):
    slow = tmp_path / "site"
    for config, folder in (("mkdocs.yml", slow), ("mkdocs-zh.yml", slow / "zh")):
        ran = slow_build(config, folder)
        # The old paths really built these pages: every one of them ran, many times.
        assert set(ran) == {"refused", "link_first_mentions", "link", "script_text", "make_env", "rows",
                            "copy_file", "dumps", "in_process", "walks"}, ran
        assert min(ran[k] for k in ("refused", "link_first_mentions", "script_text", "copy_file", "dumps")) >= 10, ran
    fast, old = tree_digest(real_editions.site), tree_digest(slow)
    assert sorted(fast) == sorted(old)
    assert [name for name in fast if fast[name] != old[name]] == []
    assert any(name.startswith("zh/stories/") for name in fast)


FRAGMENTS = [
    "<p>Plain text, kept to the byte.</p>",
    '<p><a href="https://example.org/">a link</a> and <em>emphasis</em></p>',
    '<p>A break<br>and a rule</p><hr><ol start="2"><li>two</li></ol>',
    "<p>Markdown's spelling: <br /> and &rsquo; and &#8617;</p>",
    '<p><a href="javascript:alert(1)">x</a></p>',
    '<p><a href="&#106;avascript:alert(1)">x</a></p>',
    '<p style="color: red">x</p>',
    "<p><script>alert(1)</script></p>",
    "<p><b>unclosed</p>",
    "<p>a</b> stray end tag</p>",
    "<!DOCTYPE html><p>x</p>",
    "<p>a comment <!-- here --></p>",
    "<p>&#65535; a non-character</p>",
    "<p>a NUL \x00 here</p>",
    '<p><img src="photos/x.jpg" alt="x" width="3" height="2"></p>',
    '<p><img src="photos/x.jpg" alt="x" width="3" height="2" /></p>',
    '<p title="a &quot;quote&quot; and &amp;">x</p>',
    "<p>x < y and y > x</p>",
    "<p>x &lt; y</p>",
    '<a href="https://e.org/" href="javascript:x">twice</a>',
    "<table><tr><td>no tbody</td></tr></table>",
]


@pytest.mark.parametrize("fragment", FRAGMENTS)
def test_the_allowlist_says_what_it_said(fragment):
    assert sanitize.refused(fragment) == slow_paths.refused(fragment)


def test_the_short_way_is_taken_only_when_nh3_keeps_the_html_to_the_byte():
    kept = [f for f in FRAGMENTS if sanitize.clean(f) == f]
    assert kept and all(sanitize.refused(f) == [] for f in kept)
    assert len(kept) < len(FRAGMENTS)


def test_the_real_stories_refusals_are_the_same():
    bodies = [p.read_text(encoding="utf-8") for p in sorted((REPO / "stories").rglob("*.md"))]
    assert len(bodies) > 20
    for body in bodies:
        html = sanitize.render(body)
        assert sanitize.refused(html) == slow_paths.refused(html)


def site_markdown():
    """The Markdown the published pages are made with: mkdocs.yml's extensions, and the hook's line breaks."""
    import markdown
    from mkdocs.config import load_config
    from docarchive import linebreaks
    config = load_config(str(REPO / "mkdocs.yml"))
    return markdown.Markdown(extensions=[*config.markdown_extensions, linebreaks.CJKLineBreaks()],
                             extension_configs=config.mdx_configs)


def test_every_real_story_page_takes_the_short_way_with_the_full_ways_verdict():
    converter = site_markdown()
    pages = [converter.reset().convert(p.read_text(encoding="utf-8").split("\n---\n", 1)[-1])
             for p in sorted((REPO / "stories").rglob("*.md"))]
    assert len(pages) > 20 and any("&rsquo;" in h for h in pages) and any("<hr />" in h for h in pages)
    for html in pages:
        assert sanitize.clean(html) == sanitize.nh3_spelling(html, sanitize._walk(html))  # smart quotes, footnotes' &#8617;, <hr />
        assert sanitize.refused(html) == slow_paths.refused(html) == []


# References and void tags in every place they can stand, with what could end or join them beside them.
REFERENCES = ["&rsquo;", "&ldquo;", "&#8617;", "&#x21A9;", "&#160;", "&#xa0;", "&nbsp;", "&amp;", "&lt;", "&gt;",
              "&quot;", "&#39;", "&#60;", "&#34;", "&#10;", "&#8200;", "&#x3000;", "&#0;", "&#128;", "&#xD800;",
              "&#x110000;", "&#65535;", "&rsquo", "&amp;rsquo;", "&ampx&rsquo;", "&not&rsquo;in;", "&notin;",
              "&frac12;", "&ThickSpace;", "&nosuch;", "&#1114111;", "&#99999999;"]
PLACES = ["<p>{}</p>", "<p>a{}b</p>", '<p title="{}">x</p>', "<p title='{}'>x</p>", "<p title={}>x</p>",
          "<p title=a{}b>x</p>", '<a href="{}x">y</a>', '<a href="java{}script:x">y</a>', "<p>x <!-- {} --></p>",
          "<p>x</p {}>", "<p {}>x</p>", "<pre><code>{} <hr /></code></pre>", "<p>{}<br />{}</p>",
          '<p title="<hr />{}">x</p>', "<p>{}</p><hr /><hr/><hr  /><br />"]


@pytest.mark.parametrize("place", PLACES)
def test_nh3s_spelling_changes_nothing_the_walk_reads_and_no_verdict(place):
    for reference in REFERENCES:
        fragment = place.format(reference, reference)
        assert sanitize.refused(fragment) == slow_paths.refused(fragment), fragment
        walk = sanitize._walk(fragment)
        respelled = sanitize._walk(sanitize.nh3_spelling(fragment, walk))
        if not walk.refusals:
            assert (respelled.tokens, respelled.text) == (walk.tokens, walk.text), fragment


def test_the_respelling_reaches_the_short_way_only_through_nh3s_own_output():
    respelled = [f for f in FRAGMENTS if sanitize.clean(f) != f and sanitize.clean(f) == sanitize.nh3_spelling(f, sanitize._walk(f))]
    assert "<p>Markdown's spelling: <br /> and &rsquo; and &#8617;</p>" in respelled
    plain = "<p>&amp; &lt; &#8200; &#160;<hr /></p>"
    assert sanitize.nh3_spelling(plain, sanitize._walk(plain)) == "<p>&amp; &lt; &#8200; &nbsp;<hr></p>"


JSON_CASES = [
    {}, [], (), {"a": {}}, {"a": []}, [[]], [{}], "text", 3, 2.5, True, None, float("nan"),
    {"mixed": [1, 2.5, True, False, None, 'quote " backslash \\ newline \n tab \t', "中文 \u2028 \x01 <"]},
    {"deep": {"deeper": [{"deepest": ["x"]}]}},
    {"tuple": (1, (2, 3))},
]


@pytest.mark.parametrize("value", JSON_CASES, ids=range(len(JSON_CASES)))
def test_the_json_ld_is_written_as_the_library_writes_it(value):
    assert linkeddata.indented_json(value) == json.dumps(value, ensure_ascii=False, indent=1)


class _Number(enum.IntEnum):
    ONE = 1


class _Text(str):
    pass


UNUSUAL_JSON = [
    {"floats": [float("nan"), float("inf"), -float("inf"), 1e300, -0.0, 1.5e-7]},
    {"subclasses": [_Number.ONE, _Text("text"), collections.OrderedDict(b=1, a=[])]},
    {"a str subclass as a key": {_Text("k"): 1}},
    {1: "an int key", None: "a None key"},
    [[[]], {}, "", 0, -1, 10**30],
]


@pytest.mark.parametrize("value", JSON_CASES + UNUSUAL_JSON, ids=range(len(JSON_CASES) + len(UNUSUAL_JSON)))
def test_the_downloads_json_is_written_as_the_library_writes_it(value):
    assert jsontext.dumps(value) == json.dumps(value, ensure_ascii=False, indent=1)


@pytest.mark.parametrize("uri", ["cite/stories/a.bib", "a", "./a/b", "a//b", "a/./b", "a/", "a/.", "/a", "a/../b",
                                 ".", "..", "a\\b", "cite/stories/.bib", "data/x.json"])
def test_a_generated_files_path_is_normalised_as_mkdocs_does(uri, tmp_path):
    config = types.SimpleNamespace(site_dir=str(tmp_path), use_directory_urls=True,
                                   plugins=types.SimpleNamespace(_current_plugin=None))
    ours, theirs = (cls.generated(config, uri, content="x") for cls in (mkdocs_glue.GeneratedFile, File))
    assert (ours.src_uri, ours.dest_uri, ours.url) == (theirs.src_uri, theirs.dest_uri, theirs.url)


def test_a_generated_file_makes_its_folders_and_writes_what_mkdocs_writes(tmp_path):
    config = types.SimpleNamespace(site_dir=str(tmp_path / "site"), use_directory_urls=True,
                                   plugins=types.SimpleNamespace(_current_plugin=None))
    contents = {"cite/stories/a.ris": "TY  - ELEC\r\nTI  - \u4e2d\u6587\r\n", "cite/stories/b.json": "[\n]\n",
                "cite/archive.bib": b"\x00bytes\xff", "data/empty.csv": ""}
    for cls, folder in ((mkdocs_glue.GeneratedFile, "site"), (File, "mkdocs")):
        config.site_dir = str(tmp_path / folder)
        for uri, content in contents.items():
            cls.generated(config, uri, content=content).copy_file()
        (tmp_path / folder / "cite/stories/a.ris").write_bytes(b"longer content, to be replaced" * 10)
        cls.generated(config, "cite/stories/a.ris", content=contents["cite/stories/a.ris"]).copy_file()
    assert tree_digest(tmp_path / "site") == tree_digest(tmp_path / "mkdocs")
    assert len(tree_digest(tmp_path / "site")) == len(contents)


def test_what_the_direct_writer_does_not_know_the_library_writes():
    assert linkeddata.script_text({1: "<an int key>"}) == slow_paths.script_text({1: "<an int key>"})
    for unwritable in ({"a set": {1, 2}}, {"an object": object()}):
        with pytest.raises(TypeError):
            linkeddata.script_text(unwritable)


def test_a_link_worked_out_once_is_the_same_link_again():
    asked: list[str] = []

    def relative(uri: str) -> str:
        asked.append(uri)
        return f"../{uri}"

    link = render.Linker(relative)
    first = [link("index.md"), link("index.md"), link("data/" + "x.csv"), link("data/x.csv")]
    assert first == ["../index.md", "../index.md", "../data/x.csv", "../data/x.csv"]
    assert asked == ["index.md", "data/x.csv"]


GETTEXT_CASES = [
    '{{ _("Stages") }} {{ _("Stages") }}',
    '{{ _("100%% sure") }}',
    '{{ _("a %(x)s b", x="<b>") }} {{ _("a %(x)s b", x="<i>") }}',
    '{% autoescape false %}{{ _("<i>%(x)s", x="<b>") }} {{ _("<i>") }}{% endautoescape %} {{ _("<i>") }}',
    '{{ ngettext("%(num)s story", "%(num)s stories", 2) }}',
    '{% trans %}Stages{% endtrans %}',
]


@pytest.mark.parametrize("source", GETTEXT_CASES)
def test_the_shorter_gettext_writes_what_jinjas_own_writes(source):
    slow_paths.TODAY.setdefault("make_env", render.make_env)
    for lang in ("en", "zh"):
        fast_env, slow_env = render.make_env([THEME], lang), slow_paths.make_env([THEME], lang)
        fast, slow = fast_env.from_string(source), slow_env.from_string(source)
        assert fast.render() == slow.render() == fast.render()


def test_a_message_that_is_no_format_fails_as_before():
    slow_paths.TODAY.setdefault("make_env", render.make_env)
    for env in (render.make_env([THEME]), slow_paths.make_env([THEME])):
        with pytest.raises((ValueError, TypeError)):
            env.from_string('{{ _("50% off") }}').render()


class Entity:
    def __init__(self, name: str, name_zh: str = "", aliases: tuple = ()):
        self.name, self.name_zh, self.aliases = name, name_zh, aliases


ENTITIES = [Entity("Linxia", "临夏", ("Linxia Prefecture", "Hezhou")), Entity("Xiamen", "厦门"),
            Entity("Ye Jian", aliases=("Ye",)), Entity(".NET Works", aliases=("-dash start", "C++ Club")),
            Entity("Linxia Prefecture Office")]
MENTION_TEXTS = [
    "<p>Linxia</p>",
    "Linxia at the very start, then Linxia again and Xiamen.",
    "<p>pre-Linxia, Linxia-based, Linxias, xLinxia, _Linxia, 9Linxia and at last (Linxia).</p>",
    "<p>Linxia Prefecture Office is longer than Linxia Prefecture, which is longer than Linxia.</p>",
    "<p>在临夏和厦门之间，临夏州。Hezhou, and Ye Jian met Ye.</p>",
    "<p>.NET Works and a.NET Works, -dash start, x-dash start, C++ Club; C++ Clubs</p>",
    '<h2 id="linxia">Linxia</h2><p><a href="x">Linxia</a> <code>Linxia</code> <span title="Linxia">Linxia</span></p>',
    "<p>No name here at all.</p>",
    "",
]


@pytest.mark.parametrize("html", MENTION_TEXTS)
def test_first_mentions_are_linked_where_they_were(html):
    def link(entity):
        return f"../{entity.name.lower().replace(' ', '-')}/"
    assert render.link_first_mentions(html, ENTITIES, link) == slow_paths.link_first_mentions(html, ENTITIES, link)
    assert render.link_first_mentions(html, ENTITIES[::-1], link) == slow_paths.link_first_mentions(
        html, ENTITIES[::-1], link)


def test_the_mention_cases_do_link_names():
    linked = [render.link_first_mentions(html, ENTITIES, lambda e: "x/") for html in MENTION_TEXTS]
    assert sum('class="da-mention"' in out for out in linked) >= 6
    assert linked[2].count('class="da-mention"') == 1 and '(<a class="da-mention" href="x/">Linxia</a>)' in linked[2]


class Card:
    """A row macro that counts how often it is made: Rows calls it as it calls a Jinja macro."""
    name = "story_card"

    def __init__(self):
        self.made: list = []

    def __call__(self, item) -> Markup:
        self.made.append(item)
        return Markup("<li>%s</li>") % item.name


def test_a_row_is_made_once_per_link_and_reads_as_the_loop_did():
    items, card = [Entity("A & B"), Entity("C")], Card()
    rows = render.Rows(keep=True)
    here, deeper = (lambda e: f"../{e.name}/"), (lambda e: f"../../{e.name}/")
    first = rows(card, items, here)
    assert first == slow_paths.rows(Card(), items, here) == "<li>A &amp; B</li><li>C</li>"
    assert rows(card, items[::-1], here) == "<li>C</li><li>A &amp; B</li>" and len(card.made) == 2
    rows(card, items, deeper)  # another link to the same stories: made again
    assert len(card.made) == 4
    other = Entity("A & B")  # equal, but another record: never mistaken for the first
    assert rows(card, [other], here) == "<li>A &amp; B</li>" and card.made[-1] is other


def test_an_archives_own_macros_are_made_every_time(tmp_path):
    (tmp_path / "archive").mkdir()
    assert render.make_env([tmp_path, THEME]).globals["rows"].keep  # no override: the engine's rows are kept
    (tmp_path / "archive" / "macros.html").write_text((THEME / "archive" / "macros.html").read_text("utf-8"))
    rows, card = render.make_env([tmp_path, THEME]).globals["rows"], Card()
    assert not rows.keep
    rows(card, [ENTITIES[0]], lambda e: "x/"), rows(card, [ENTITIES[0]], lambda e: "x/")
    assert len(card.made) == 2
