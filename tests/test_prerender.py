"""Generated pages (the story pages' furniture...) laid out ahead in a forked worker (docarchive.prerender):
the same bytes as pages made in the build's own process, and every way back to those.

The worker's module is tested apart from MkDocs first (the splice, the body a template may only place, a copy
of it looked into and caught by the two stand-ins, the templates known from their source to only place it, the
child's errors, log records, death and reaping); then real builds: the fixture archive's two editions and
this repository's archive, each built with and without the worker (DOCARCHIVE_PRERENDER=0), compared file by
file; a theme whose story template uses the body otherwise, and one whose story and stage templates copy it
and look into the copy; a template error raised in the worker; and a Python without os.fork.
"""

from __future__ import annotations

import fcntl
import logging
import mmap
import os
import pickle
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup
from support import REPO, build_editions, make_archive, run_mkdocs, tree_digest

from docarchive import forked, prerender

THEME = REPO / "hooks" / "docarchive" / "theme"
LAID_OUT = "Pages laid out ahead in a worker process: "
JSONLD_MADE = "Pages whose JSON-LD that worker made: "
REUSE_MADE = "The data package, citations' downloads and feed made in that worker: "
MADE_WHOLE = "Pages that worker made whole, Markdown and all: "


_ALONE = prerender._alone


@pytest.fixture(autouse=True)
def single_threaded(monkeypatch):
    """The test run may have threads of its own (a server, the browser's): the jobs here take no lock."""
    monkeypatch.setattr(prerender, "_alone", lambda: True)


def template(source: str) -> jinja2.Template:
    return jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined).from_string(source)


def open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


def reaped(pid: int) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


PAGE = template('<nav>{{ title }} &amp; {{ "<b>" }}</nav><div class="da-prose">{{ body }}</div><p>{{ n }}</p>')


def page_job(n: int):
    return lambda body: PAGE.render(title=f"Story {n}", body=body, n=n)


# ---------------------------------------------------------------- the splice, apart from MkDocs


def test_the_halves_around_the_body_are_the_page_the_template_renders():
    body = '<p>The body, with <a href="x/">a link</a> &amp; “quotes”.</p>\n'
    halves = prerender.lay_out(page_job(3), "<!--marker-->")
    assert halves == ('<nav>Story 3 &amp; &lt;b&gt;</nav><div class="da-prose">', "</div><p>3</p>")
    assert halves[0] + body + halves[1] == page_job(3)(Markup(body))


@pytest.mark.parametrize("source", [
    "<p>no body</p>",
    "{{ body }}<hr>{{ body }}",
    "{{ body }}{{ body|length }}",
    "{% if body %}{{ body }}{% endif %}",
    "{{ body }}{{ body|striptags }}",
    "{{ body|lower }}",
    "{{ body }}{{ body.split('<') }}",
    "{{ body }}{{ body == '' }}",
    "{{ body ~ '!' }}",
    "{{ body }}{{ body|int }}",  # the int filter catches what it can: the refusal is still seen
])
def test_a_template_that_does_more_than_place_the_body_once_is_made_in_the_build(source):
    assert prerender.lay_out(lambda body: template(source).render(body=body), "<!--marker-->") is None


def test_the_stand_in_body_is_placed_by_safe_and_by_a_macro():
    source = "{% macro prose(b) %}<div>{{ b }}</div>{% endmacro %}{{ prose(body|safe) }}"
    assert prerender.lay_out(lambda body: template(source).render(body=body), "<!--m-->") == ("<div>", "</div>")


# A template that makes the body Markup once gets past the stand-in's refusals: what it then does with that copy
# shows in the two layouts, around unlike stand-ins, differing.
COPIED = "{% set b = body|safe %}"


@pytest.mark.parametrize("source", [
    "<div>{{ b }}</div><p>{{ b|length }}</p>",
    "<div>{{ b }}</div><p>{{ b|wordcount }}</p>",
    "<div>{{ b }}</div><p>{{ b|striptags|truncate(40) }}</p>",
    "<p>{{ b|truncate(30) }}</p>",
    "<div>{{ b }}</div><p hidden>{{ b|upper }}</p>",
    "<div>{{ b }}</div><p>{{ b|striptags }}</p>",
    "{% if '<p>' in b %}<p class=has-text>{% endif %}<div>{{ b }}</div>",
    "{% if '<table' in b %}<p class=has-table>{% endif %}<div>{{ b }}</div>",
    "{% if b|length > 1000 %}<p class=long>{% endif %}<div>{{ b }}</div>",
    "{% if b|lower == b %}<p class=lower>{% endif %}<div>{{ b }}</div>",
    "<div>{{ b }}</div><div hidden>{{ b }}</div>",
    "{% for part in [b, b] %}{{ part }}{% endfor %}",
])
def test_a_template_that_looks_into_a_copy_of_the_body_is_made_in_the_build(source):
    render = template(COPIED + source).render
    assert prerender.lay_out(lambda body: render(body=body), "<!--docarchive:body:1234-->") is None


def test_a_copy_of_the_body_placed_once_is_laid_out():
    render = template(COPIED + "<nav>{{ n }}</nav>{% if n %}<div>{{ b }}</div>{% endif %}").render
    halves = prerender.lay_out(lambda body: render(body=body, n=2), "<!--docarchive:body:1234-->")
    assert halves == ("<nav>2</nav><div>", "</div>")


