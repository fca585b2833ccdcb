"""A cold build's helper process (offload.py) changes no byte and no guarantee: the generated files it writes and
the pages it checks are those of the build done all in one process (tests/slow_paths.py); a file it cannot
write fails the build, named, with nothing half-written and the previous site untouched; a helper that dies
leaves its work to the build, which still makes the whole site and finds every off-site fetch."""

from __future__ import annotations

import errno
import json
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from support import REPO, make_archive, run_mkdocs, tree_digest

from docarchive import offload, sitebuild

CDN_IMAGE = "https://cdn.example.org/photo.png"


def in_one_process(root: Path, site_dir: Path) -> dict:
    """Build ``root`` the former way (tests/slow_paths.py); how often each former path ran."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, str(REPO / "tests" / "slow_paths.py"), "build", "--strict",
                           "--site-dir", str(site_dir)], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return json.loads(proc.stderr.rsplit("slow paths ran: ", 1)[1].splitlines()[0])


def helped(output: str) -> tuple[int, int]:
    """(files written, pages checked) by the helper, from the build's debug log."""
    line = next(line for line in output.splitlines() if "Beside the build:" in line)
    words = line.split("Beside the build: ", 1)[1].split()
    return int(words[0]), int(words[4])


def test_the_fixture_archive_is_the_same_site_built_in_one_process(tmp_path):
    root = make_archive(tmp_path / "archive")
    build = run_mkdocs(root, "-v")
    assert build.returncode == 0, build.output
    written, checked = helped(build.output)
    site = root / "site"
    cite = sorted(p for p in (site / "cite").rglob("*") if p.is_file())
    assert written >= len(cite) > 10  # the citations' downloads, the data package, the feed...
    assert checked == len(list(site.rglob("*.html"))) - 1  # every page but 404.html, a template the build checks
    ran = in_one_process(root, tmp_path / "former")
    assert ran["in_process"] == 1 and ran["walks"] == 2 and ran["copy_file"] >= written
    ours, former = tree_digest(site), tree_digest(tmp_path / "former")
    assert sorted(ours) == sorted(former)
    assert [name for name in ours if ours[name] != former[name]] == []


def test_a_fetch_off_the_site_is_found_by_the_helper_and_by_the_former_check_alike(tmp_path):
    root = make_archive(tmp_path / "archive")
    about = root / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + f'\n<img src="{CDN_IMAGE}" alt="a picture">\n',
                     encoding="utf-8")
    build = run_mkdocs(root, "-v")
    assert build.returncode != 0
    assert helped(build.output)[1] > 1  # the page was checked in the helper
    line = next(line for line in build.output.splitlines() if f"loads {CDN_IMAGE}" in line)
    assert "docs/about.md:" in line and "in 1 page(s), e.g. about/index.html" in line
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    former = subprocess.run([sys.executable, str(REPO / "tests" / "slow_paths.py"), "build", "--strict",
                             "--site-dir", str(tmp_path / "former")], cwd=root, env=env, capture_output=True, text=True)
    assert former.returncode != 0 and line in former.stdout + former.stderr


def build_here(root: Path, monkeypatch) -> None:
    monkeypatch.chdir(root)
    mkdocs_build.build(load_config(str(root / "mkdocs.yml")))


