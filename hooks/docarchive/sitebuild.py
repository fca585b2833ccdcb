"""Every edition in one process, as ``make site`` builds them: the offline edition and its zip, then the site.

Each is a folder of builds: the main language at its root, and each other
language (``mkdocs-zh.yml``, whose ``site_dir`` is ``site/zh``) in its folder.
Separate ``mkdocs build`` processes would each parse the archive, start jieba and
compile the templates. In one process every build after the first reuses its work:
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

import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Iterator

from mkdocs.commands.build import build
from mkdocs.config import load_config



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


# Each folder of the site and the configurations built into it, the main language first.
TREES = {"offline": ("mkdocs-offline.yml", "mkdocs-offline-zh.yml"), "site": ("mkdocs.yml", "mkdocs-zh.yml")}


def build_tree(root: Path, configs: tuple[str, ...]) -> tuple[Path, float]:
    """Build ``configs`` (those that exist) into the scratch folder of the first one's site_dir.

    The first is built at the folder's root, every other in its own ``site_dir``
    under it (``site/zh``). The scratch folder of ``site`` is ``.site-build``;
    the Makefile renames it into place once every build succeeded. Returns the
    scratch folder and the seconds taken.
    """
    started = time.perf_counter()
    target = scratch = None
    for name in configs:
        if not (root / name).is_file():
            continue
        config = load_config(config_file=str(root / name), strict=True)
        site_dir = Path(config.site_dir).resolve()
        if target is None:
            target, scratch = site_dir, site_dir.with_name(f".{site_dir.name}-build")
            shutil.rmtree(scratch, ignore_errors=True)
        config.site_dir = str(scratch / site_dir.relative_to(target))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            build(config)
        finally:
            config.plugins.on_shutdown()
    return scratch, time.perf_counter() - started


def build_editions(root: Path, zip_path: Path | None, site: bool = True) -> Iterator[str]:
    """The offline edition and its zip (when ``zip_path`` is given), then the site, into their scratch places.

    The site links the new zip (``DOCARCHIVE_OFFLINE_ZIP``). Yields a line as each is done.
    """
    from .offline import human_size, make_zip

    root = Path(root).resolve()
    epoch = source_date_epoch(root)
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    if zip_path is not None:
        offline_dir, seconds = build_tree(root, TREES["offline"])
        yield f"built the offline edition into {offline_dir.name}/ in {seconds:.1f} s"
        zip_path = root / zip_path
        size = make_zip(offline_dir, zip_path, zip_path.name.removesuffix(".zip"))
        os.environ["DOCARCHIVE_OFFLINE_ZIP"] = str(zip_path)
        yield f"wrote {zip_path.relative_to(root)} ({human_size(size)})"
    if site:
        site_dir, seconds = build_tree(root, TREES["site"])
        yield f"built the site into {site_dir.name}/ in {seconds:.1f} s"