def test_the_two_stand_ins_are_unlike():
    short = "<!--docarchive:body:0123456789abcdef-->"
    long = prerender._unlike(short)
    assert len(long) > 30 * len(short) and len(Markup(long).striptags().split()) > 100
    assert Markup(short).striptags() == "" and long.lower() != long != long.upper()
    for html in ("<p>", "<a ", "<img ", "<table>", "<h2", "<code>", "<li>", 'class="footnote"', 'class="admonition'):
        assert html in long and html not in short
    assert short not in long and long.count(long[:len(short)]) == 1


def test_an_error_around_one_stand_in_only_leaves_the_page_to_the_build():
    render = template(COPIED + "{% if b|length < 100 %}{{ no_such.field }}{% endif %}<div>{{ b }}</div>").render
    assert prerender.lay_out(lambda body: render(body=body), "<!--docarchive:body:1234-->") is None
    with pytest.raises(jinja2.UndefinedError):  # around both: the build's error, as it would be made here
        prerender.lay_out(lambda body: template("{{ no_such.field }}{{ body }}").render(body=body), "<!--m-->")


def test_what_a_page_logs_is_logged_once_and_not_at_all_for_a_page_made_in_the_build(caplog):
    def logging_render(source):
        def render(body):
            logging.getLogger("mkdocs.hooks.archive").warning("a photo has no caption")
            return template(COPIED + source).render(body=body)
        return render
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.archive"):
        assert prerender.lay_out(logging_render("{{ b }}"), "<!--m-->") == ("", "")
        assert [r.getMessage() for r in caplog.records] == ["a photo has no caption"]
        caplog.clear()
        assert prerender.lay_out(logging_render("{{ b }}{{ b|length }}"), "<!--m-->") is None
        assert caplog.records == []  # the build logs it when it makes the page


def test_a_page_without_a_body_is_laid_out_whole_and_spliced_only_around_an_empty_body():
    render = template(COPIED + "<h1>{{ n }}</h1>{% if b %}<section>{{ b }}</section>{% endif %}").render
    job = prerender.Bodiless(lambda body: render(body=body, n=1))
    assert prerender.lay_out(job, "<!--m-->") == ("<h1>1</h1>", None)
    assert prerender.splice(("<h1>1</h1>", None), "") == "<h1>1</h1>"
    assert prerender.splice(("<h1>1</h1>", None), "<p>text</p>") is None
    halves = prerender.lay_out(lambda body: render(body=body, n=1), "<!--m-->")
    assert prerender.splice(halves, "<p>text</p>") == "<h1>1</h1><section><p>text</p></section>"
    assert prerender.splice(halves, "") is None  # no stand-in was empty: {% if b %} was answered for text


def environment(**sources: str) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader(sources), autoescape=True, undefined=jinja2.StrictUndefined)


PART = '<p>{{ title }}</p>'


@pytest.mark.parametrize("source", [
    "<div>{{ body }}</div>",
    "{% if n %}<div>{{ body|safe }}</div>{% else %}{{ body }}{% endif %}",
    "{% for x in xs %}{{ x }}{% endfor %}{{ body }}{% include 'part.html' %}",
    "{% import 'part.html' as p with context %}{{ body }}{% set b = title|length %}",
])
def test_a_template_that_only_places_the_body_is_known_from_its_source(source):
    env = environment(**{"page.html": source, "part.html": PART})
    assert prerender.places_only(env, "page.html")


@pytest.mark.parametrize("source", [
    COPIED + "{{ b }}",
    "{% set b %}{{ body }}{% endset %}{{ b }}",
    "{% macro m() %}{{ body }}{% endmacro %}{{ m() }}",
    "{% macro m() %}{{ caller() }}{% endmacro %}{% call m() %}{{ body }}{% endcall %}",
    "{% filter upper %}{{ body }}{% endfilter %}",
    "{% block b %}{{ body }}{% endblock %}{{ self.b()|length }}",
    "{% for x in xs recursive %}{{ body }}{{ loop(x)|length }}{% endfor %}",
    "{{ body|length }}{{ body }}",
    "{{ body|safe|upper }}",
    "{% if body %}{{ body }}{% endif %}",
    "{% with b = body %}{{ b }}{% endwith %}",
    "{{ body }}{% include 'copies.html' %}",
    "{{ body }}{% include name %}",
    "{% extends 'part.html' %}{% block b %}{{ body }}{% endblock %}",
    "{{ body }}{{ self._TemplateReference__context }}",
    "{{ body }}{{ self|attr('_TemplateReference__context') }}",
])
def test_a_template_that_could_do_more_with_the_body_is_not_taken_on_its_word(source):
    env = environment(**{"page.html": source, "part.html": PART, "copies.html": COPIED + "{{ b|length }}"})
    assert not prerender.places_only(env, "page.html")


def counting(env: jinja2.Environment, **context):
    calls = []

    def render(body):
        calls.append(body)
        return env.get_template("page.html").render(body=body, **context)
    return prerender.Layout(render, env, "page.html"), calls


def test_a_page_whose_template_only_places_the_body_is_laid_out_once_and_others_twice():
    job, calls = counting(environment(**{"page.html": "<nav>{{ n }}</nav>{{ body }}"}), n=1)
    assert prerender.lay_out(job, "<!--m-->") == ("<nav>1</nav>", "") and len(calls) == 1
    job, calls = counting(environment(**{"page.html": COPIED + "<nav>{{ n }}</nav>{{ b }}"}), n=1)
    assert prerender.lay_out(job, "<!--m-->") == ("<nav>1</nav>", "") and len(calls) == 2
    job, calls = counting(environment(**{"page.html": COPIED + "{{ b }}{{ b|wordcount }}"}))
    assert prerender.lay_out(job, "<!--m-->") is None and len(calls) == 2


