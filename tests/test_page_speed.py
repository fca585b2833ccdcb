"""The speed-ups of the hook's page content (issue 9) change no byte: this repository's archive, both
editions, built with today's code and with the code as it was (tests/slow_paths.py), is the same site;
and each faster path gives what the slower one gives on the cases the archive does not reach.

What is faster: the allowlist's check skips its second walk when nh3 keeps the HTML as nh3 spells it, and its
first too when the HTML is of a plain shape, read at a glance, with nothing in it refused; a story's first
mentions are looked for only under the names the page holds, with a pattern the regex engine skips through;
a page works out each link once, and a build each relative URL that is the same from every page as deep
(render.RelativeUrls); ``_()`` goes straight to the catalogue, and a message with nothing to fill in is made
once; a template's calls take a shorter way (render.CallingContext); the JSON-LD is written by
linkeddata.indented_json; publication URLs are looked up in Files' dict first; a story's card is made once
per build and reused by every list whose link to it is the same (render.Rows); the generated files (the
citations' downloads, the data package) are made and written by mkdocs_glue.GeneratedFile, their JSON by
jsontext; jieba's dictionary is read from jiebacache's copy, and the story files by readahead's worker, which
then compiles the templates (precompile); on a cold build the generated files are written, and the pages
checked for off-site fetches, by a helper process (offload.py; tests/test_offload.py), and site/ is walked
once after the build.
"""

from __future__ import annotations

import collections
import enum
import json
import os
import subprocess
import sys
import types
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import Markup
from mkdocs.structure.files import File
import slow_paths
from support import REPO, tree_digest

from docarchive import jsontext, linkeddata, mkdocs_glue, render, sanitize

THEME = Path(render.__file__).parent / "theme"


def slow_build(config: str, site_dir: Path) -> str:
    # In the build's own process, as it was: the old paths' counts are this process's (no prerender worker).
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DOCARCHIVE_PRERENDER": "0"}
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
                            "copy_file", "dumps", "relative_urls", "preload", "readahead", "in_process", "walks",
                            "reuse_here"}, ran
        assert min(ran[k] for k in ("refused", "link_first_mentions", "script_text", "copy_file", "dumps",
                                    "relative_urls")) >= 10, ran
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


def _calls_env(context_class):
    """An environment as render.make_env makes it, with the given template context, and callables of every kind."""
    import jinja2

    env = render.make_env([THEME])
    env.context_class = context_class

    def plain(*args, **kwargs):
        return repr((args, sorted(kwargs.items())))

    @jinja2.pass_context
    def seen(context, name):  # what the context holds where it is called: loop and block variables too
        return repr(context.get(name, "none"))

    @jinja2.pass_eval_context
    def escaping(eval_ctx):
        return str(eval_ctx.autoescape)

    @jinja2.pass_environment
    def environment(env):
        return type(env).__name__

    def stop(*args):
        raise StopIteration

    class Thing:
        def method(self, x):
            return f"method {x}"

        @jinja2.pass_context
        def with_context(self, context, name):
            return repr(context.get(name, "none"))

    class CallableWithContext:
        @jinja2.pass_context
        def __call__(self, context, name):
            return repr(context.get(name, "none"))

    env.filters["stop"] = stop
    env.globals.update(plain=plain, seen=seen, escaping=escaping, environment=environment, stop=stop,
                       thing=Thing(), callable_with_context=CallableWithContext(), words={"a": "b"},
                       link=render.Linker(lambda uri: f"../{uri}"), markup=Markup("<b>bold</b>"))
    return env


