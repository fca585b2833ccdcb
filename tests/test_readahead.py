"""The story files read by a forked worker (readahead.py) load as they load in the build's own process.

Each test loads an archive through mkdocs_glue.LastLoad as a one-off build does (the worker forked) and
compares it with the load without a worker: the same problems at the same lines for every golden case,
the same archive, the same allowlist verdicts kept. The site built with and without the worker is
compared byte for byte in tests/test_page_speed.py (tests/slow_paths.py builds without it).
"""

from __future__ import annotations

import json
import shutil
import threading
import types
from pathlib import Path

import jinja2
import pytest
from support import make_archive
from test_golden import CASES, archive_with_case, report_for

from docarchive import forked, images, loader, mkdocs_glue, readahead, sanitize
from docarchive.problems import ContentError

pytestmark = pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="readahead needs os.fork")


@pytest.fixture(autouse=True)
def only_this_tests_threads(monkeypatch):
    """readahead forks only where no other thread runs, as in `mkdocs build`. A test run has threads of its own
    (the servers of other tests' session fixtures, idle, holding no lock the worker takes): counted out, so
    that the worker forks here as it does in a build, and the threads a test starts still count."""
    others = threading.active_count() - 1
    monkeypatch.setattr(readahead, "threading", types.SimpleNamespace(
        active_count=lambda: threading.active_count() - others))


def as_build(root: Path, command: str = "build") -> types.SimpleNamespace:
    """What LastLoad.load reads of an ArchiveBuild."""
    cache = root / ".cache"
    return types.SimpleNamespace(root=root.resolve(), command=command, cache_dir=cache / "photos",
                                 sanitize_cache=cache / "sanitize", photo_cache=images.cache_for(cache / "photos"))


@pytest.fixture
def worker_reads_all(monkeypatch):
    """The build does not read story files while it waits for the worker's (readahead.PARENT_SHARES)."""
    monkeypatch.setattr(readahead, "PARENT_SHARES", False)


@pytest.fixture
def parent_reads(monkeypatch):
    """How many story files the test's own process read and checked (the worker's count stays in the worker)."""
    made: list[str] = []
    today = loader.read_story

    def counted(text, rel):
        made.append(rel)
        return today(text, rel)
    monkeypatch.setattr(loader, "read_story", counted)
    return made


def report_ahead(root: Path, command: str = "build") -> list[str]:
    """report_for's lines, from a load as the build makes it."""
    try:
        archive = mkdocs_glue.LastLoad().load(as_build(root, command))
    except ContentError as exc:
        return [str(p) if p.is_error else f"WARNING {p}" for p in exc.problems]
    return [f"WARNING {w}" for w in sorted(set(archive.warnings) | set(archive.untranslated))]


@pytest.mark.parametrize("case", CASES)
def test_every_golden_case_reports_the_same_lines_with_the_worker(case, tmp_path, parent_reads, worker_reads_all):
    root = archive_with_case(case, tmp_path)
    ahead = report_ahead(root)
    assert parent_reads == []  # every story was read by the worker
    assert ahead == report_for(root)


def test_the_archive_loaded_with_the_worker_is_the_one_loaded_without(tmp_path, parent_reads, worker_reads_all):
    root = make_archive(tmp_path / "archive")
    with_worker = mkdocs_glue.LastLoad().load(as_build(root))
    assert parent_reads == []
    without = mkdocs_glue.LastLoad().load(as_build(root, "serve"))  # no fork under serve
    assert len(parent_reads) == len(without.stories) > 0
    assert with_worker == without
    assert [s.body for s in with_worker.stories] == [s.body for s in without.stories]


def test_the_verdicts_the_worker_used_are_kept_as_the_load_keeps_them(tmp_path):
    root = make_archive(tmp_path / "archive")
    story = root / "stories" / "one" / "alpha.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nSee [the other story](beta.md) and <em>this</em>.\n",
                     encoding="utf-8")
    mkdocs_glue.LastLoad().load(as_build(root))
    kept = root / ".cache" / "sanitize" / sanitize.VerdictCache.FILE
    with_worker = json.loads(kept.read_text(encoding="utf-8"))
    kept.unlink()
    mkdocs_glue.LastLoad().load(as_build(root, "serve"))
    without = json.loads(kept.read_text(encoding="utf-8"))
    assert with_worker == without and len(without["verdicts"]) >= 1