def test_the_engines_templates_only_place_the_body():
    from docarchive import render
    env = render.make_env(render.ENGINE_THEME)
    names = [f"archive/{path.name}" for path in (THEME / "archive").glob("*.html") if path.name != "macros.html"]
    assert len(names) > 10 and all(prerender.places_only(env, name) for name in names)


def test_the_worker_sends_every_page_in_order_and_is_reaped():
    before = open_fds()
    jobs = [(f"stories/s{n}.md", page_job(n)) for n in range(50)]
    worker = prerender.start(jobs)
    assert worker is not None and worker.pid != os.getpid()
    for n in [7, 0, *range(1, 7), *range(8, 50)]:  # the build may ask out of order
        halves = worker.take(f"stories/s{n}.md", wait=True)
        assert halves[0] + "<p>x</p>" + halves[1] == page_job(n)(Markup("<p>x</p>"))
    # The last page taken, the child was waited for: no zombie, and the pipe is closed.
    assert worker.exit_status == 0 and reaped(worker.pid)
    assert worker.taken == worker.keys == 50
    assert open_fds() == before
    assert worker.take("stories/s1.md") is None  # taken already: made in the build
    assert worker.take("stories/other.md") is None  # never laid out


def test_pages_already_received_are_taken_without_waiting():
    worker = prerender.start([(f"s{n}.md", page_job(n)) for n in range(2 * prerender.CHUNK)])
    assert worker.take("s0.md", wait=True) is not None  # the first chunk came with it
    assert all(worker.take(f"s{n}.md") is not None for n in range(1, prerender.CHUNK))
    worker.close(kill=True)
    assert reaped(worker.pid) and worker.take(f"s{prerender.CHUNK}.md") is None


def test_a_page_the_worker_cannot_lay_out_is_none_and_the_others_come():
    jobs = [("a.md", page_job(1)), ("b.md", lambda body: template("{{ body }}{{ body }}").render(body=body)),
            ("c.md", page_job(3))]
    worker = prerender.start(jobs)
    assert worker.take("a.md", wait=True) is not None
    assert worker.take("b.md", wait=True) is None
    assert worker.take("c.md", wait=True) is not None
    assert worker.taken == 2 and reaped(worker.pid)


def failing(n: int):
    def render(body):
        if n == 5:
            raise ValueError("story 5: no such stage 'seven'")
        return page_job(n)(body)
    return render


def test_an_error_in_the_worker_is_raised_in_the_build_at_its_page_with_the_workers_traceback():
    before = open_fds()
    worker = prerender.start([(f"s{n}.md", failing(n)) for n in range(40)])
    for n in range(5):
        assert worker.take(f"s{n}.md", wait=True) is not None
    with pytest.raises(ValueError, match="story 5: no such stage 'seven'") as raised:
        worker.take("s5.md", wait=True)
    cause = raised.value.__cause__
    assert isinstance(cause, prerender.WorkerTraceback)
    assert "in the worker process" in str(cause) and "in render" in str(cause) and "ValueError" in str(cause)
    assert reaped(worker.pid) and open_fds() == before
    assert worker.take("s6.md") is None  # the build makes the rest, if it goes on


class Unpicklable(Exception):
    def __init__(self, what, extra):  # two arguments: pickles, but does not unpickle
        super().__init__(what)
        self.extra = extra


def test_an_error_that_cannot_travel_as_itself_comes_as_its_type_and_message():
    def render(body):
        raise Unpicklable("a lock in the way", extra=1)
    worker = prerender.start([("a.md", render)])
    with pytest.raises(prerender.WorkerError, match="Unpicklable: a lock in the way"):
        worker.take("a.md", wait=True)
    assert reaped(worker.pid)


def test_what_the_worker_logs_is_logged_in_the_build_when_it_takes_that_page(caplog):
    def render(n):
        def make(body):
            if n == 2:
                logging.getLogger("mkdocs.hooks.archive").warning("story %d: a photo has no caption", n)
            return page_job(n)(body)
        return make
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.archive"):
        worker = prerender.start([(f"s{n}.md", render(n)) for n in range(4)])
        worker.take("s0.md", wait=True), worker.take("s1.md", wait=True)
        assert caplog.records == []  # not before the build reaches that page
        worker.take("s2.md", wait=True)
        assert [(r.name, r.levelno, r.getMessage()) for r in caplog.records] == [
            ("mkdocs.hooks.archive", logging.WARNING, "story 2: a photo has no caption")]
        worker.take("s3.md", wait=True)
    assert len(caplog.records) == 1


def test_a_worker_that_dies_leaves_its_remaining_pages_to_the_build():
    def render(n):
        def make(body):
            if n == prerender.CHUNK + 3:
                os.kill(os.getpid(), signal.SIGKILL)
            return page_job(n)(body)
        return make
    worker = prerender.start([(f"s{n}.md", render(n)) for n in range(3 * prerender.CHUNK)])
    got = [worker.take(f"s{n}.md", wait=True) is not None for n in range(3 * prerender.CHUNK)]
    assert got == [True] * prerender.CHUNK + [False] * (2 * prerender.CHUNK)  # the first chunk came
    assert worker.exit_status == -signal.SIGKILL and reaped(worker.pid)


