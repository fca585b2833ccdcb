"""Shared helpers: copy a fixture archive into tmp_path and build it with the real mkdocs CLI."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
sys.path.insert(0, str(REPO / "hooks"))

# Images of the fixture archive are made here rather than committed: (size, colour, format).
FIXTURE_IMAGES = {
    "mini": {"bags.jpg": ((2000, 1500), (120, 80, 40), "JPEG"), "card.png": ((1600, 1000), (40, 80, 120), "PNG")},
}


def make_archive(dest: Path, fixture: str = "mini") -> Path:
    """Copy ``tests/fixtures/<fixture>`` to ``dest`` with absolute paths to this repo's hooks and theme."""
    from PIL import Image

    shutil.copytree(FIXTURES / fixture, dest, dirs_exist_ok=True)
    config = dest / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("HOOKS", str(REPO / "hooks")).replace("OVERRIDES", str(REPO / "overrides"))
    config.write_text(text, encoding="utf-8")
    for name, (size, colour, fmt) in FIXTURE_IMAGES.get(fixture, {}).items():
        Image.new("RGB", size, colour).save(dest / "photos" / name, fmt)
    return dest


@dataclass
class Build:
    root: Path
    returncode: int
    output: str

    @property
    def site(self) -> Path:
        return self.root / "site"

    def html(self, rel: str) -> str:
        return (self.site / rel).read_text(encoding="utf-8")


def run_mkdocs(root: Path, *args: str) -> Build:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", *args],
        cwd=root, env=env, capture_output=True, text=True, timeout=300,
    )
    return Build(root, proc.returncode, proc.stdout + proc.stderr)


@pytest.fixture
def archive(tmp_path) -> Path:
    """A fresh, editable copy of the mini fixture archive."""
    return make_archive(tmp_path / "archive")


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory) -> Build:
    """The mini fixture archive, built once per test session. Do not modify it."""
    root = make_archive(tmp_path_factory.mktemp("mini") / "archive")
    build = run_mkdocs(root)
    assert build.returncode == 0, build.output
    return build