def test_the_worker_and_the_build_read_from_both_ends_and_stop_where_they_meet(tmp_path):
    root = make_archive(tmp_path / "archive")
    paths = readahead.story_files(root)
    n = len(paths)
    assert n >= 4
    rels = [path.relative_to(root).as_posix() for path in paths]
    claims = bytearray([0, 0, 0] + [readahead.PARENT] * (n - 3))  # the build has taken all but the first three
    worker = readahead.read_claimed(root, paths, claims, range(n), readahead.WORKER)
    assert list(worker) == rels[:3] and list(claims[:3]) == [readahead.WORKER] * 3
    claims = bytearray([readahead.WORKER] * 2 + [0] * (n - 2))  # the worker has taken the first two
    build = readahead.read_claimed(root, paths, claims, range(n - 1, -1, -1), readahead.PARENT)
    assert list(build) == rels[:1:-1] and list(claims[2:]) == [readahead.PARENT] * (n - 2)
    both = {**readahead.read_claimed(root, paths, bytearray(n), range(n), readahead.WORKER)}
    assert sorted(both) == sorted(rels)
    for rel, (text, (doc, rec, values, problems)) in both.items():
        again = loader.read_story(text, rel)
        assert (doc, values, list(problems)) == (again[0], again[2], list(again[3]))
        assert rec == again[1] and rec.key_lines == again[1].key_lines  # the lines too


def test_a_build_that_reads_while_it_waits_loads_the_same_archive(tmp_path):
    root = make_archive(tmp_path / "archive")
    assert readahead.PARENT_SHARES
    assert mkdocs_glue.LastLoad().load(as_build(root)) == mkdocs_glue.LastLoad().load(as_build(root, "serve"))


def test_a_file_changed_after_the_worker_read_it_is_read_again():
    parsed = loader.ParsedFiles()
    parsed.offer("story", lambda: {"stories/one/a.md": ("old text", "what the worker made")})
    assert parsed.get("story", "stories/one/a.md", "new text", lambda: "made here") == "made here"
    parsed.offer("story", lambda: {"stories/one/b.md": ("same text", "what the worker made")})
    assert parsed.get("story", "stories/one/b.md", "same text", lambda: "made here") == "what the worker made"


@pytest.mark.parametrize("shares", [False, True])
def test_a_worker_that_fails_leaves_every_file_to_the_load(tmp_path, monkeypatch, parent_reads, shares):
    monkeypatch.setattr(readahead, "PARENT_SHARES", shares)  # read as the load goes, or all while waiting

    def fails(*args):
        raise RuntimeError("the worker fails")
    monkeypatch.setattr(readahead, "read_stories", fails)
    root = make_archive(tmp_path / "archive")
    archive = mkdocs_glue.LastLoad().load(as_build(root))
    assert len(parent_reads) == len(archive.stories) > 0
    assert archive == mkdocs_glue.LastLoad().load(as_build(root, "serve"))