def test_a_failed_build_kills_and_waits_for_the_worker():
    read_fd, write_fd = os.pipe()
    before = open_fds()

    def blocked(body):
        os.read(read_fd, 1)  # never written: the child waits here until it is killed
        return ""
    worker = prerender.start([("a.md", blocked), ("b.md", page_job(2))])
    assert worker in forked.still_running()
    assert worker.take("a.md") is None  # not sent yet: the build makes it rather than wait
    assert worker.exit_status is None and worker in forked.still_running()
    prerender.stop_all()
    assert worker.exit_status == -signal.SIGKILL and reaped(worker.pid)
    assert worker not in forked.still_running() and worker.take("b.md") is None
    assert open_fds() == before
    os.close(read_fd), os.close(write_fd)


def test_without_fork_nothing_is_laid_out_ahead(monkeypatch):
    monkeypatch.delattr(os, "fork")
    assert prerender.start([("a.md", page_job(1))]) is None


def test_beside_another_thread_nothing_is_laid_out_ahead(monkeypatch):
    import threading

    monkeypatch.setattr(prerender, "_alone", _ALONE)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert prerender.start([("a.md", page_job(1))]) is None
    finally:
        stop.set()
        thread.join()


def test_the_worker_sends_each_pages_side_value_unless_it_failed_or_logged(caplog):
    def side(key: str) -> str:
        if key == "s1.md":
            raise ValueError("made again in the build, which raises it there")
        if key == "s2.md":
            logging.getLogger("mkdocs.hooks.archive").warning("logged in the build, in its order")
        return f"side of {key}"

    worker = prerender.start([(f"s{n}.md", page_job(n)) for n in range(2 * prerender.CHUNK + 3)], side=side)
    assert worker is not None
    sides = {key: worker.side(key, wait=True) for key in (f"s{n}.md" for n in range(2 * prerender.CHUNK + 3))}
    assert sides.pop("s1.md") is None and sides.pop("s2.md") is None
    assert sides == {key: f"side of {key}" for key in sides}
    assert worker.sided == len(sides)
    for n in range(2 * prerender.CHUNK + 3):  # the pages are still there to take, and none logs s2's warning
        assert worker.take(f"s{n}.md", wait=True) == prerender.lay_out(page_job(n), "<!--m-->")
    assert "logged in the build" not in caplog.text
    assert worker.exit_status == 0 and worker.side("s3.md") is None  # taken: made in the build


def test_what_the_worker_makes_after_the_pages_is_sent_unless_it_failed():
    def failing():
        raise OSError("made again in the build, which raises it there")

    go_on, told = os.pipe()

    def files():
        os.read(go_on, 1)  # until the build has taken every page
        return {"a.csv": "x,y\n"}

    after = {"files": files, "broken": failing, "last": lambda: [1, 2]}
    worker = prerender.start([(f"s{n}.md", page_job(n)) for n in range(3)], after=after)
    for n in range(3):  # the last page taken, the child is left to make what comes after them
        assert worker.take(f"s{n}.md", wait=True) is not None
    assert worker.exit_status is None
    os.write(told, b"!")
    assert worker.after("files") == {"a.csv": "x,y\n"} and worker.after("broken") is None
    assert worker.after("last") == [1, 2] and worker.after("files") is None  # each taken once
    assert worker.exit_status == 0 and reaped(worker.pid)
    os.close(go_on), os.close(told)


def test_the_child_makes_what_comes_after_the_pages_while_the_build_is_behind():
    """With more pages sent than the build has read (half the pipe), the child makes the next ``after`` then,
    instead of once every page is laid out, when the build would wait for it."""
    read_signal, write_signal = os.pipe()
    probe = os.pipe()
    forked._grow_pipe(probe[1], 1 << 20)
    if fcntl.fcntl(probe[1], 1032) != 1 << 20:  # F_GETPIPE_SZ: the pages below are sized for a megabyte
        pytest.skip("the pipe is not of a megabyte here")
    big = template('<p>{{ n }}</p>{{ "x" * 20000 }}{{ body }}')  # three chunks: 0.96 MB, the pipe not full

    laid_out = []  # in the child: the pages it has laid out (each around one stand-in or two)

    def job(n: int):
        def render(body):
            if n == 3 * prerender.CHUNK + 1:  # the fourth chunk begun: the first three are sent, unread
                os.write(write_signal, b"!")
            laid_out.append(n)
            return big.render(n=n, body=body)
        return render

    keys = [f"s{n}.md" for n in range(5 * prerender.CHUNK)]
    worker = prerender.start(list(zip(keys, map(job, range(len(keys))))),
                             after={"early": lambda: f"made after {len(set(laid_out))} pages"})
    os.read(read_signal, 1)  # the build reads nothing from the worker until then
    for key in keys:
        assert worker.take(key, wait=True) is not None
    # Made once the third chunk was laid out (with two sent, unread: 0.64 MB), not after the 80 pages.
    assert worker.after("early") == f"made after {3 * prerender.CHUNK} pages" and worker.exit_status == 0
    for fd in (read_signal, write_signal, *probe):
        os.close(fd)


def order(count: int, progress: int, lead: int | None, claimed=(), step=None) -> list[tuple[int, str]]:
    """The child's jobs (prerender._order) for a build at page ``progress``; ``step(n, kind)`` may move it on."""
    shared, at = mmap.mmap(-1, count), mmap.mmap(-1, prerender._PROGRESS.size)
    for n in claimed:
        shared[n] = 1
    prerender._PROGRESS.pack_into(at, 0, progress)
    out = []
    for job in prerender._order(count, shared, at, lead):
        out.append(job)
        if step is not None:
            prerender._PROGRESS.pack_into(at, 0, step(*job, prerender._PROGRESS.unpack_from(at)[0]))
    return out


