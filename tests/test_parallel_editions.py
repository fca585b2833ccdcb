"""``docarchive editions`` builds a tree's Chinese edition in a forked process beside its English (sitebuild.py).

Each edition's log is printed whole, the English first; a Chinese build that fails, is killed or hangs fails
the command (non-zero, its error named) without hanging it, and leaves no process behind; where the archive
has content problems, they are reported once, by the English build, as before. That the bytes are those of
the builds one after the other is tests/test_reproducible.py's.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from support import REPO, make_archive

ENGLISH_DONE = "Documentation built in"


def archive(tmp_path: Path, zh_hook: str = "") -> Path:
    """The mini fixture; ``zh_hook``, if given, is the code of a hook that only its Chinese build runs."""
    root = make_archive(tmp_path / "archive")
    if zh_hook:
        (root / "zh_hook.py").write_text(zh_hook, encoding="utf-8")
        with open(root / "mkdocs-zh.yml", "a", encoding="utf-8") as f:
            f.write(f"hooks:\n  - {REPO / 'hooks' / 'archive.py'}\n  - zh_hook.py\n")
    return root


def editions(root: Path, **extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1600000000"}
    env.pop("DOCARCHIVE_EDITIONS", None)
    env.update(extra)
    return subprocess.run([sys.executable, "-m", "docarchive", "editions", "."], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def processes_in(root: Path) -> list[str]:
    """Processes still running whose working folder is ``root`` (the editions' builds and their workers), once
    those that are ending have ended (a worker whose build was killed ends when it finds its pipe closed)."""
    deadline = time.monotonic() + 60
    while True:
        left = []
        for proc in Path("/proc").iterdir():
            try:
                if proc.name.isdigit() and Path(os.readlink(proc / "cwd")) == root:
                    left.append((proc / "cmdline").read_text(errors="replace").replace("\0", " "))
            except OSError:
                continue
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


def test_each_editions_log_is_printed_whole_the_english_first(tmp_path):
    # A warning logged all through the Chinese build, on every page: interleaved with the English log if
    # it were printed as it came.
    hook = ("import logging\nlog = logging.getLogger('mkdocs.hooks.zh')\n"
            "def on_page_markdown(markdown, page, **kw):\n    log.info('zh page ' + page.file.src_uri)\n")
    root = archive(tmp_path, hook)
    built = editions(root)
    assert built.returncode == 0, built.stderr
    lines = built.stderr.splitlines()
    starts = [i for i, line in enumerate(lines) if "Building documentation to directory" in line]
    ends = [i for i, line in enumerate(lines) if ENGLISH_DONE in line]
    assert len(starts) == len(ends) == 2
    assert str(root / ".site-build") == lines[starts[0]].rsplit(" ", 1)[1]  # the English, here
    assert str(root / ".site-build-zh") == lines[starts[1]].rsplit(" ", 1)[1]  # the Chinese, forked
    assert starts[0] < ends[0] < starts[1] < ends[1]
    zh_pages = [i for i, line in enumerate(lines) if "zh page " in line]
    assert len(zh_pages) > 20 and ends[0] < min(zh_pages) and max(zh_pages) < ends[1]
    assert built.stdout.startswith("built the site into .site-build/ in ")
    assert (root / ".site-build" / "zh" / "index.html").is_file() and not (root / ".site-build-zh").exists()
    assert 'lang="zh' in (root / ".site-build" / "zh" / "index.html").read_text(encoding="utf-8")


def test_a_failing_chinese_build_fails_the_command_with_its_error(tmp_path):
    root = archive(tmp_path)
    # A link to a page that does not exist, in the Chinese About page only: a warning, fatal under --strict.
    about = root / "docs" / "about.zh.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[不存在](missing.md)\n", encoding="utf-8")
    built = editions(root)
    assert built.returncode == 1
    assert "Doc file 'about.md' contains a link 'missing.md'" in built.stderr  # MkDocs' words, as ever
    assert "Aborted with 1 warnings in strict mode!" in built.stderr
    assert built.stderr.index(ENGLISH_DONE) < built.stderr.index("missing.md")  # the English's log first
    assert "built the site" not in built.stdout
    assert not (root / ".site-build" / "zh").exists()  # the tree is not put together


def test_a_killed_chinese_build_fails_the_command_and_leaves_no_process(tmp_path):
    hook = "import os, signal\ndef on_post_build(config):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    root = archive(tmp_path, hook)
    built = editions(root)
    assert built.returncode == 1
    assert "mkdocs-zh.yml: build: its process ended without a result (killed by signal 9)" in built.stderr
    assert "DOCARCHIVE_EDITIONS=sequential" in built.stderr
    assert processes_in(root) == []


def test_a_hanging_chinese_build_is_stopped_after_the_wait(tmp_path):
    hook = "import time\ndef on_post_build(config):\n    time.sleep(3600)\n"
    root = archive(tmp_path, hook)
    built = editions(root, DOCARCHIVE_EDITION_WAIT="2")
    assert built.returncode == 1
    assert "mkdocs-zh.yml: build: no result after 2 s in its own process, which was stopped" in built.stderr
    assert processes_in(root) == []


def test_content_problems_are_reported_once_by_the_english_build(tmp_path):
    root = archive(tmp_path)
    story = min(p for p in (root / "stories").rglob("*.md") if not p.name.endswith(".zh.md"))
    story.write_text(story.read_text(encoding="utf-8").replace("stage:", "stage: nowhere\nstaged:", 1),
                     encoding="utf-8")
    built = editions(root)
    assert built.returncode == 1
    problems = [line for line in built.stderr.splitlines() if story.name in line and "ERROR" in line]
    assert problems and len(problems) == len(set(problems))  # each once: the Chinese build never started
    assert "Building documentation to directory" not in built.stderr


def test_the_switch_builds_one_after_the_other(tmp_path):
    hook = "import os, signal\ndef on_post_build(config):\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    root = archive(tmp_path, hook)
    built = editions(root, DOCARCHIVE_EDITIONS="sequential")
    # The hook then kills the one process, after the English build: no forked process to report it.
    assert built.returncode == -9
    assert f"to directory: {root / '.site-build' / 'zh'}" in built.stderr


def test_preload_loads_the_archive_once_for_the_builds_and_is_silent_on_problems(tmp_path, caplog):
    from mkdocs.config import load_config

    from docarchive import mkdocs_glue

    root = archive(tmp_path)
    config = load_config(config_file=str(root / "mkdocs.yml"), strict=True)
    assert mkdocs_glue.preload(config)
    assert mkdocs_glue.LAST_LOAD.key[0] == str(root) and len(mkdocs_glue.LAST_LOAD.archive.stories) == 6
    assert mkdocs_glue.idle()  # the worker that read the stories is reaped: nothing for a fork to inherit
    assert any((root / ".cache" / "photos").glob("*.json"))  # the photos' derivatives made
    story = root / "stories" / "two" / "gamma.md"
    story.write_text(story.read_text(encoding="utf-8").replace("stage: two", "stage: roots"), encoding="utf-8")
    caplog.clear()
    config = load_config(config_file=str(root / "mkdocs.yml"), strict=True)
    assert not mkdocs_glue.preload(config)
    assert [r for r in caplog.records if r.levelno >= 30] == []  # the English build reports them, once
    assert mkdocs_glue.LAST_LOAD.archive is None and mkdocs_glue.idle()