def test_an_unwritable_file_fails_the_build_named_and_the_previous_site_stays(tmp_path, monkeypatch, caplog):
    """A real failure in the real helper: it runs with a limit on the size of the files it writes (RLIMIT_FSIZE),
    so that a file larger than that is cut short by the system mid-write, as on a full disk."""
    root = make_archive(tmp_path / "archive")
    site = sitebuild.build_tree(root, ("mkdocs.yml",))[0]
    site.rename(root / "site")  # the previous good site, as make site publishes it
    previous = tree_digest(root / "site")
    limit = 250
    cite = [name for name in previous if name.startswith("cite/")]
    doomed = [name for name in cite if (root / "site" / name).stat().st_size > limit]
    small = [name for name in cite if name not in doomed]
    assert doomed and small
    limited = f"import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit})); " \
              "from docarchive import offload; sys.exit(offload.main())"
    monkeypatch.setattr(offload.Offload, "command", [sys.executable, "-c", limited])
    monkeypatch.chdir(root)
    with pytest.raises(Abort):
        sitebuild.build_tree(root, ("mkdocs.yml",))
    scratch = root / ".site-build"
    for name in doomed:
        problem = f"{scratch / name}: {os.strerror(errno.EFBIG)} - check that the site folder can be written to"
        assert problem in caplog.text, caplog.text
        assert not (scratch / name).exists()  # nothing half-written
    assert all((scratch / name).read_bytes() == (root / "site" / name).read_bytes() for name in small)
    assert "generated file(s) could not be written (see the list above)" in caplog.text
    assert tree_digest(root / "site") == previous
    assert not offload_running()


def offload_running() -> bool:
    from docarchive import forked
    return any(isinstance(child, offload.Offload) for child in forked.still_running())


def test_a_helper_that_dies_leaves_its_work_to_the_build(tmp_path, monkeypatch, caplog):
    root = make_archive(tmp_path / "archive")
    about = root / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + f'\n<img src="{CDN_IMAGE}" alt="a picture">\n',
                     encoding="utf-8")
    expected = make_archive(tmp_path / "expected")
    (expected / "docs" / "about.md").write_text(about.read_text(encoding="utf-8"), encoding="utf-8")
    build_here(expected, monkeypatch)
    caplog.set_level(logging.INFO, logger="mkdocs")
    start = offload.Offload.start

    def killed(self):  # the helper is killed as soon as it starts
        started = start(self)
        os.kill(self.process.pid, signal.SIGKILL)
        return started

    monkeypatch.setattr(offload.Offload, "start", killed)
    build_here(root, monkeypatch)
    assert "helper process stopped before its end" in caplog.text
    assert f"loads {CDN_IMAGE} from the internet in 1 page(s), e.g. about/index.html" in caplog.text
    ours, theirs = tree_digest(root / "site"), tree_digest(expected / "site")
    assert sorted(ours) == sorted(theirs) and [n for n in ours if ours[n] != theirs[n]] == []
    assert not offload_running()


def test_a_build_that_fails_waits_for_its_helper(tmp_path, monkeypatch):
    """Nothing of a failed build is still being written when the next one starts (mkdocs_glue.build_failed)."""
    from docarchive import mkdocs_glue

    root = make_archive(tmp_path / "archive")
    pages = []

    def failing(self, output, page):
        pages.append(page)
        if len(pages) == 3:
            raise RuntimeError("a page that fails")
        return output

    monkeypatch.setattr(mkdocs_glue.ArchiveBuild, "post_page", failing)
    with pytest.raises(RuntimeError, match="a page that fails"):
        build_here(root, monkeypatch)
    assert not offload_running()
    failed = tree_digest(root / "site" / "cite")  # every file written whole before the build returned
    monkeypatch.undo()
    build_here(root, monkeypatch)
    assert failed and failed == tree_digest(root / "site" / "cite")


def test_a_python_file_in_the_archive_folder_is_not_imported_by_the_helper(tmp_path):
    """The build runs in the archive's folder: a module there (a pull request's json.py) must not run."""
    root = make_archive(tmp_path / "archive")
    (root / "json.py").write_text(f"open({str(tmp_path / 'ran')!r}, 'w').close()\n", encoding="utf-8")
    # As make runs it: the virtualenv's mkdocs script (python -m would put the folder first on the path itself)
    mkdocs = Path(sys.executable).parent / "mkdocs"
    proc = subprocess.run([str(mkdocs), "build", "--strict", "-v"], cwd=root, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert helped(output)[0] > 10  # the helper did write the generated files
    assert not (tmp_path / "ran").exists()
