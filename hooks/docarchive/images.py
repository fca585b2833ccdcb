"""Photos: the archive's photo pipeline, one entry point per use, and its settings.

Four jobs, four modules; this one holds the settings and joins them:

- ``photo_checks``: ``inspect(path, cache)``, called by the loader while it
  validates the archive: each image opened fully and safely.
- ``photo_cache``: ``PhotoCache``, the derivatives cache, one object per build,
  one definition of a usable entry for validation and the pipeline alike.
- ``derivatives``: the responsive, metadata-free files of one photo.
- ``workers``: the process pool that spreads a cold build's photos.

``build_media(photos, cache)`` makes the derivatives of every photo and returns
a ``Rendition`` per photo (what the templates need) and the list of
``(site_uri, file)`` to copy into the site. Each derivative is made once: cache
entries are named by a hash of the image's bytes and of the settings below, so
a rebuild with unchanged photos encodes nothing, and a changed photo re-encodes
only itself. The cache lives outside site/ (``photos/`` in the folder of the ``cache_dir``
setting, by default ``.cache``), so it
survives ``mkdocs serve`` rebuilds; entries no photo refers to any more are
deleted at the end of each build, so it does not grow without bound. A damaged
entry is made again, with one WARNING line saying so that does not fail
``mkdocs build --strict`` (``cache_log``).
"""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import features

from . import derivatives, photo_cache, photo_checks, workers as pool
from .photo_cache import PhotoCache
from .photo_checks import FORMAT_BY_SUFFIX, MAX_PIXELS, MIN_WIDTH  # noqa: F401 - the photo guide states them

log = logging.getLogger("mkdocs.hooks.archive")


class _StderrHandler(logging.StreamHandler):
    """Writes to the sys.stderr of the moment (as logging.lastResort does), so a replaced stderr gets it."""

    def __init__(self):
        logging.Handler.__init__(self)

    @property
    def stream(self):
        return sys.stderr


# A damaged cache entry is worth a WARNING to whoever runs the build, but it is not a problem of
# the archive: the cache repairs itself. MkDocs' --strict counts the warnings of the "mkdocs"
# loggers, so this logger lives outside that hierarchy, with its own handler in MkDocs' format.
cache_log = logging.getLogger("docarchive.photo_cache")
cache_log.propagate = False
cache_log.setLevel(logging.WARNING)
if not cache_log.handlers:
    _handler = _StderrHandler()
    _handler.setFormatter(logging.Formatter("%(levelname)-8s-  %(message)s"))
    cache_log.addHandler(_handler)

# --------------------------------------------------------------- settings
WIDTHS = (320, 640, 1024, 1600)
# Encoders of the formats the pipeline can make. FORMATS are those it makes, best first (the order of the
# <source> elements); JPEG, last, is the <img> fallback that every browser shows.
ENCODERS: dict[str, tuple[str, dict]] = {
    "avif": ("AVIF", {"quality": 50}),
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}
# AVIF is native in Pillow 13 but off. Measured (bench/bench_photos.py --avif, 1600 px, 2 cores): at the
# default speed it has ~0.35-0.5x WebP's bytes at equal PSNR but encodes 4-5x slower, which makes cold
# builds ~5x slower (0.85 instead of 4.1 photos/s); at speed 9 it is as fast as WebP but only ~15% smaller.
# To turn it on: FORMATS = ("avif", "webp", "jpeg") (the cache key changes, so everything is re-made once).
FORMATS = ("webp", "jpeg")
if not features.check("avif"):  # a Pillow built without libavif
    del ENCODERS["avif"]
MIME = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg"}  # best first
LQIP_WIDTH = 16  # the blurred preview's width in pixels
PIPELINE_VERSION = 3  # bump when the output of _render changes for the same input
PROGRESS_MIN_PHOTOS = 4  # report progress when more photos than this are encoded ...
PROGRESS_MIN_SECONDS = 2.0  # ... or when encoding has taken longer than this
_worker_count = pool.worker_count  # bench/bench_photos.py


def settings() -> derivatives.Settings:
    """The settings above, read when called (so that a change, or a test's, takes effect at once)."""
    return derivatives.Settings(PIPELINE_VERSION, tuple(WIDTHS), LQIP_WIDTH, tuple(FORMATS), tuple(
        (ext, ENCODERS[ext][0], tuple(sorted(ENCODERS[ext][1].items()))) for ext in FORMATS))


def settings_key() -> str:
    """Every setting the derivatives depend on: part of each photo's cache key."""
    return settings().key()


def target_widths(width: int) -> list[int]:
    """Derivative widths for an image ``width`` pixels wide: never upscaled, none within 10% of the top."""
    return settings().target_widths(width)


class MediaError(Exception):
    """A photo passed ``inspect`` but its derivatives could not be made."""


def content_key(path: Path) -> str:
    """Hash of the image's bytes and of the pipeline settings: the name of its cache entry."""
    return photo_cache.content_key(path, settings_key())


def cache_for(cache: PhotoCache | Path) -> PhotoCache:
    """The build's photo cache: ``cache`` itself, or a new one over the folder ``cache``, for today's settings."""
    return cache if isinstance(cache, PhotoCache) else PhotoCache(Path(cache), settings_key())


def inspect(path: Path, cache: PhotoCache | Path | None = None) -> list[tuple[str, ...]]:
    """``photo_checks.inspect`` with the build's cache: (field, message, fix[, "warning"]) per problem."""
    return photo_checks.inspect(Path(path), None if cache is None else cache_for(cache), WIDTHS[-1])


