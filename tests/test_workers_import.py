"""The photo workers import the installed package with no sys.path patching (issue 10): a cold build
with two workers, run from another folder, really uses the pool rather than falling back."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import logging, sys
from pathlib import Path
from PIL import Image
from docarchive import images, workers
assert not hasattr(workers, "importable")

class Photo:
    def __init__(self, pid, image):
        self.id, self.image = pid, image

if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stdout)
    folder = Path(sys.argv[1])
    photos = []
    for i in range(3):
        path = folder / f"p{i}.jpg"
        Image.new("RGB", (1200, 800), (40 * i, 90, 30)).save(path)
        photos.append(Photo(f"p{i}", path))
    images.build_media(photos, images.cache_for(folder / "cache"), workers=2)
    print("built", len(list((folder / "cache").rglob("*.webp"))))
"""


def test_a_cold_build_uses_the_worker_pool_without_patching_sys_path(tmp_path):
    script = tmp_path / "cold.py"
    script.write_text(SCRIPT, encoding="utf-8")
    out = subprocess.run([sys.executable, str(script), str(tmp_path)], cwd=tmp_path, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "no process pool" not in out.stdout + out.stderr
    assert int(out.stdout.split("built ")[-1]) > 0