def test_the_child_keeps_the_layouts_ahead_of_the_build_and_makes_the_last_pages_whole_from_the_back():
    # The build at page 3, layouts 4 pages ahead: pages 0-6 laid out, then 9, 8 and 7 whole.
    assert order(10, 3, 4) == [*((n, "page") for n in range(7)), (9, "whole"), (8, "whole"), (7, "whole")]
    assert order(6, 0, None, claimed={1, 4}) == [(0, "page"), (2, "page"), (3, "page"), (5, "page")]  # made in the build
    assert order(4, 0, 0) == [(3, "whole"), (2, "whole"), (1, "whole"), (0, "whole")]  # every page whole
    # The build moving on a page for every second page the child lays out, and for every third it makes whole:
    # the two meet once, each page made once, those laid out before those made whole.
    seen = {"page": 0, "whole": 0}

    def step(n, kind, at):
        seen[kind] += 1
        return at + 1 if seen[kind] % (2 if kind == "page" else 3) == 0 else at
    jobs = order(200, 0, 8, step=step)
    assert sorted(n for n, _ in jobs) == list(range(200))
    laid, whole = [n for n, k in jobs if k == "page"], [n for n, k in jobs if k == "whole"]
    assert laid == list(range(len(laid))) and whole == list(range(199, len(laid) - 1, -1)) and 0 < len(whole) < 200


def test_pages_made_whole_are_taken_whole_with_their_logs_and_side_values(caplog):
    def whole(key):
        logging.getLogger("mkdocs.test").warning(f"made {key} whole")
        if key == "s2.md":
            raise ValueError("left to the build")
        return {"made": key}
    worker = prerender.start([(f"s{n}.md", page_job(n)) for n in range(5)], side=lambda key: f"side of {key}",
                             make_whole=whole, lead=0)
    with caplog.at_level(logging.WARNING, logger="mkdocs.test"):
        for n in range(5):
            key = f"s{n}.md"
            made = worker.whole(key, wait=True)
            if n == 2:  # its job failed in the child: made in the build, its record dropped
                assert made is None and worker.side(key, wait=True) is None and worker.take(key, wait=True) is None
                continue
            assert made == {"made": key} and worker.side(key) == f"side of {key}"
            assert worker.take(key) is None and worker.whole(key) is None  # taken already
    assert [r.getMessage() for r in caplog.records] == [f"made s{n}.md whole" for n in (0, 1, 3, 4)]
    assert worker.taken == worker.taken_whole == 4 and worker.sided == 4
    assert worker.exit_status == 0 and reaped(worker.pid)


def test_a_page_whose_whole_warns_or_whose_side_value_logs_is_left_to_the_build(caplog):
    import warnings

    def whole(key):
        if key == "warns.md":
            warnings.warn("a deprecated setting", DeprecationWarning)
        return key

    def side(key):
        if key == "logs.md":
            logging.getLogger("mkdocs.test").warning("the side value logged")
        return f"side of {key}"
    keys = ["fine.md", "warns.md", "logs.md"]
    worker = prerender.start([(key, page_job(n)) for n, key in enumerate(keys)], side=side, make_whole=whole, lead=0)
    with caplog.at_level(logging.WARNING, logger="mkdocs.test"):
        assert [worker.whole(key, wait=True) for key in keys] == ["fine.md", None, None]
        assert worker.take("warns.md", wait=True) is None and worker.take("logs.md", wait=True) is None
    assert caplog.records == [] and worker.taken == 1 and reaped(worker.pid)


def test_a_page_made_whole_but_asked_for_laid_out_is_made_in_the_build():
    worker = prerender.start([("a.md", page_job(1)), ("b.md", page_job(2))], make_whole=lambda key: key, lead=0)
    assert worker.take("b.md", wait=True) is None  # its render did not ask for it whole (Worker.whole)
    assert worker.whole("a.md", wait=True) == "a.md"
    assert worker.taken == 1 and reaped(worker.pid)


def test_the_stand_in_body_refuses_to_be_read():
    body = prerender.Body("<!--m-->")
    for use in (str, len, bool, list, lambda b: "x" in b, lambda b: b + "x", lambda b: b == "x", lambda b: b.strip):
        with pytest.raises(prerender.BodyUsedOtherwise):
            use(body)
    assert body.__html__() == "<!--m-->" and Markup(body) == "<!--m-->"
    assert isinstance(pickle.loads(pickle.dumps(prerender.WorkerError("x"))), prerender.WorkerError)


# ---------------------------------------------------------------- real builds, with and without the worker


def laid_out(output: str) -> tuple[int, int]:
    line = next(line for line in output.splitlines() if LAID_OUT in line)
    taken, total = line.split(LAID_OUT)[1].split(" of ")
    return int(taken), int(total)


def test_the_fixture_editions_are_the_same_without_the_worker(editions, tmp_path, monkeypatch):
    for name in ("site", "site_zh", "offline", "offline_zh"):
        taken, total = laid_out(editions.outputs[name])
        assert taken == total > 0, (name, taken, total)
        assert f"{JSONLD_MADE}{total} of {total}" in editions.outputs[name]  # every page's JSON-LD too
        assert f"{REUSE_MADE}data package, citations, feed" in editions.outputs[name]  # and those files
    monkeypatch.setenv("DOCARCHIVE_PRERENDER", "0")
    plain = build_editions(tmp_path / "archive")
    assert all(LAID_OUT not in output for output in plain.outputs.values())
    for ours, theirs in ((editions.site, plain.site), (editions.offline, plain.offline)):
        a, b = tree_digest(ours), tree_digest(theirs)
        assert sorted(a) == sorted(b)
        assert [name for name in a if a[name] != b[name]] == []
    assert editions.zip.read_bytes() == plain.zip.read_bytes()


