"""The live preview rebuilds only what an edit changed, and serves exactly what a clean build gives.

One `mkdocs serve --dirty` (what `make serve` runs) of the mini archive (its site folder found through TMPDIR);
after each kind of edit (a story's text, a story's date that moves it in its
stage, a story added, renamed, deleted, a registry, a photo record, a photo or an
event naming a person or organization, a template of the archive's own theme
folder) the served folder must equal, file for file and byte for byte, a clean
`mkdocs build` of the same content, search index included. Served pages carry
the livereload script only in the responses, never in the files compared.
"""

from __future__ import annotations

import os
import re
import socket
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from support import make_archive, run_mkdocs

from docarchive.mkdocs_glue import THEME_DIR

EPOCH = "1600000000"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Serve:
    """`mkdocs serve` in the background, counting the builds it has finished."""

    def __init__(self, root: Path, port: int):
        self.tmp = root.parent / "serve-tmp"
        self.tmp.mkdir()
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(self.tmp), "SOURCE_DATE_EPOCH": EPOCH}
        self.proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"],
                                     cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def builds(self) -> int:
        """Builds finished: each "Building documentation" whose log goes on to its end line (or to
        livereload's reload, which follows a finished build)."""
        text = "\n".join(self.lines)
        chunks = text.split("Building documentation")[1:]
        return sum("Documentation built in" in c or "Reloading browsers" in c for c in chunks)

    def wait_for_build(self, after: int, timeout: float = 120) -> str:
        """Wait for a build after the first ``after`` ones, then for the server to be idle a moment."""
        deadline = time.monotonic() + timeout
        idle_since = None
        while idle_since is None or time.monotonic() - idle_since < 1.5:
            assert self.proc.poll() is None, "\n".join(self.lines)
            assert time.monotonic() < deadline, "\n".join(self.lines[-30:])
            started = "\n".join(self.lines).count("Building documentation")
            # The watcher starts after the first build: an edit made before it would go unseen.
            idle = (self.builds() > after and started == self.builds()
                    and any("Serving on" in line for line in self.lines))
            idle_since = (idle_since or time.monotonic()) if idle else None
            time.sleep(0.1)
        return next(line for line in reversed(self.lines) if "Live preview:" in line)

    @property
    def site(self) -> Path:
        (folder,) = self.tmp.glob("mkdocs_*")
        return folder

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=20)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    root = make_archive(tmp_path_factory.mktemp("incremental") / "archive")
    port = free_port()
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8").replace("http://127.0.0.1:8000/", f"http://127.0.0.1:{port}/")
    config.write_text(text.replace("theme:\n", "theme:\n  custom_dir: overrides\n"), encoding="utf-8")
    (root / "overrides" / "archive").mkdir(parents=True)
    shutil.copy(THEME_DIR / "archive" / "story.html", root / "overrides" / "archive" / "story.html")
    server = Serve(root, port)
    server.wait_for_build(0)
    yield root, server
    server.stop()


def clean_build(root: Path) -> dict[str, bytes]:
    out = root.parent / "clean"
    shutil.rmtree(out, ignore_errors=True)
    os.environ["SOURCE_DATE_EPOCH"] = EPOCH
    try:
        build = run_mkdocs(root, "--site-dir", str(out))
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]
    assert build.returncode == 0, build.output
    return snapshot(out)


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def story_edit(root):
    replace(root / "stories/one/alpha.md", "More text about alpha.", "More text about alpha, edited.")


def story_reorder(root):
    """A date that moves a story to the front of its stage: every sibling's "story n of N" and neighbours change,
    though the siblings' own files did not (their pages read the stage by id, replayed on the new archive)."""
    replace(root / "stories/one/beta.md", "date: 2012", "date: 2010-01")


def story_add(root):
    text = (root / "stories/two/gamma.md").read_text(encoding="utf-8")
    (root / "stories/two/zeta.md").write_text(text.replace("Gamma", "Zeta").replace("gamma", "zeta"),
                                              encoding="utf-8")


def story_rename(root):
    (root / "stories/two/zeta.md").rename(root / "stories/two/zeta-renamed.md")


def story_delete(root):
    (root / "stories/two/zeta-renamed.md").unlink()


def registry_edit(root):
    path = root / "data/places.yml"
    text = path.read_text(encoding="utf-8")
    first_name = re.search(r"^\s+name: (.+)$", text, re.M).group(1)
    path.write_text(text.replace(f"name: {first_name}", f"name: {first_name} (renamed)", 1), encoding="utf-8")


def photo_edit(root):
    path = root / "photos/bags.yml"
    text = path.read_text(encoding="utf-8")
    caption = re.search(r"^caption: (.+)$", text, re.M).group(1)
    path.write_text(text.replace(f"caption: {caption}", f"caption: {caption} Edited.", 1), encoding="utf-8")


def photo_names_a_person(root):
    """A photo record now names Tian: his page (which reads what names him) must be made again."""
    path = root / "photos/bags.yml"
    path.write_text(path.read_text(encoding="utf-8") + "people: [tian]\n", encoding="utf-8")


def event_names_an_organization(root):
    replace(root / "data/timeline.yml", "  people: [tian]\n  organizations: [bag-co]\n", "  people: [tian]\n")


def template_edit(root):
    path = root / "overrides/archive/story.html"
    path.write_text(path.read_text(encoding="utf-8") + '\n<p class="da-test-marker">template edited</p>\n',
                    encoding="utf-8")


EDITS = [story_edit, story_reorder, story_add, story_rename, story_delete, registry_edit, photo_edit,
         photo_names_a_person, event_names_an_organization, template_edit]


def test_each_edit_serves_what_a_clean_build_gives_and_rebuilds_only_what_changed(served):
    root, server = served
    assert snapshot(server.site) == clean_build(root)
    made = {}
    for edit in EDITS:
        before = server.builds()
        edit(root)
        line = server.wait_for_build(before)
        made[edit.__name__] = line
        served_files, clean_files = snapshot(server.site), clean_build(root)
        assert sorted(set(served_files) ^ set(clean_files)) == [], edit.__name__
        assert [name for name in clean_files if served_files[name] != clean_files[name]] == [], edit.__name__
        if edit is photo_names_a_person:  # the entity page shows it (and the equality above says it is exact)
            assert 'href="../../photos/bags/"' in (server.site / "people/tian/index.html").read_text(encoding="utf-8")
        if edit is event_names_an_organization:
            assert "#event-middle" not in (server.site / "organizations/bag-co/index.html").read_text(encoding="utf-8")
    # A story's text reaches its page, its stage, its neighbours and the pages that list it, not every page.
    reused = {name: int(re.search(r"(\d+) unchanged pages kept", line).group(1)) for name, line in made.items()}
    assert reused["story_edit"] > 0 and reused["photo_edit"] > 0 and reused["photo_names_a_person"] > 0
    assert reused["template_edit"] == 0  # a template change makes every page again
    assert "template edited" in (server.site / "stories/one/alpha/index.html").read_text(encoding="utf-8")
