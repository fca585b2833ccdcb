"""Where a build came from: the commit, the engine and its dependencies, the date, the masters.

``build_record`` is the content of ``data/build.json`` in every built site; the
bag (``bag.py``) uses the same commit and date. Nothing here reads the clock:
the date is ``SOURCE_DATE_EPOCH`` or else the commit's date, so two builds of one
commit give the same file (reproducible-builds.org's convention, which MkDocs
follows for its sitemap too).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import platform
import re
import subprocess
import tomllib
from importlib import metadata
from pathlib import Path

from . import __version__
from .model import Archive

BUILD_JSON = "data/build.json"
ENGINE = "docarchive"


def _git(root: Path, *args: str) -> str | None:
    try:
        proc = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def git_commit(root: Path) -> str | None:
    """The full commit of the archive's checkout, or None outside git."""
    return _git(root, "rev-parse", "HEAD")


def git_dirty(root: Path, paths: tuple[str, ...] = ()) -> bool:
    """Whether ``paths`` (all of the checkout if none) differ from the commit."""
    status = _git(root, "status", "--porcelain", "--untracked-files=normal", "--", *paths)
    return bool(status)


def source_epoch(root: Path) -> int | None:
    """SOURCE_DATE_EPOCH if set, else the commit's date (seconds, UTC), else None."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        if not value.isdigit():
            raise ValueError(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds since 1970")
        return int(value)
    stamp = _git(root, "log", "-1", "--format=%ct")
    return int(stamp) if stamp and stamp.isdigit() else None


def iso_date(epoch: int | None) -> str | None:
    if epoch is None:
        return None
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _requirements(package: str) -> list[str]:
    """The engine's runtime requirements: from its pyproject.toml in a checkout (an editable install's
    metadata can be stale), else from the installed package's metadata."""
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    if pyproject.is_file():
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == package:
            return list(project.get("dependencies", []))
    return [r for r in metadata.requires(package) or [] if ";" not in r]  # extras (test tools) shape nothing


def dependency_versions(package: str = ENGINE) -> dict[str, str]:
    """The installed version of each runtime dependency the engine declares (pinned in pyproject.toml)."""
    versions = {}
    for requirement in _requirements(package):
        name = re.split(r"[<>=!~\[ ]", requirement, maxsplit=1)[0]
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return dict(sorted(versions.items(), key=lambda kv: kv[0].lower()))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build_record(archive: Archive, extra_versions: dict[str, str] | None = None) -> dict:
    """What ``data/build.json`` says about this build."""
    root = archive.root
    commit = git_commit(root)
    photos = {}
    for photo in archive.photos:
        rel = photo.image.relative_to(root).as_posix() if photo.image.is_relative_to(root) else photo.image.name
        photos[photo.id] = {"path": rel, "sha256": sha256_of(photo.image)}
    return {
        "engine": {"name": ENGINE, "version": __version__},
        "git": {"commit": commit,
                "content_differs_from_commit": git_dirty(root, ("stories", "photos", "data", "docs"))
                if commit else None},
        "build_date": iso_date(source_epoch(root)),
        "python": platform.python_version(),
        "dependencies": {**dependency_versions(), **(extra_versions or {})},
        "counts": {"stories": len(archive.stories), "photos": len(archive.photos), "events": len(archive.events),
                   "figures": len(archive.figures), "people": len(archive.people), "places": len(archive.places),
                   "organizations": len(archive.organizations), "sources": len(archive.sources)},
        "photo_masters": photos,
    }


def build_json(archive: Archive, extra_versions: dict[str, str] | None = None) -> str:
    return json.dumps(build_record(archive, extra_versions), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def npm_version(package_dir: Path) -> str | None:
    """The version of an npm package copied into the site (the offline edition's iframe-worker shim)."""
    try:
        return json.loads((package_dir / "package.json").read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None