def made_whole(output: str) -> int:
    return int(next(line for line in output.splitlines() if MADE_WHOLE in line).split(MADE_WHOLE)[1])


def test_the_fixture_editions_are_the_same_made_whole_in_the_worker(editions, tmp_path, monkeypatch):
    """Every page made whole in the worker, Markdown and all, against every page laid out there (``editions``)."""
    names = ("site", "site_zh", "offline", "offline_zh")
    assert all(made_whole(editions.outputs[name]) == 0 for name in names)
    monkeypatch.setenv("DOCARCHIVE_PRERENDER", "whole")
    whole = build_editions(tmp_path / "archive")
    for name in names:
        output = whole.outputs[name]
        taken, total = laid_out(output)
        assert taken == total == made_whole(output) > 0, (name, taken, total)
        assert f"{JSONLD_MADE}{total} of {total}" in output
    for ours, theirs in ((whole.site, editions.site), (whole.offline, editions.offline)):
        a, b = tree_digest(ours), tree_digest(theirs)
        assert sorted(a) == sorted(b)
        assert [name for name in a if a[name] != b[name]] == []
    assert whole.zip.read_bytes() == editions.zip.read_bytes()


def test_a_page_made_whole_warns_of_its_links_as_a_page_made_in_the_build(tmp_path):
    root = make_archive(tmp_path / "archive")
    story = root / "stories" / "one" / "alpha.md"
    story.write_text(story.read_text(encoding="utf-8")
                     + "\nSee [a lost page](../../lost.md) and [a lost part](../../about.md#nowhere).\n", encoding="utf-8")
    said = {}
    for mode in ("whole", "0"):
        build = run_mkdocs(root, prerender=mode)
        assert build.returncode == 1 and "Aborted with 1 warnings in strict mode!" in build.output
        said[mode] = [line for line in build.output.splitlines() if "stories/one/alpha.md" in line]
        assert mode == "0" or made_whole(build.output) > 0
    assert said["whole"] == said["0"]
    assert [("WARNING" in line, "lost.md" in line, "#nowhere" in line) for line in said["0"]] == [
        (True, True, False), (False, False, True)]  # MkDocs' check of its links, and of their anchors (INFO)


# A Markdown extension the loader's own check does not use, named in mkdocs.yml: it adds a script to every page.
SCRIPTED = """import markdown


class Adds(markdown.postprocessors.Postprocessor):
    def run(self, text):
        return text + '<script>alert(1)</script>'


class ScriptExtension(markdown.Extension):
    def extendMarkdown(self, md):
        md.postprocessors.register(Adds(md), "adds_script", 0)


def makeExtension(**kwargs):
    return ScriptExtension(**kwargs)
"""


def test_a_page_the_allowlist_refuses_fails_the_build_as_it_does_without_the_worker(tmp_path):
    root = make_archive(tmp_path / "archive")
    (root / "adds_script.py").write_text(SCRIPTED, encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "markdown_extensions:\n", "markdown_extensions:\n  - adds_script\n", 1), encoding="utf-8")
    said = {}
    for mode in ("whole", "0"):  # in the worker, the refused page is left to the build, which raises
        build = run_mkdocs(root, prerender=mode)
        assert build.returncode == 1
        said[mode] = [line for line in build.output.splitlines() if "the HTML allowlist refuses" in line]
    assert said["whole"] == said["0"] and len(said["0"]) == 1 and "<script>" in said["0"][0]
    assert forked.still_running() == []


ANOTHER_HOOK = """def on_page_markdown(markdown, page, **kwargs):
    return markdown + "\\n\\nAdded by another hook."
"""


def test_no_page_is_made_whole_where_another_plugin_sees_the_markdown(tmp_path):
    root = make_archive(tmp_path / "archive")
    (root / "another.py").write_text(ANOTHER_HOOK, encoding="utf-8")
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("hooks:\n", "hooks:\n  - another.py\n", 1), encoding="utf-8")
    build = run_mkdocs(root, prerender="whole")
    assert build.returncode == 0, build.output
    assert made_whole(build.output) == 0 and laid_out(build.output)[0] > 0
    assert "Added by another hook." in build.html("stories/one/alpha/index.html")


def test_the_real_archive_is_the_same_without_the_worker(real_editions, tmp_path):
    taken, total = laid_out(real_editions.outputs["site"])
    assert taken == total >= 30  # every generated page of the English edition (31 stories and more)
    assert made_whole(real_editions.outputs["site"]) == total  # Markdown and all (support.build_real_editions)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DOCARCHIVE_PRERENDER": "0"}
    site = tmp_path / "site"
    for config, folder in (("mkdocs.yml", site), ("mkdocs-zh.yml", site / "zh")):
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f", config, "--site-dir",
                               str(folder)], cwd=REPO, env=env, capture_output=True, text=True, timeout=600)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert LAID_OUT not in proc.stderr
    ours, theirs = tree_digest(real_editions.site), tree_digest(site)
    assert sorted(ours) == sorted(theirs)
    assert [name for name in ours if ours[name] != theirs[name]] == []
    assert any(name.startswith("zh/stories/") for name in ours)


