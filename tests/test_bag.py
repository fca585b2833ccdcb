"""The release bag (BagIt 1.0, RFC 8493), its verification, and each build's data/build.json.

The mini archive is committed to git in a temporary folder, both editions are
built from it as ``make site`` does, and bagged; then everything is rebuilt and
bagged again: the two bags and their zips must be the same bytes. Copies of a
bag are damaged (one byte changed, a file deleted, a file added) and checked
with our ``docarchive verify`` and with the library's own ``bagit.py --validate``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from support import ZIP, build_editions

from docarchive import __version__, provenance
from docarchive.model import load_archive

COMMIT_DATE = "2020-09-13T12:26:40+00:00"
BAG_NAME = "mini-bag"
BAGIT_PY = Path(sys.executable).with_name("bagit.py")


def _env() -> dict:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "t@example.org",
           "GIT_AUTHOR_DATE": COMMIT_DATE, "GIT_COMMITTER_DATE": COMMIT_DATE}
    env.pop("SOURCE_DATE_EPOCH", None)  # the bag and build.json take the commit's date
    return env


def _run(root: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(list(args), cwd=root, env=_env(), capture_output=True, text=True, timeout=300)


def _build_both(root: Path) -> None:
    for folder in ("site", "site-offline"):
        shutil.rmtree(root / folder, ignore_errors=True)
    py = sys.executable
    build = [py, "-m", "mkdocs", "build", "--strict", "-f"]
    for cmd in ([*build, "mkdocs-offline.yml"], [*build, "mkdocs-offline-zh.yml"],  # as make site does
                [py, "-m", "docarchive", "zip", "site-offline", ZIP],
                [*build, "mkdocs.yml"], [*build, "mkdocs-zh.yml"]):
        proc = _run(root, *cmd)
        assert proc.returncode == 0, proc.stdout + proc.stderr


def _bag(root: Path, out: Path) -> subprocess.CompletedProcess:
    proc = _run(root, sys.executable, "-m", "docarchive", "bag", ".", "--out", str(out))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.fixture(scope="module")
def bagged(tmp_path_factory):
    """The committed mini archive, built and bagged twice from the same commit."""
    root = tmp_path_factory.mktemp("bagged") / "archive"
    build_editions(root)
    (root / ".gitignore").write_text("site/\nsite-offline/\ndist/\n.cache/\n", encoding="utf-8")
    for cmd in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-q", "-m", "archive"]):
        proc = _run(root, *cmd)
        assert proc.returncode == 0, proc.stderr
    commit = _run(root, "git", "rev-parse", "HEAD").stdout.strip()
    _build_both(root)
    first = root.parent / "first" / BAG_NAME
    _bag(root, first)
    build_json = (root / "site" / provenance.BUILD_JSON).read_bytes()
    _build_both(root)
    second = root.parent / "second" / BAG_NAME
    _bag(root, second)
    return {"root": root, "commit": commit, "first": first, "second": second, "build_json": build_json}


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _info(bag: Path) -> dict[str, str]:
    lines = (bag / "bag-info.txt").read_text(encoding="utf-8").splitlines()
    return dict(line.split(": ", 1) for line in lines)


def test_bag_is_bagit_1_0_with_masters_both_editions_and_two_manifests(bagged):
    bag = bagged["first"]
    assert (bag / "bagit.txt").read_text(encoding="utf-8") == \
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    for rel in ("data/masters/stories/one/alpha.md", "data/masters/photos/bags.jpg", "data/masters/photos/bags.yml",
                "data/masters/data/timeline.yml", "data/masters/docs/about.md", "data/masters/mkdocs.yml",
                "data/site/index.html", "data/site-offline/index.html", "data/site/data/build.json"):
        assert (bag / rel).is_file(), rel
    payload = [p for p in (bag / "data").rglob("*") if p.is_file()]
    for alg in ("sha256", "sha512"):
        lines = (bag / f"manifest-{alg}.txt").read_text(encoding="utf-8").splitlines()
        paths = [line.split("  ", 1)[1] for line in lines]
        assert paths == sorted(paths) and len(paths) == len(payload)
        digest, path = lines[0].split("  ", 1)
        assert hashlib.new(alg, (bag / path).read_bytes()).hexdigest() == digest
        tags = (bag / f"tagmanifest-{alg}.txt").read_text(encoding="utf-8").splitlines()
        assert [t.split("  ", 1)[1] for t in tags] == ["bag-info.txt", "bagit.txt", "manifest-sha256.txt",
                                                     "manifest-sha512.txt"]


def test_bag_info_names_organization_date_oxum_commit_and_engine(bagged):
    info = _info(bagged["first"])
    payload = [p for p in (bagged["first"] / "data").rglob("*") if p.is_file()]
    assert info["Source-Organization"] == "Fixture archive project"
    assert info["External-Description"] == "A small archive for the tests."
    assert info["Bagging-Date"] == "2020-09-13"  # the commit's date: SOURCE_DATE_EPOCH is unset
    assert info["Payload-Oxum"] == f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"
    assert info["Git-Commit"] == bagged["commit"] and len(bagged["commit"]) == 40
    assert info["Engine-Version"] == f"docarchive {__version__}"


def test_same_commit_gives_the_same_bag_and_zip_byte_for_byte(bagged):
    first, second = bagged["first"], bagged["second"]
    assert _tree(first) == _tree(second)
    zip_first, zip_second = (b.with_name(b.name + ".zip") for b in (first, second))
    assert zip_first.read_bytes() == zip_second.read_bytes()
    assert (first / "data/site/data/build.json").read_bytes() == bagged["build_json"]


def test_source_date_epoch_dates_the_bag(bagged, tmp_path, monkeypatch):
    from docarchive import bag

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1262304000")  # 2010-01-01
    info = bag.bag_info(bag.BagSpec(bagged["root"], {}, {}))
    assert info["Bagging-Date"] == "2010-01-01"


def _verify(bag: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docarchive", "verify", str(bag)], capture_output=True, text=True,
                          timeout=300)


def _bagit_py(bag: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BAGIT_PY), "--validate", str(bag)], capture_output=True, text=True,
                          timeout=300)


def test_verify_and_bagit_py_accept_the_bag(bagged):
    ours = _verify(bagged["first"])
    assert ours.returncode == 0, ours.stderr
    assert "valid BagIt bag" in ours.stdout and not ours.stderr
    theirs = _bagit_py(bagged["first"])
    assert theirs.returncode == 0, theirs.stderr


@pytest.mark.parametrize("damage", ["change", "delete", "add", "all"])
def test_verify_names_every_damaged_file_and_bagit_py_rejects_it(bagged, tmp_path, damage):
    copy = tmp_path / BAG_NAME
    shutil.copytree(bagged["first"], copy)
    expected = []
    if damage in ("change", "all"):
        target = copy / "data/masters/stories/one/alpha.md"
        raw = bytearray(target.read_bytes())
        raw[10] ^= 0x01
        target.write_bytes(bytes(raw))
        expected.append("changed: data/masters/stories/one/alpha.md")
    if damage in ("delete", "all"):
        (copy / "data/site/sources/index.html").unlink()
        expected.append("missing: data/site/sources/index.html")
    if damage in ("add", "all"):
        (copy / "data/masters/photos/extra.txt").write_text("not in the manifests\n", encoding="utf-8")
        expected.append("added: data/masters/photos/extra.txt")
    ours = _verify(copy)
    assert ours.returncode == 1
    named = [line.split(" (", 1)[0] for line in ours.stderr.splitlines()]
    assert sorted(named) == sorted(expected), ours.stderr
    assert "NOT valid" in ours.stdout
    assert _bagit_py(copy).returncode != 0


def test_verify_rejects_a_folder_that_is_no_bag(tmp_path):
    (tmp_path / "loose.txt").write_text("x", encoding="utf-8")
    proc = _verify(tmp_path)
    assert proc.returncode == 1 and "not a readable bag" in proc.stderr


def test_bag_refuses_a_missing_edition(bagged, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "docarchive", "bag", str(bagged["root"]), "--edition",
                           f"site={tmp_path}", "--out", str(tmp_path / "b")], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 1 and "has no index.html" in proc.stderr
    assert not (tmp_path / "b").exists()


# ---------------------------------------------------------------- data/build.json


def test_build_json_records_engine_commit_dependencies_date_counts_and_masters(bagged):
    record = json.loads(bagged["build_json"])
    model = load_archive(bagged["root"])
    assert record["engine"] == {"name": "docarchive", "version": __version__}
    assert record["git"] == {"commit": bagged["commit"], "content_differs_from_commit": False}
    assert record["build_date"] == dt.datetime.fromisoformat(COMMIT_DATE).strftime("%Y-%m-%dT%H:%M:%SZ")
    for name in ("mkdocs", "mkdocs-material", "markdown", "pillow", "jieba", "jinja2"):
        assert record["dependencies"][name] == metadata.version(name)
    assert record["counts"]["stories"] == len(model.stories) == 6
    assert record["counts"]["photos"] == len(model.photos)
    assert record["counts"]["events"] == len(model.events)
    assert record["counts"]["figures"] == len(model.figures)
    for photo in model.photos:
        entry = record["photo_masters"][photo.id]
        assert entry["sha256"] == hashlib.sha256(photo.image.read_bytes()).hexdigest()
        assert (bagged["root"] / entry["path"]) == photo.image


def test_offline_build_json_records_the_shim_version(bagged):
    record = json.loads((bagged["root"] / "site-offline" / provenance.BUILD_JSON).read_text(encoding="utf-8"))
    lock = json.loads((Path(__file__).resolve().parents[1] / "package-lock.json").read_text(encoding="utf-8"))
    assert record["dependencies"]["npm:iframe-worker"] == lock["packages"]["node_modules/iframe-worker"]["version"]


def test_build_json_lists_every_runtime_dependency_of_pyproject():
    import tomllib

    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    names = [r.split("==")[0] for r in pyproject["project"]["dependencies"]]
    versions = provenance.dependency_versions()
    assert sorted(versions, key=str.lower) == sorted(names, key=str.lower)
    assert versions["citeproc-py"] == metadata.version("citeproc-py") and "feedgen" in versions
