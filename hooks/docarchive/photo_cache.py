"""The photo derivatives cache, defined once: ``PhotoCache``.

An entry is named by its *content key*, a hash of the image's bytes and of the
pipeline's settings, and made of a manifest (``<key>.json``) and the derivative
files it lists (``<key>-<width>.<format>``). An entry is usable only when its
manifest is well formed, was made with the current settings, names only its own
files and every one of them exists: that one contract serves both validation
(which skips decoding an image whose derivatives are cached) and the pipeline
(which re-encodes only what has no usable entry). A damaged entry is not an
error of the archive: the photo is simply made again.

One ``PhotoCache`` lives for one build: it hashes each image once, however
many times validation and the pipeline ask for its key.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from pathlib import Path
from typing import Callable, Iterable

KEY_LENGTH = 20
_CACHE_FILE = re.compile(r"^(?P<key>[0-9a-f]{%d})(?:-\d+\.[a-z]+|\.json)$" % KEY_LENGTH)
_TMP_MAX_AGE = 3600  # seconds; older temporary files are leftovers of a killed build
_MANIFEST_FIELDS = {"settings": str, "width": int, "height": int, "colour": str, "lqip": str, "items": list}
_ITEM_FIELDS = {"file": str, "width": int, "height": int, "format": str, "bytes": int}


def content_key(path: Path, settings: str) -> str:
    """Hash of the image's bytes and of ``settings``: the name of its cache entry."""
    digest = hashlib.sha256(settings.encode())
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:KEY_LENGTH]


def atomic_write(target: Path, write: Callable[[Path], object]) -> None:
    """Write ``target`` through a temporary file beside it, so no reader ever sees half a file."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


class PhotoCache:
    """The derivatives of every photo, in ``folder``, made with the pipeline settings ``settings``."""

    def __init__(self, folder: Path, settings: str):
        self.folder = Path(folder)
        self.settings = settings
        self._keys: dict[Path, str] = {}

    def key(self, image: Path) -> str:
        """The image's content key, hashed once per build."""
        image = Path(image)
        if image not in self._keys:
            self._keys[image] = content_key(image, self.settings)
        return self._keys[image]

    def path(self, name: str) -> Path:
        return self.folder / name

    def manifest_path(self, key: str) -> Path:
        return self.folder / f"{key}.json"

    def has(self, image: Path) -> bool:
        """Whether the image has a usable entry (so it was decoded in full when the entry was made)."""
        return self.entry(self.key(image))[0] is not None

    def entry(self, key: str) -> tuple[dict | None, str]:
        """The manifest of a usable entry, or None and why the entry cannot be used.

        The reason is "" when there is no entry (a photo not made yet); otherwise the
        entry is damaged (a killed build, a full disk, a hand edit, other settings).
        """
        path = self.manifest_path(key)
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None, ""
        except (OSError, ValueError) as exc:
            return None, f"{path.name} is not readable JSON ({exc})"
        problem = self._problem(info, key)
        if problem:
            return None, f"{path.name} {problem}"
        missing = next((item["file"] for item in info["items"] if not self.path(item["file"]).is_file()), None)
        if missing:
            return None, f"{missing} is missing"
        return info, ""

    def _problem(self, info, key: str) -> str:
        """What is wrong with a manifest's shape ("" if nothing); it names only files of its own key."""
        if not isinstance(info, dict):
            return f"holds {type(info).__name__}, not an object"
        wrong = next((f"'{name}'" for name, kind in _MANIFEST_FIELDS.items()
                      if not isinstance(info.get(name), kind)), "")
        if wrong:
            return f"has no valid {wrong}"
        if info["settings"] != self.settings:
            return "was made with other settings"
        for item in info["items"]:
            if not isinstance(item, dict) or any(not isinstance(item.get(n), t) for n, t in _ITEM_FIELDS.items()):
                return "has an item without file, width, height, format and bytes"
            if item["file"] != f"{key}-{item['width']}.{item['format']}":
                return f"names a file that is not its own ({item['file']!r})"
        return ""

    def store(self, key: str, info: dict) -> None:
        """Record a finished entry (its derivative files are written first, by the pipeline)."""
        atomic_write(self.manifest_path(key), lambda tmp: tmp.write_text(json.dumps(info), encoding="utf-8"))

    def prune(self, keep: Iterable[str]) -> int:
        """Delete entries whose key is not in ``keep`` (and stale temporary files); return how many files."""
        keep = set(keep)
        removed = 0
        now = time.time()
        for path in self.folder.iterdir():
            match = _CACHE_FILE.match(path.name)
            if (match and match["key"] not in keep) or _stale_tmp(path, now):
                path.unlink(missing_ok=True)
                removed += 1
        return removed


def _stale_tmp(path: Path, now: float) -> bool:
    """A temporary file (``.<name>.<pid>.tmp``) left by a killed build: its process is gone, or it is old."""
    if not path.name.endswith(".tmp"):
        return False
    pid = path.name.rsplit(".", 2)[-2]
    if pid.isdigit() and int(pid) != os.getpid():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except OSError:  # it exists but is another user's
            pass
    return now - path.stat().st_mtime > _TMP_MAX_AGE
