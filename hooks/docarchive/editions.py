"""Both editions in one process, as ``make site`` builds them: the offline edition and its zip, then the site.

Two ``mkdocs build`` processes would each parse the archive, start jieba and
compile the templates. In one process the second build reuses the first's work:
the loaded archive (``mkdocs_glue`` keeps the last one, keyed by the size and
modification time of every content file, so a changed file is always read
again), jieba's dictionary (loaded once per process), the compiled templates
(also cached on disk, ``.cache/jinja/``) and the photo derivatives (on disk,
``.cache/photos/``). Each edition is built into a scratch folder and swapped
in only when its build succeeded, so a failed build leaves the previous one.

Builds are reproducible: when ``SOURCE_DATE_EPOCH`` is unset it is set to the
time of the archive's last git commit (the one date MkDocs writes, in the
sitemap and its gzip header), and the zip is dated and ordered the same way
every time (``offline.make_zip``).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import time
from pathlib import Path

log = logging.getLogger("mkdocs.docarchive.editions")


def source_date_epoch(root: Path) -> str | None:
    """``SOURCE_DATE_EPOCH`` if set, else the archive's last commit time; ``None`` outside git."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        proc = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    stamp = proc.stdout.strip()
    return stamp if proc.returncode == 0 and stamp.isdigit() else None


def build_one(config_file: Path) -> tuple[Path, float]:
    """``mkdocs build --strict -f config_file``, built in a scratch folder and swapped in for its site_dir.

    Returns the site folder and the seconds taken.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    started = time.perf_counter()
    config = load_config(config_file=str(config_file), strict=True)
    site_dir = Path(config.site_dir).resolve()
    scratch = site_dir.with_name(f".{site_dir.name}-build")
    shutil.rmtree(scratch, ignore_errors=True)
    config.site_dir = str(scratch)
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    shutil.rmtree(site_dir, ignore_errors=True)
    scratch.rename(site_dir)
    return site_dir, time.perf_counter() - started


def build_editions(root: Path, zip_path: Path | None, site: bool = True, site_config: str = "mkdocs.yml",
                   offline_config: str = "mkdocs-offline.yml") -> list[str]:
    """Build the offline edition (when ``zip_path`` is given) and its zip, then the site; return what was done."""
    from .offline import human_size, make_zip

    root = Path(root).resolve()
    epoch = source_date_epoch(root)
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    done = []
    if zip_path is not None:
        offline_dir, seconds = build_one(root / offline_config)
        zip_path = root / zip_path
        size = make_zip(offline_dir, zip_path, zip_path.name.removesuffix(".zip"))
        done.append(f"offline edition {offline_dir.name}/ in {seconds:.1f} s, "
                    f"zip {zip_path.relative_to(root)} ({human_size(size)})")
    if not site:
        return done
    site_dir, seconds = build_one(root / site_config)
    done.append(f"site {site_dir.name}/ in {seconds:.1f} s")
    return done