def _render(src: str, key: str, out_dir: str, current: derivatives.Settings | None = None) -> dict:
    """Every derivative of one image (``derivatives.render``); picklable, for the pool."""
    return derivatives.render(src, key, out_dir, current or settings())


# ------------------------------------------------------------- renditions

@dataclass(frozen=True)
class Derivative:
    uri: str  # site path, e.g. media/xiarun-1a2b3c4d-640.webp
    width: int
    height: int
    format: str  # webp | jpeg
    bytes: int = 0

    @property
    def mime(self) -> str:
        return MIME[self.format]


@dataclass(frozen=True)
class Rendition:
    photo_id: str
    width: int  # of the original, after EXIF orientation
    height: int
    colour: str  # dominant colour, shown while the image loads
    derivatives: tuple[Derivative, ...] = field(default_factory=tuple)
    lqip: str = ""  # data: URI of a 16-pixel-wide preview, shown blurred while the image loads

    @property
    def formats(self) -> list[str]:
        """The formats made, best first (the order of <source> elements); "jpeg" is last."""
        made = {d.format for d in self.derivatives}
        return [fmt for fmt in MIME if fmt in made]

    def of(self, fmt: str) -> list[Derivative]:
        return sorted((d for d in self.derivatives if d.format == fmt), key=lambda d: d.width)

    def srcset(self, fmt: str, relative=lambda uri: uri) -> str:
        return ", ".join(f"{relative(d.uri)} {d.width}w" for d in self.of(fmt))

    def largest(self, fmt: str = "jpeg") -> Derivative:
        return self.of(fmt)[-1]

    def smallest(self, fmt: str = "jpeg") -> Derivative:
        return self.of(fmt)[0]

    @property
    def placeholder_style(self) -> str:
        """Inline CSS for the box the image loads into: its colour, and the blurred preview over it."""
        style = f"background-color: {self.colour}"
        if self.lqip:
            style += f"; background-image: url({self.lqip}); background-size: cover"
        return style


def ProcessPoolExecutor(*args, **kwargs):  # noqa: N802 - the pool's class, imported only when photos are made
    from concurrent.futures import ProcessPoolExecutor as executor
    return executor(*args, **kwargs)


def _render_all(todo: dict[str, Path], cache: PhotoCache, workers: int | None) -> dict[str, dict]:
    """Render every ``key -> image`` in ``todo``, in a process pool when there is more than one."""
    if not todo:
        return {}
    count = pool.worker_count(len(todo), workers)
    total = len(todo)
    start = last = time.monotonic()
    verbose = total > PROGRESS_MIN_PHOTOS
    if verbose:
        log.info("photos: making derivatives of %d new or changed photo(s) with %d process(es)", total, count)
    results: dict[str, dict] = {}

    def finished(key: str, info: dict) -> None:
        nonlocal last
        results[key] = info
        cache.store(key, info)
        for note in info["notes"]:
            log.info("photos: %s: %s", todo[key].name, note)
        now = time.monotonic()
        if (verbose or now - start > PROGRESS_MIN_SECONDS) and (now - last >= 1.0 or len(results) == total):
            log.info("photos: %d/%d done, %.1f s", len(results), total, now - start)
            last = now

    def failed(key: str, exc: BaseException) -> MediaError:
        return MediaError(f"{todo[key]}: cannot make the derivatives of this image ({exc})")

    current = settings()  # the workers get the settings of this process, whatever their own defaults
    jobs = {key: (str(path), key, str(cache.folder), current) for key, path in todo.items()}
    pool.run_all(jobs, _render, count, finished, failed, executor=ProcessPoolExecutor)
    return results


def build_media(photos, cache: PhotoCache | Path, prefix: str = "media",
                workers: int | None = None) -> tuple[dict, list[tuple[str, Path]]]:
    """Derivatives for every photo, re-encoding only photos without a usable cache entry.

    ``cache`` is the build's ``PhotoCache`` (or its folder). Returns ``{photo id:
    Rendition}`` and the ``(site uri, cached file)`` pairs to publish. Site file
    names carry the photo id and the content key, so a changed photo gets new
    URLs and browsers never show a stale cached copy.
    """
    cache = cache_for(cache)
    cache.folder.mkdir(parents=True, exist_ok=True)
    keys = {photo.id: cache.key(photo.image) for photo in photos}
    infos: dict[str, dict] = {}
    todo: dict[str, Path] = {}
    for photo in photos:
        key = keys[photo.id]
        if key in infos or key in todo:
            continue
        info, damage = cache.entry(key)
        if info is None:
            if damage:
                cache_log.warning("photos: %s: its cache entry is damaged (%s); making its derivatives again",
                                  Path(photo.image).name, damage)
            todo[key] = Path(photo.image)
        else:
            infos[key] = info
    infos.update(_render_all(todo, cache, workers))

    media: dict[str, Rendition] = {}
    outputs: list[tuple[str, Path]] = []
    for photo in photos:
        key = keys[photo.id]
        info = infos[key]
        derivs = []
        for item in info["items"]:
            uri = f"{prefix}/{photo.id}-{key[:8]}-{item['width']}.{item['format']}"
            derivs.append(Derivative(uri, item["width"], item["height"], item["format"], item["bytes"]))
            outputs.append((uri, cache.path(item["file"])))
        media[photo.id] = Rendition(photo.id, info["width"], info["height"], info["colour"], tuple(derivs),
                                    info["lqip"])
    cache.prune(keys.values())
    return media, outputs