CALL_MACROS = """
{%- macro none_() %}[none]{% endmacro %}
{%- macro one(a) %}[{{ a }}]{% endmacro %}
{%- macro defaults(a, b=2, c="<c>") %}[{{ a }} {{ b }} {{ c }}]{% endmacro %}
{%- macro nested(x) %}({{ one(x) }}{{ defaults(x) }}{{ link(x) }}){% endmacro %}
{%- macro with_caller(a) %}<{{ caller(a) }}>{% endmacro %}
{%- macro named_caller(a, caller=none) %}<{{ caller(a) }}>{% endmacro %}
{%- macro rest() %}{{ varargs }}{{ kwargs }}{% endmacro %}
{%- macro stops() %}{{ 1|stop }}{% endmacro %}
{%- macro sees(name) %}{{ seen(name) }}{% endmacro %}
"""
CALL_CASES = [
    "{{ plain() }} {{ plain(1, 'x') }} {{ plain(a=1) }} {{ plain(1, *[2, 3], **{'k': 'v'}) }}",
    "{% for x in [1, 2] %}{% set y = x * 2 %}{{ seen('y') }} {{ seen('x') }} {{ plain(x) }}{% endfor %}",
    "{% set outer = 'o' %}{{ seen('outer') }}{% for x in [1] %}{{ seen('outer') }}{% endfor %}",
    "{% block b %}{% set z = 3 %}{{ seen('z') }}{% endblock %}",
    "{{ escaping() }}{% autoescape false %}{{ escaping() }}{{ none_() }}{{ one('<i>') }}{% endautoescape %}",
    "{{ environment() }} {{ thing.method(1) }} {% for x in [1] %}{% set w = 1 %}{{ thing.with_context('w') }}{% endfor %}",
    "{% for x in [1] %}{% set w = 2 %}{{ callable_with_context('w') }}{% endfor %}",
    "{{ '-'.join(['a', 'b']) }} {{ words.get('a') }} {{ range(3)|list }} {{ dict(a=1) }} {{ markup }}",
    "{{ stop() is undefined }} {{ stops() is undefined }}",
    "{{ none_() }}{{ one('<x>') }}{{ one(markup) }}{{ defaults(1) }}{{ defaults(1, 3) }}{{ defaults(1, c=5) }}",
    "{{ defaults(a=1) }}{{ defaults(1, 2, 3) }}{{ nested('index.md') }}{{ rest(1, 2, k=3) }}{{ rest() }}",
    "{% call(v) with_caller(1) %}called {{ v }}{% endcall %}{% call(v) named_caller(2) %}c{{ v }}{% endcall %}",
    "{% for x in ['a', 'b'] %}{% set y = x %}{{ one(x) }}{{ sees('y') }}{% endfor %}",
    "{{ link('index.md') }} {{ link('data/x.csv') }} {{ rows(one, ['a', 'b'], link) }}",
    "{{ nothing() }}",
    "{{ one(1, 2) }}",
    "{{ one(b=1) }}",
    "{{ with_caller(1) }}",
    "{{ plain(nothing) }}",
]


@pytest.mark.parametrize("source", CALL_CASES)
def test_the_shorter_call_calls_as_jinjas_own(source):
    import jinja2.runtime

    def outcome(context_class):
        template = _calls_env(context_class).from_string(CALL_MACROS + source)
        try:
            return template.render()
        except Exception as error:  # the same error, with the same message
            return type(error), str(error)

    assert outcome(render.CallingContext) == outcome(jinja2.runtime.Context)


def test_the_shorter_call_is_taken_for_functions_macros_and_links(monkeypatch):
    import jinja2.runtime

    long_way: list = []
    jinjas = jinja2.runtime.Context.call
    assert render._JINJAS_CALL is jinjas
    monkeypatch.setattr(render, "_JINJAS_CALL", lambda *a, **k: long_way.append(a[1]) or jinjas(*a, **k))
    env = _calls_env(render.CallingContext)
    out = env.from_string(CALL_MACROS + "{% for x in [1] %}{{ plain(x) }}{{ one(x) }}{{ defaults(x) }}{{ seen('x') }}"
                          "{{ thing.method(x) }}{{ link('a') }}{{ '-'.join('ab') }}{% endfor %}").render()
    assert out == "((1,), [])[1][1 2 &lt;c&gt;]&#39;none&#39;method 1../aa-b" and long_way == []
    env.from_string(CALL_MACROS + "{{ defaults(1, c=2) }}{{ range(1) }}").render()  # keywords, a class: Jinja's way
    assert len(long_way) == 2


class _StartTags(HTMLParser):
    """html.parser's own reading of a fragment's start tags: name, and (attribute, value) pairs as it gives them."""

    def __init__(self, fragment: str):
        super().__init__(convert_charrefs=True)
        self.tags: list = []
        self.feed(fragment)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))


