"""`docarchive init`: a new archive that checks and builds at once with the installed engine, then grows a story."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True,
                          env={**ENV, **env}, timeout=300)


def test_init_checks_and_builds_at_once_then_takes_a_story(tmp_path):
    root = tmp_path / "river-towns"
    made = run("docarchive", "init", str(root), "--title", "River towns, 1990–2000", "--stages",
               "Before, During, After", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    for rel in ("mkdocs.yml", "README.md", "docs/about.md", "data/stages.yml", "data/sources.yml", "photos",
                "stories/before", "stories/during", "stories/after"):
        assert (root / rel).exists(), rel
        assert f"wrote {root / rel}" in made.stdout or (root / rel).is_dir()
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert "hooks" not in config and "docarchive" in config["plugins"]  # the installed engine, by its plugin
    readme = (root / "README.md").read_text(encoding="utf-8")
    assert "mkdocs serve" in readme and "mkdocs build --strict" in readme

    check = run("docarchive", "check", "--strict", cwd=root)  # an English-only archive is asked for no Chinese
    assert check.returncode == 0, check.stdout + check.stderr
    assert "ok: 3 stages, 0 stories" in check.stdout and "no Chinese" not in check.stdout + check.stderr
    first = run("mkdocs", "build", "--strict", cwd=root)
    assert first.returncode == 0, first.stdout + first.stderr
    home = (root / "site" / "index.html").read_text(encoding="utf-8")
    assert "River towns, 1990–2000" in home
    for page in (root / "site").rglob("*.html"):  # the engine carries nothing of the first archive
        text = page.read_text(encoding="utf-8")
        for word in ("Xiamen", "Linxia", "partnership", "厦门", "临夏"):
            assert word not in text, f"{page.relative_to(root)} says {word}"
    for stage in ("Before", "During", "After"):
        assert f"stages/{stage.lower()}/" in home

    (root / "data" / "sources.yml").write_text(
        (root / "data" / "sources.yml").read_text(encoding="utf-8") +
        "- id: diary\n  title: A river diary\n  publication: Self-published\n  date: 1999\n  authors: [An Author]\n",
        encoding="utf-8")
    new = run("docarchive", "new", "story", "--stage", "during", "--title", "The ferry stops", "--date", "1995",
              cwd=root)
    assert new.returncode == 0, new.stderr
    story = root / "stories" / "during" / "the-ferry-stops.md"
    assert run("docarchive", "check", cwd=root).returncode == 1  # its TODOs
    text = story.read_text(encoding="utf-8")
    text = text.replace("summary: TODO", "summary: The ferry stopped in 1995.").replace(
        "sources: [TODO]", "sources: [diary]")
    story.write_text(text[:text.index("TODO: write")] + "The diary says the ferry stopped in 1995.\n",
                     encoding="utf-8")
    assert run("docarchive", "check", cwd=root).returncode == 0
    # Its pages made whole in prerender's worker: the plugin's handlers are known as the engine's own.
    second = run("mkdocs", "build", "--strict", cwd=root, DOCARCHIVE_PRERENDER="whole")
    assert second.returncode == 0, second.stdout + second.stderr
    laid_out = second.stderr.split("Pages laid out ahead in a worker process: ")[1].split(" of ")[0]
    assert f"Pages that worker made whole, Markdown and all: {laid_out}\n" in second.stderr and int(laid_out) > 5
    page = (root / "site" / "stories" / "during" / "the-ferry-stops" / "index.html").read_text(encoding="utf-8")
    assert "The diary says the ferry stopped in 1995." in page and "A river diary" in page


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "taken").mkdir()
    (tmp_path / "taken" / "notes.txt").write_text("mine")
    out = run("docarchive", "init", str(tmp_path / "taken"), cwd=tmp_path)
    assert out.returncode == 1 and "not empty" in out.stderr
    assert sorted(p.name for p in (tmp_path / "taken").iterdir()) == ["notes.txt"]
