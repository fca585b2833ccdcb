"""Two clean builds of the same content are byte for byte the same: site/, site-offline/ and the zip.

Both editions are built by ``python -m docarchive editions`` (what ``make site``
runs before it renames the results into place: the offline edition, its zip,
then the site, into .site-offline-build/ and .site-build/, each tree's Chinese
edition in a forked process beside its English), once in one folder from
nothing, then in another folder that starts with the first one's caches (photos,
compiled templates, jieba), so neither the folder's path nor a warm cache may
change a byte; and once more one build after the other in one process
(``DOCARCHIVE_EDITIONS=sequential``), which must give the same bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from support import REPO, make_archive

from docarchive.sitebuild import source_date_epoch

EPOCH = 1600000000  # 2020-09-13 12:26:40 UTC
ZIP = "dist/mini-offline.zip"


def editions(root: Path, **extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(EPOCH), **extra}
    return subprocess.run([sys.executable, "-m", "docarchive", "editions", ".", "--zip", ZIP], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)


def prepare(root: Path) -> Path:
    make_archive(root)
    config_path = root / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    # The fixture's copy has no node_modules of its own: the shim comes from this repository's.
    config.setdefault("extra", {})["docarchive"] = {"offline_zip": ZIP,
                                                    "shim_source": str(REPO / "node_modules" / "iframe-worker")}
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name in ("mkdocs-offline.yml", "mkdocs-zh.yml", "mkdocs-offline-zh.yml"):  # every build of make site
        shutil.copy(REPO / name, root / name)
    return root


def digests(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory):
    base = tmp_path_factory.mktemp("reproducible")
    first = prepare(base / "first")
    built = editions(first)
    assert built.returncode == 0, built.stdout + built.stderr
    second = prepare(base / "second-folder")
    shutil.copytree(first / ".cache", second / ".cache")  # warm caches must not change the output
    built = editions(second)
    assert built.returncode == 0, built.stdout + built.stderr
    return first, second


@pytest.fixture(scope="module")
def sequential(tmp_path_factory):
    """The same archive built as before the editions were built side by side: one after the other."""
    root = prepare(tmp_path_factory.mktemp("reproducible") / "sequential")
    built = editions(root, DOCARCHIVE_EDITIONS="sequential")
    assert built.returncode == 0, built.stdout + built.stderr
    assert f"to directory: {root / '.site-build' / 'zh'}" in built.stderr  # zh/ built in place, after the English
    return root


@pytest.mark.parametrize("folder", [".site-build", ".site-offline-build"])
def test_the_editions_built_side_by_side_are_those_built_one_after_the_other(two_builds, sequential, folder):
    first, _ = two_builds
    one, two = digests(first / folder), digests(sequential / folder)
    assert len([name for name in one if name.startswith("zh/")]) > 20
    assert sorted(set(one) ^ set(two)) == []
    assert [name for name in one if one[name] != two[name]] == []
    assert (first / ZIP).read_bytes() == (sequential / ZIP).read_bytes()


@pytest.mark.parametrize("folder", [".site-build", ".site-offline-build"])
def test_two_clean_builds_are_identical(two_builds, folder):
    first, second = two_builds
    one, two = digests(first / folder), digests(second / folder)
    assert len(one) > 50
    assert sorted(set(one) ^ set(two)) == []
    assert [name for name in one if one[name] != two[name]] == []


def test_the_zips_are_identical_and_dated_source_date_epoch(two_builds):
    first, second = two_builds
    assert (first / ZIP).read_bytes() == (second / ZIP).read_bytes()
    with zipfile.ZipFile(first / ZIP) as zf:
        infos = zf.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert {info.date_time for info in infos} == {datetime.fromtimestamp(EPOCH, timezone.utc).timetuple()[:6]}


def test_the_sitemap_is_dated_source_date_epoch(two_builds):
    first, _ = two_builds
    for folder in (".site-build", ".site-offline-build"):
        data = (first / folder / "sitemap.xml.gz").read_bytes()
        # The gzip header's time is MkDocs' page date (the day of SOURCE_DATE_EPOCH), never the build's.
        assert int.from_bytes(data[4:8], "little") == EPOCH - EPOCH % 86400
        assert "2020-09-13" in gzip.decompress(data).decode("utf-8")


def test_source_date_epoch_defaults_to_the_last_commit(tmp_path, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert source_date_epoch(tmp_path) is None  # not a git checkout: MkDocs uses the build's date
    env = {**os.environ, "GIT_AUTHOR_DATE": "@1500000000 +0000", "GIT_COMMITTER_DATE": "@1500000000 +0000",
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    (tmp_path / "a.md").write_text("a\n", encoding="utf-8")
    for args in (["init", "-q"], ["add", "a.md"], ["commit", "-q", "-m", "a"]):
        subprocess.run(["git", "-C", str(tmp_path), *args], env=env, check=True, capture_output=True)
    assert source_date_epoch(tmp_path) == "1500000000"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234")
    assert source_date_epoch(tmp_path) == "1234"