ATTRIBUTE_CASES = [
    '<p title="a b=c" lang=zh-Hans id="">x</p>', "<p hidden>x</p>", '<a href=x/y/>z</a>', "<br a=b/>",
    '<a href="&#106;avascript:x">x</a>', '<a href="&amp;#106;avascript:x">x</a>', '<a href="java&#x09;script:x">x</a>',
    '<a href="HTTPS://e.org/">x</a>', '<a href=" mailto:x@y">x</a>', '<a href="ftp://e.org/">x</a>',
    '<a href="#fn:1" class="footnote-ref">1</a>', '<p title="&lt;hr /&gt;">x</p><hr />', '<p title="x>y">z</p>',
    '<p title="a"title="b">x</p>', '<p title="a" title="b">x</p>', "<p\ttitle='single'>x</p>", "<p\x0btitle=x>y</p>",
    '<p\xa0title="x">y</p>', '<p title="x"\xa0>y</p>', '<p TITLE="x">y</p>', '<P>x</P>', '<p title=a=b>x</p>',
    '<p data-x="1">x</p>', '<img src="x.jpg" alt="" width=3 height="2" loading=lazy>', '<img src="javascript:x">',
    '<img src="//e.org/x.png" alt="x">', '<time datetime="2010-01">x</time>', '<time data-x="2010">x</time>',
    '<script src="x"></script>', "<style>p{}</style>", '<p>a < b</p>', '<p title="a &quot;b&quot;">x</p>',
    '<ol start="2" reversed type=a><li value=3>x</li></ol>', '<td colspan="2">x</td>', "<p>x</p >", "<p>x</ p>",
    '<a href="x" onclick="y">z</a>', '<span lang="zh-Hans">临夏</span>', '<p title="临夏 &amp; 厦门">x</p>',
]
GLANCE_CASES = FRAGMENTS + ATTRIBUTE_CASES + [p.format(r, r) for p in PLACES for r in REFERENCES]


@pytest.mark.parametrize("fragment", GLANCE_CASES, ids=range(len(GLANCE_CASES)))
def test_the_walk_at_a_glance_reads_the_start_tags_as_html_parser_does(fragment):
    tags = sanitize.plain_start_tags(fragment)
    if tags is not None:
        assert tags == _StartTags(fragment).tags
    assert sanitize.refused(fragment) == slow_paths.refused(fragment)


def test_the_glance_reads_markdowns_pages_and_leaves_the_rest_to_the_walk():
    read = [f for f in GLANCE_CASES if sanitize.plain_start_tags(f) is not None]
    assert len(read) > 100 and len(GLANCE_CASES) - len(read) > 100  # both ways are tried
    refused_at_a_glance = [f for f in ATTRIBUTE_CASES if sanitize.plain_start_tags(f) is not None and
                           sanitize._glance(f) is None]
    assert '<a href="&#106;avascript:x">x</a>' in refused_at_a_glance and '<p data-x="1">x</p>' in refused_at_a_glance
    converter = site_markdown()
    pages = [converter.reset().convert(p.read_text(encoding="utf-8").split("\n---\n", 1)[-1])
             for p in sorted((REPO / "stories").rglob("*.md"))]
    assert all(sanitize._glance(html) is not None for html in pages)


URLS = ["", ".", "./", "/", "a", "a/", "a/b", "a/b/", "a/b.html", "a/./b/", "a/../b/", "../x/", "a//b/", "x.y/",
        "stories/", "stories/one/", "stories/one/bench-1/", "stories/one/bench-10/", "stories/one/bench-1/x.bib",
        "stories/two/bench-2/", "places/hezheng/", "cite/stories/one/bench-1.bib", "index.html", "sub/index.html",
        "img.png", "a/b/c/d/", "%E4%B8%AD/", "a b/", "stories"]


def test_a_relative_url_worked_out_once_per_build_is_mkdocs_own():
    from mkdocs.utils import _norm_parts, get_relative_url

    asked: list = []
    urls = render.RelativeUrls(lambda url, page: asked.append((url, page)) or get_relative_url(url, page))
    for _ in range(2):  # the second time round, from answers kept
        for page in URLS:
            from_page = urls.from_page(page)
            assert [from_page(url) for url in URLS] == [get_relative_url(url, page) for url in URLS], page
    assert len(asked) < len(URLS) ** 2 / 2  # most answers were kept
    assert all(render._parts(path) == _norm_parts(path) for path in URLS)
