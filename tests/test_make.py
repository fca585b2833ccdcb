"""Atomic deploys with the real `make site`: a build that fails, or is killed, leaves site/,
site-offline/ and the offline zip as they were, and the next build cleans up after it.

The Makefile runs in a copy of the engine (Makefile, hooks/, mkdocs-offline.yml, package
files) holding the mini fixture archive as its content, with this repository's node_modules
and the contents of its .venv linked in. The copy's .venv has install markers newer than its
pyproject.toml, so make never reinstalls (a `pip install -e .` there would point this
repository's venv at the copy). One copy serves the whole module; each test puts back what
it changed.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
import yaml
from PIL import Image
from support import REPO, make_archive, need, tree_digest

from docarchive import images

OFFLINE_ZIP = re.search(r"^OFFLINE_ZIP\s*:=\s*(\S+)", (REPO / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
ENGINE_FILES = ("Makefile", "pyproject.toml", "package.json", "package-lock.json", "mkdocs-offline.yml",
                "mkdocs-offline-zh.yml")
SCRATCH = (".site-build", ".site-offline-build", ".site-build-zh", ".site-offline-build-zh", "dist/.staged", "site.old", "site-offline.old", OFFLINE_ZIP + ".old")


def make_site(root: Path, **popen) -> subprocess.CompletedProcess | subprocess.Popen:
    command = ["make", "--no-print-directory", "site"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if popen:
        return subprocess.Popen(command, cwd=root, env=env, **popen)
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the engine with the mini archive as its content, after one good `make site`."""
    need(bool(shutil.which("make")) and bool(shutil.which("npm")), "make and npm")
    need((REPO / "node_modules" / ".package-lock.json").is_file(), "node_modules (npm ci)")
    root = tmp_path_factory.mktemp("make") / "project"
    make_archive(root)
    for name in ENGINE_FILES:
        shutil.copy2(REPO / name, root / name)
    shutil.copytree(REPO / "hooks", root / "hooks", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    (root / "node_modules").symlink_to(REPO / "node_modules")
    (root / ".venv").mkdir()
    for entry in (REPO / ".venv").iterdir():
        if not entry.name.startswith("."):  # bin, lib, pyvenv.cfg...; not the install markers
            (root / ".venv" / entry.name).symlink_to(entry)
    for marker in (".venv/.site-installed", ".venv/.test-installed"):
        (root / marker).touch()
    for name in ("pyproject.toml", "package.json", "package-lock.json"):  # older than every install marker
        os.utime(root / name, (0, 0))
    config_path = root / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8").replace(str(REPO / "hooks"), "hooks"))
    config.setdefault("extra", {}).setdefault("docarchive", {})["offline_zip"] = OFFLINE_ZIP
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    first = make_site(root)
    assert first.returncode == 0, first.stdout + first.stderr
    return root


def published(root: Path) -> dict:
    """What readers get: both editions and the zip, byte for byte."""
    return {"site": tree_digest(root / "site"), "offline": tree_digest(root / "site-offline"),
            "zip": (root / OFFLINE_ZIP).read_bytes()}


def leftovers(root: Path) -> list[str]:
    found = [name for name in SCRATCH if (root / name).exists()]
    found += [p.name for p in (root / ".cache" / "photos").glob("*.tmp")]
    return found + [p.name for p in (root / "dist").glob("*.part")]


def test_make_site_publishes_both_editions_and_the_zip_the_site_links(project):
    assert (project / "site" / "index.html").is_file() and (project / "site-offline" / "index.html").is_file()
    name = Path(OFFLINE_ZIP).name
    # the site links (and carries) the zip that was published with it, not a staged or older one
    assert (project / "site" / "downloads" / name).read_bytes() == (project / OFFLINE_ZIP).read_bytes()
    assert f'href="downloads/{name}"' in (project / "site" / "index.html").read_text(encoding="utf-8")
    with zipfile.ZipFile(project / OFFLINE_ZIP) as zf:
        assert f"{name.removesuffix('.zip')}/index.html" in zf.namelist()
    assert leftovers(project) == []


def test_an_image_that_passes_inspection_but_cannot_be_encoded_leaves_everything_as_it_was(project):
    """A 400 x 20000 panorama passes every check, but WebP cannot hold a side over 16383 pixels:
    the build fails while making derivatives, after validation."""
    before = published(project)
    tall = project / "photos" / "tall.png"
    Image.new("RGB", (400, 20000), (90, 90, 90)).save(tall)
    record = project / "photos" / "tall.yml"
    shutil.copy(project / "photos" / "bags.yml", record)
    try:
        assert images.inspect(tall) == []
        build = make_site(project)
        assert build.returncode != 0
        assert "photos/tall.png: cannot make the derivatives of this image" in build.stdout + build.stderr
        assert published(project) == before
    finally:
        tall.unlink()
        record.unlink()


def test_a_site_build_failing_after_the_offline_edition_was_made_leaves_everything_as_it_was(project):
    """The offline edition and its zip are built, then the site fails its post-build check
    (a CDN script that only the site's configuration loads): nothing is published."""
    before = published(project)
    config, offline = project / "mkdocs.yml", project / "mkdocs-offline.yml"
    config_text, offline_text = config.read_text(encoding="utf-8"), offline.read_text(encoding="utf-8")
    config.write_text(config_text + "extra_javascript:\n  - https://cdn.example.org/x.js\n", encoding="utf-8")
    offline.write_text(offline_text + "extra_javascript: []\n", encoding="utf-8")
    try:
        build = make_site(project)
        output = build.stdout + build.stderr
        assert build.returncode != 0
        assert "wrote dist/.staged/" in output  # the offline edition and its zip were made ...
        assert "mkdocs.yml:" in output and "loads https://cdn.example.org/x.js from the internet" in output
        assert published(project) == before  # ... and not published
    finally:
        config.write_text(config_text, encoding="utf-8")
        offline.write_text(offline_text, encoding="utf-8")


def dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(proc.stdout)


def test_a_killed_build_leaves_everything_as_it_was_and_the_next_build_cleans_up(project):
    before = published(project)
    story = project / "stories" / "three" / "epsilon.md"
    story.write_text(story.read_text(encoding="utf-8") + "\nA sentence added after the first build.\n",
                     encoding="utf-8")
    started = time.time() - 1
    build = make_site(project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 120

    def writing_the_site() -> bool:  # this build's .site-build, not one an earlier failed build left
        try:
            return (project / ".site-build").stat().st_mtime >= started
        except FileNotFoundError:
            return False

    # Kill it in the middle: the offline edition and its zip are staged, the site is being written.
    while not writing_the_site() and build.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    os.killpg(build.pid, signal.SIGKILL)
    build.wait(timeout=30)
    assert build.returncode == -signal.SIGKILL, "the build ended before it could be killed"
    assert published(project) == before
    assert leftovers(project), "a killed build leaves its scratch folders"
    # and a temporary derivative of a photo process that died, as a killed encoder leaves it
    stale = project / ".cache" / "photos" / f".0123456789abcdef0123-320.webp.{dead_pid()}.tmp"
    stale.write_bytes(b"half a webp")

    again = make_site(project)
    assert again.returncode == 0, again.stdout + again.stderr
    assert leftovers(project) == []
    after = published(project)
    assert after["site"] != before["site"] and after["offline"] != before["offline"] and after["zip"] != before["zip"]
    assert "A sentence added after the first build." in (project / "site-offline" / "stories" / "three" /
                                                         "epsilon.html").read_text(encoding="utf-8")
    assert (project / "site" / "downloads" / Path(OFFLINE_ZIP).name).read_bytes() == after["zip"]


def test_make_check_validates_without_building_and_fails_on_a_bad_file(project):
    def make_check() -> subprocess.CompletedProcess:
        return subprocess.run(["make", "--no-print-directory", "check"], cwd=project, capture_output=True, text=True,
                              timeout=300, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})

    before = published(project)
    good = make_check()
    assert good.returncode == 0, good.stdout + good.stderr
    assert "ok: 3 stages, 6 stories, 3 photos" in good.stdout
    story = project / "stories" / "two" / "gamma.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text.replace("stage: two", "stage: roots"), encoding="utf-8")
    try:
        bad = make_check()
        assert bad.returncode != 0
        assert "stories/two/gamma.md:3: stage: 'roots' is not a stage - use one of one, two, three" in bad.stderr
    finally:
        story.write_text(text, encoding="utf-8")
    assert published(project) == before  # nothing was built