def test_a_worker_whose_result_is_cut_short_leaves_every_file_to_the_load(tmp_path, monkeypatch, parent_reads,
                                                                         worker_reads_all):
    real_send = forked.write_all
    monkeypatch.setattr(forked, "write_all", lambda fd, data: real_send(fd, data[:len(data) // 2]))
    root = make_archive(tmp_path / "archive")
    archive = mkdocs_glue.LastLoad().load(as_build(root))
    assert len(parent_reads) == len(archive.stories) > 0


def test_no_worker_while_another_thread_runs(tmp_path):
    done = threading.Event()
    thread = threading.Thread(target=done.wait)
    thread.start()
    try:
        assert readahead.start(tmp_path, None) is None
    finally:
        done.set()
        thread.join()
    ahead = readahead.start(tmp_path, None)  # no stories folder: the worker finds none
    assert ahead is not None and ahead.take() == ({}, {})


def test_the_page_templates_the_worker_compiles_are_the_ones_the_build_then_uses(tmp_path, monkeypatch):
    import jinja2

    from docarchive import render

    root = make_archive(tmp_path / "archive")
    build = as_build(root)
    build.env = render.make_env([mkdocs_glue.THEME_DIR])
    build.env.bytecode_cache = jinja2.FileSystemBytecodeCache(str(mkdocs_glue._cache_folder(tmp_path / "jinja")))
    config = types.SimpleNamespace(plugins=types.SimpleNamespace(events={"env": [lambda env: env]}))  # not ours
    mkdocs_glue.LastLoad().load(build, then=lambda: mkdocs_glue.ArchiveBuild.compile_templates(build, config))
    mkdocs_glue.ArchiveBuild.close_worker(build)  # as theme_env does, before the first page
    assert build.ahead is None
    names = build.env.list_templates(filter_func=lambda name: name.startswith("archive/"))
    assert "archive/story.html" in names and "archive/macros.html" in names
    assert len(list((tmp_path / "jinja").iterdir())) == len(names)  # one compiled template each, on disk
    compiled: list[str] = []
    today = build.env.compile
    monkeypatch.setattr(build.env, "compile", lambda source, name=None, *a, **k: compiled.append(name) or today(
        source, name, *a, **k))
    fresh = render.make_env([mkdocs_glue.THEME_DIR])  # what this process would compile itself
    for name in names:
        assert build.env.get_template(name).root_render_func.__code__ == \
            fresh.get_template(name).root_render_func.__code__
    assert compiled == []  # every one read from what the worker left


def test_a_template_edited_after_the_worker_compiled_it_is_compiled_again(tmp_path):
    import jinja2

    from docarchive import render

    theme = tmp_path / "theme"
    shutil.copytree(mkdocs_glue.THEME_DIR, theme)
    cache = jinja2.FileSystemBytecodeCache(str(mkdocs_glue._cache_folder(tmp_path / "jinja")))
    worker_env = render.make_env([theme])
    worker_env.bytecode_cache = cache
    worker_env.get_template("archive/sources.html")  # what the worker leaves on disk
    (theme / "archive" / "sources.html").write_text("<p>{{ 'edited' }}</p>", encoding="utf-8")
    env = render.make_env([theme])
    env.bytecode_cache = cache
    assert env.get_template("archive/sources.html").render() == "<p>edited</p>"


def test_the_theme_templates_are_compiled_ahead_only_when_no_other_plugin_sets_the_environment_up():
    import importlib.util

    from docarchive import plugin, precompile

    spec = importlib.util.spec_from_file_location("archive_hook", mkdocs_glue.THEME_DIR.parents[1] / "archive.py")
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    ours = [hook.on_env, plugin.ArchivePlugin().on_env]
    assert precompile.forwards_only(ours, mkdocs_glue)
    assert precompile.forwards_only([], mkdocs_glue)

    def on_env(env, config, files):  # another plugin's, in a module that has mkdocs_glue too
        env.trim_blocks = True
        return mkdocs_glue.theme_env(env, config)
    assert not precompile.forwards_only([*ours, on_env], mkdocs_glue)
    assert not precompile.forwards_only([lambda env, config, files: env], mkdocs_glue)


def test_the_theme_templates_compiled_ahead_are_those_a_page_uses(tmp_path):
    from docarchive import precompile

    (tmp_path / "partials").mkdir()
    (tmp_path / "main.html").write_text('{% extends "base.html" %}{% block x %}{% include "partials/a.html" %}'
                                        '{% endblock %}', encoding="utf-8")
    (tmp_path / "base.html").write_text('{% import "partials/b.html" as b %}{% block x %}{% endblock %}'
                                        '{% include "partials/" ~ name ~ ".html" %}', encoding="utf-8")
    (tmp_path / "partials" / "a.html").write_text('{% include "partials/b.html" %}', encoding="utf-8")
    (tmp_path / "partials" / "b.html").write_text("b", encoding="utf-8")
    (tmp_path / "partials" / "unused.html").write_text("{% broken", encoding="utf-8")
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path)))
    assert precompile.referenced(env, ["main.html", "missing.html"]) == [
        "main.html", "base.html", "partials/a.html", "partials/b.html"]
    precompile.compile_all(env, ["partials/unused.html", "main.html"])  # a broken one is left to the build