# A story template that places the body twice on one story, not at all on another, and looks at it on a third.
ODD_BODY = """{% if obj.slug == "alpha" %}<div class="da-prose">{{ body }}</div><div hidden>{{ body }}</div>
{% elif obj.slug == "beta" %}<p>The text is in the printed edition.</p>
{% elif obj.slug == "gamma" %}<div class="da-prose" data-length="{{ body|length }}">{{ body }}</div>
{% else %}<div class="da-prose">{{ body }}</div>{% endif %}"""


def archive_with_story_template(dest: Path, prose: str) -> Path:
    root = make_archive(dest)
    (root / "theme" / "archive").mkdir(parents=True)
    source = (THEME / "archive" / "story.html").read_text(encoding="utf-8")
    assert source.count('<div class="da-prose">{{ body }}</div>') == 1
    (root / "theme" / "archive" / "story.html").write_text(
        source.replace('<div class="da-prose">{{ body }}</div>', prose), encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  name: material\n", "  name: material\n  custom_dir: theme\n", 1), encoding="utf-8")
    return root


def test_a_story_template_that_uses_the_body_otherwise_has_those_pages_made_in_the_build(tmp_path, monkeypatch):
    root = archive_with_story_template(tmp_path / "archive", ODD_BODY)
    build = run_mkdocs(root)
    assert build.returncode == 0, build.output
    taken, total = laid_out(build.output)
    assert total > 6 and taken == total - 3  # alpha, beta and gamma made in the build
    alpha = build.html("stories/one/alpha/index.html")
    assert alpha.count('class="da-prose"') == 1 and "<div hidden>" in alpha
    assert "printed edition" in build.html("stories/one/beta/index.html")
    assert 'data-length="' in build.html("stories/two/gamma/index.html")
    monkeypatch.setenv("DOCARCHIVE_PRERENDER", "0")
    shutil.copytree(root / "site", tmp_path / "with-worker")
    plain = run_mkdocs(root)
    assert plain.returncode == 0, plain.output
    assert tree_digest(tmp_path / "with-worker") == tree_digest(root / "site")


# A story template and a stage template that each copy the body and look into the copy, one way a story.
COPYING_STORY = COPIED + """{% if obj.slug == "aardvark" %}<div class="da-prose" data-length="{{ b|length }}">{{ b }}</div>
{% elif obj.slug == "alpha" %}<div class="da-prose" data-words="{{ b|wordcount }}">{{ b }}</div>
{% elif obj.slug == "beta" %}<p class="da-teaser">{{ b|striptags|truncate(40) }}</p><div class="da-prose">{{ b }}</div>
{% elif obj.slug == "gamma" %}<div class="da-prose">{{ b }}</div><p class="da-shout" hidden>{{ b|upper }}</p>
{% elif obj.slug == "delta" %}<div class="da-prose{% if '<p>' in b %} da-has-text{% endif %}">{{ b }}</div>
{% elif obj.slug == "epsilon" %}<div class="da-prose">{{ b }}</div><div class="da-again" hidden>{{ b }}</div>
{% else %}<div class="da-prose">{{ b }}</div>{% endif %}"""
COPYING_STAGE = COPIED + """{% if obj.id == "one" %}<p class="da-teaser">{{ b|truncate(30) }}</p>{% endif %}
<div class="da-prose">{{ b }}</div>"""
LOOKS_INTO = "a page's template does more with its body than place it"


def test_templates_that_look_into_a_copy_of_the_body_give_the_same_site_without_the_worker(tmp_path, monkeypatch):
    root = archive_with_story_template(tmp_path / "archive", COPYING_STORY)
    stage = (THEME / "archive" / "stage.html").read_text(encoding="utf-8")
    (root / "theme" / "archive" / "stage.html").write_text(
        stage.replace('<div class="da-prose">{{ body }}</div>', COPYING_STAGE), encoding="utf-8")
    build = run_mkdocs(root, "--verbose")
    assert build.returncode == 0, build.output
    taken, total = laid_out(build.output)
    assert total > 10 and taken == total - 7  # the six stories and stage one made in the build; the rest laid out
    assert build.output.count(LOOKS_INTO) == 7
    prose = build.html("stories/one/aardvark/index.html").split('data-length="')[1]
    length, text = prose.split('">', 1)
    assert int(length) == len(text.split("</div>\n")[0]) > 0  # the real body's length, not a stand-in's
    assert "da-has-text" in build.html("stories/two/delta/index.html")
    assert "DOCARCHIVE" not in build.html("stories/two/gamma/index.html")
    assert "docarchive:body" not in build.html("stages/one/index.html")
    monkeypatch.setenv("DOCARCHIVE_PRERENDER", "0")
    shutil.copytree(root / "site", tmp_path / "with-worker")
    plain = run_mkdocs(root)
    assert plain.returncode == 0, plain.output
    assert LAID_OUT not in plain.output
    assert tree_digest(tmp_path / "with-worker") == tree_digest(root / "site")


def test_a_template_error_in_the_worker_fails_the_build_naming_it(tmp_path, monkeypatch):
    broken = '{% if obj.slug == "gamma" %}{{ obj.no_such_field }}{% endif %}<div class="da-prose">{{ body }}</div>'
    root = archive_with_story_template(tmp_path / "archive", broken)
    build = run_mkdocs(root)
    assert build.returncode != 0
    assert "no attribute 'no_such_field'" in build.output and "stories/two/gamma.md" in build.output
    assert "in the worker process that lays out pages ahead" in build.output
    monkeypatch.setenv("DOCARCHIVE_PRERENDER", "0")  # the same error, made in the build's own process
    plain = run_mkdocs(root)
    assert plain.returncode != 0 and "no attribute 'no_such_field'" in plain.output
    error = [line for line in build.output.splitlines() if line.startswith("ERROR")]
    assert error and error == [line for line in plain.output.splitlines() if line.startswith("ERROR")]


NO_FORK = "import os, sys; del os.fork; from mkdocs.__main__ import cli; sys.argv[0] = 'mkdocs'; cli()"


def test_without_fork_the_site_is_the_same(mini_site, tmp_path):
    assert laid_out(mini_site.output)[0] == laid_out(mini_site.output)[1] > 0
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-c", NO_FORK, "build", "--strict", "--site-dir", str(tmp_path / "site")],
                          cwd=mini_site.root, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert LAID_OUT not in proc.stderr
    assert tree_digest(tmp_path / "site") == tree_digest(mini_site.site)


def in_process_build(root: Path, monkeypatch, command: str = "build", started: list | None = None) -> list:
    """Build ``root`` in this process as ``mkdocs <command>`` would; the workers it started go in ``started``."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    from docarchive import mkdocs_glue

    started, start = [] if started is None else started, prerender.start
    monkeypatch.setattr(prerender, "start", lambda jobs, **kw: started.append(start(jobs, **kw)) or started[-1])
    monkeypatch.chdir(root)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config.plugins.on_startup(command=command, dirty=False)
    try:
        mkdocs_build.build(config, serve_url="http://127.0.0.1:8000/" if command == "serve" else None)
    finally:
        mkdocs_glue.hold_loaded(False)
    return started


def test_pages_made_whole_while_the_build_takes_the_others_laid_out_give_the_same_site(tmp_path, monkeypatch):
    """The default way (no waiting): the worker lays the first pages out, two ahead of a build slowed down here
    (its pages take 20 ms each), and makes the others whole from the last one back."""
    from docarchive import mkdocs_glue

    root = make_archive(tmp_path / "archive")
    monkeypatch.setenv("DOCARCHIVE_PRERENDER", "0")
    in_process_build(root, monkeypatch)
    shutil.move(root / "site", tmp_path / "without-worker")
    monkeypatch.delenv("DOCARCHIVE_PRERENDER")
    monkeypatch.setattr(prerender, "LEAD", 2)
    build_pid, describe = os.getpid(), mkdocs_glue.ArchiveBuild.describe

    def slowly(self, page, spec):
        if os.getpid() == build_pid:
            time.sleep(0.02)
        return describe(self, page, spec)
    monkeypatch.setattr(mkdocs_glue.ArchiveBuild, "describe", slowly)
    [worker] = in_process_build(root, monkeypatch)
    assert worker.exit_status == 0 and 0 < worker.taken_whole < worker.taken  # pages of both kinds taken
    assert tree_digest(root / "site") == tree_digest(tmp_path / "without-worker")


def test_generated_files_the_worker_did_not_make_are_made_in_the_build(tmp_path, monkeypatch):
    from docarchive import datapackage

    root = make_archive(tmp_path / "archive")
    [worker] = in_process_build(root, monkeypatch)
    assert worker is not None and worker.exit_status == 0
    shutil.copytree(root / "site", tmp_path / "with-worker")
    monkeypatch.setattr(prerender.Worker, "after", lambda self, key: None)  # as a worker ended before its end
    made: list = []
    files = datapackage.files
    monkeypatch.setattr(datapackage, "files", lambda *a: made.append(a) or files(*a))
    in_process_build(root, monkeypatch)
    assert len(made) == 1  # made here, once
    assert tree_digest(tmp_path / "with-worker") == tree_digest(root / "site")
    assert (root / "site" / "feed.xml").is_file() and (root / "site" / datapackage.DESCRIPTOR).is_file()
    assert any((root / "site" / "cite" / "stories").iterdir())


def test_the_planned_generated_files_are_the_made_ones_in_their_order(tmp_path):
    from docarchive import citations, datapackage, loader

    archive = loader.load_archive(make_archive(tmp_path / "archive"))
    assert datapackage.paths() == list(datapackage.files(archive, "Archive", ""))
    cites = {key: citations.Cite(key, {"id": key, "type": "webpage", "title": key}, Markup(""))
             for key in ("stories/alpha", "photos/p1", "archive")}
    assert citations.paths(cites) == list(citations.files(cites))


def test_under_serve_no_worker_is_started(tmp_path, monkeypatch):
    assert in_process_build(make_archive(tmp_path / "archive"), monkeypatch, "serve") == []
    assert (tmp_path / "archive" / "site" / "stories" / "one" / "alpha" / "index.html").is_file()


def test_a_build_that_fails_after_the_fork_kills_and_waits_for_the_worker(tmp_path, monkeypatch):
    from docarchive import render

    def failing(*args):  # at the first story page, laid out ahead or not: the worker has pages left to give
        raise RuntimeError("the disk is full")
    monkeypatch.setattr(render, "page_body", failing)
    root = make_archive(tmp_path / "archive")
    started: list = []
    with pytest.raises(RuntimeError, match="the disk is full"):
        in_process_build(root, monkeypatch, started=started)
    [worker] = started
    assert worker is not None and worker.exit_status is not None and reaped(worker.pid)
    assert forked.still_running() == []
