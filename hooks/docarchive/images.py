"""Photos: safe checks and responsive, private, cached derivatives (Pillow).

Two entry points:

- ``inspect(path)`` is called by the model while it validates the archive. It
  opens the image with Pillow's decompression-bomb warning turned into an
  error, checks the pixel limit, that the content is the format the file name
  says, and decodes the whole file (a truncated JPEG only fails at load). It
  returns ``(field, message, fix)`` for each error and ``(field, message, fix,
  "warning")`` for a warning (a tiny image).
- ``build_media(photos, cache_dir)`` makes the derivatives of every photo and
  returns a ``Rendition`` per photo (what the templates need) and the list of
  ``(site_uri, file)`` to copy into the site.

Each derivative is made once: files in the cache are named by a hash of the
image's bytes and of the settings below, so a rebuild with unchanged photos
encodes nothing, and a changed photo re-encodes only itself. The cache lives
outside site/ (``<root>/.cache/photos``), so it survives ``mkdocs serve``
rebuilds; entries no photo refers to any more are deleted at the end of each
build, so it does not grow without bound. A damaged entry (a manifest that is
truncated or of the wrong shape, a derivative missing) is made again, with one
line saying so.

Per photo: EXIF orientation applied, colours converted to sRGB (through the
embedded ICC profile, if any), JPEG decoded at reduced scale when that is
enough (``Image.draft``), resized in a cascade (1600 -> 1024 -> 640 -> 320,
never upscaled), saved as WebP and JPEG with no metadata at all (no EXIF, GPS,
XMP, comment or ICC profile: untagged images are sRGB by convention), plus a
dominant colour and a 16-pixel blurred preview as a data URI for the page to
show while the image loads. Cold builds spread photos over a process pool.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import io
import json
import logging
import math
import multiprocessing
import os
import re
import time
import warnings
from concurrent.futures import BrokenExecutor, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError, features

log = logging.getLogger("mkdocs.hooks.archive")

# --------------------------------------------------------------- settings
MAX_PIXELS = 60_000_000  # ~ a 9000x6600 camera frame; anything larger is refused
MIN_WIDTH = 320  # narrower images are used at their own size, with a warning
FORMAT_BY_SUFFIX = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
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
MAX_WORKERS = 2



def settings_key() -> str:
    """Every setting the derivatives depend on, read when called: part of each photo's cache key,
    so that changing any of them (a width, a format, a quality or option) makes the photos again."""
    return json.dumps({"v": PIPELINE_VERSION, "widths": WIDTHS, "lqip": LQIP_WIDTH,
                       "formats": [[k, ENCODERS[k][0], sorted(ENCODERS[k][1].items())] for k in FORMATS]},
                      sort_keys=True)


_KEY_LEN = 20
_CACHE_FILE = re.compile(r"^(?P<key>[0-9a-f]{%d})(?:-\d+\.[a-z]+|\.json)$" % _KEY_LEN)
_TMP_MAX_AGE = 3600  # seconds; older temporary files are leftovers of a killed build
_ORIENTATION = 0x0112
_SRGB = ImageCms.createProfile("sRGB")


class MediaError(Exception):
    """A photo passed ``inspect`` but its derivatives could not be made."""


@contextlib.contextmanager
def _bomb_guard():
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


# ------------------------------------------------------------------ checks

def inspect(path: Path, cache_dir: Path | None = None, keys: dict | None = None) -> list[tuple[str, ...]]:
    """Open ``path`` fully and safely; return (field, message, fix[, "warning"]) for each problem.

    With ``cache_dir``, an image whose derivatives are already cached (so it
    was decoded in full before) is not decoded again: a warm build stays fast.
    ``keys`` is the build's memo of content keys (see ``content_key``).
    """
    path = Path(path)
    expected = FORMAT_BY_SUFFIX.get(path.suffix.lower())
    if expected is None:
        return [("image", f"'{path.suffix}' is not a supported image format",
                 f"save the image as {', '.join(sorted(FORMAT_BY_SUFFIX))}")]
    try:
        with _bomb_guard(), Image.open(path) as im:
            if im.width * im.height > MAX_PIXELS:
                return [("image", f"{im.width}x{im.height} is {im.width * im.height:,} pixels, over the limit "
                                  f"of {MAX_PIXELS:,} pixels", "resize the image to at most 6000 pixels on its long side")]
            if im.format != expected:
                found = im.format or "an unknown format"
                if im.format not in FORMAT_BY_SUFFIX.values():
                    return [("image", f"the file is {found}, which the archive does not take (its name says "
                                      f"{expected})", f"re-save it as {expected} (or as JPEG, PNG or WebP)")]
                suffix = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}[im.format]
                return [("image", f"the file is {found} but its name says {expected}",
                         f"rename it to {path.stem}{suffix} or re-save it as {expected}")]
            turned = im.getexif().get(_ORIENTATION, 1) in (5, 6, 7, 8)
            width = im.height if turned else im.width  # as displayed
            if cache_dir is None or not _manifest_path(Path(cache_dir), content_key(path, keys)).exists():
                if im.format == "JPEG":  # the whole entropy stream is still read: truncation is caught
                    im.draft("RGB", (max(1, im.width // 8), max(1, im.height // 8)))
                im.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        count = f"{int(found.group(1)):,} pixels" if found else "too many pixels"
        return [("image", f"{count} is over the limit of {MAX_PIXELS:,} pixels; the file was refused unopened "
                          "as a possible decompression bomb", "resize the image to at most 6000 pixels on its long side")]
    except UnidentifiedImageError:
        return [("image", f"is not an image Pillow can read, though its name says {expected}",
                 "re-export it as JPEG, PNG or WebP")]
    except (OSError, SyntaxError, ValueError) as exc:
        return [("image", f"cannot be decoded ({exc}); the file may be truncated or damaged",
                 "re-export the image as a complete JPEG or PNG")]
    if width < MIN_WIDTH:
        return [("image", f"is only {width} pixels wide (smaller than {MIN_WIDTH}); it is used at its own size "
                          "and looks blurred on large screens",
                 f"supply the image at least {WIDTHS[-1]} pixels wide if you have it", "warning")]
    return []


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


def content_key(path: Path, keys: dict | None = None) -> str:
    """Hash of the image's bytes and of the pipeline settings: the name of its cache entry.

    ``keys``, a dict the caller keeps for one build, memoises the hash so that
    validation and the pipeline read each image's bytes once per build, not twice.
    """
    if keys is not None:
        if path not in keys:
            keys[path] = content_key(path)
        return keys[path]
    digest = hashlib.sha256(settings_key().encode())
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:_KEY_LEN]


def target_widths(width: int) -> list[int]:
    """Derivative widths for an image ``width`` pixels wide: never upscaled, none within 10% of the top."""
    top = min(width, WIDTHS[-1])
    return [w for w in WIDTHS if w * 1.1 < top] + [top]


def _manifest_path(cache_dir: Path, key: str) -> Path:
    return cache_dir / f"{key}.json"


_MANIFEST_FIELDS = {"settings": str, "width": int, "height": int, "colour": str, "lqip": str, "items": list}
_ITEM_FIELDS = {"file": str, "width": int, "height": int, "format": str, "bytes": int}


def _read_manifest(cache_dir: Path, key: str) -> tuple[dict | None, str]:
    """The cached description of a photo's derivatives, or None and why it cannot be used.

    The reason is "" when there is no entry (a photo not made yet); otherwise the entry is
    damaged (a killed build, a full disk, a hand edit) and the photo is simply made again.
    """
    path = _manifest_path(cache_dir, key)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, ""
    except (OSError, ValueError) as exc:
        return None, f"{path.name} is not readable JSON ({exc})"
    problem = _manifest_problem(info, key)
    if problem:
        return None, f"{path.name} {problem}"
    missing = next((item["file"] for item in info["items"] if not (cache_dir / item["file"]).is_file()), None)
    if missing:
        return None, f"{missing} is missing"
    return info, ""


def _manifest_problem(info, key: str) -> str:
    """What is wrong with a manifest's shape ("" if nothing); it names only files of its own key."""
    if not isinstance(info, dict):
        return f"holds {type(info).__name__}, not an object"
    wrong = next((f"'{name}'" for name, kind in _MANIFEST_FIELDS.items() if not isinstance(info.get(name), kind)), "")
    if wrong:
        return f"has no valid {wrong}"
    if info["settings"] != settings_key():
        return "was made with other settings"
    for item in info["items"]:
        if not isinstance(item, dict) or any(not isinstance(item.get(n), t) for n, t in _ITEM_FIELDS.items()):
            return "has an item without file, width, height, format and bytes"
        if item["file"] != f"{key}-{item['width']}.{item['format']}":
            return f"names a file that is not its own ({item['file']!r})"
    return ""


def _atomic_write(target: Path, write) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        write(tmp)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _to_srgb(im: Image.Image, notes: list[str]) -> Image.Image:
    """An RGB image in sRGB: alpha flattened on white, 16-bit scaled down, the ICC profile applied."""
    icc = im.info.get("icc_profile")
    if im.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        im = im.convert("I").point(lambda v: v * (1 / 256)).convert("L")
    if im.mode == "P":
        im = im.convert("RGBA" if "transparency" in im.info else "RGB")
    if im.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        rgba = im.convert("RGBA")
        flat = Image.new("RGB", rgba.size, (255, 255, 255))
        flat.paste(rgba.convert("RGB"), mask=rgba.getchannel("A"))
        im = flat if im.mode != "LA" else flat.convert("L")
    if icc:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            name = ImageCms.getProfileDescription(profile) or ""
            if "srgb" not in name.lower().replace(" ", ""):
                im = ImageCms.profileToProfile(im, profile, _SRGB, outputMode="RGB",
                                               renderingIntent=ImageCms.Intent.PERCEPTUAL)
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError) as exc:
            notes.append(f"its colour profile could not be applied ({exc}); colours are shown as stored")
    return im if im.mode == "RGB" else im.convert("RGB")


def _dominant_colour(im: Image.Image) -> str:
    thumb = im.copy()
    thumb.thumbnail((64, 64))
    quant = thumb.quantize(colors=6, method=Image.Quantize.MEDIANCUT)
    _, index = max(quant.getcolors())
    r, g, b = quant.getpalette()[index * 3: index * 3 + 3]
    return f"#{r:02x}{g:02x}{b:02x}"


def _lqip(im: Image.Image) -> str:
    height = max(1, round(im.height * LQIP_WIDTH / im.width))
    tiny = im.resize((LQIP_WIDTH, height), Image.Resampling.BOX)
    buf = io.BytesIO()
    tiny.save(buf, "WEBP", quality=40, method=6)
    return "data:image/webp;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _render(src: str, key: str, out_dir: str) -> dict:
    """Make every derivative of one image in ``out_dir``; return its manifest. Runs in a worker process."""
    out = Path(out_dir)
    notes: list[str] = []
    with _bomb_guard(), Image.open(src) as im:
        turned = im.getexif().get(_ORIENTATION, 1) in (5, 6, 7, 8)
        full_size = (im.height, im.width) if turned else im.size  # as displayed, before any draft
        top = target_widths(full_size[0])[-1]
        if im.format == "JPEG" and top < full_size[0]:
            scale = top / full_size[0]  # decode at 1/2, 1/4 or 1/8 scale when that still covers the largest width
            im.draft("RGB", (math.ceil(im.width * scale), math.ceil(im.height * scale)))
        im.load()
        oriented = ImageOps.exif_transpose(im)
    im = _to_srgb(oriented, notes)
    items = []
    current = im
    for w in sorted(target_widths(full_size[0]), reverse=True):  # cascade: each size from the one above
        h = max(1, round(full_size[1] * w / full_size[0]))
        if current.size != (w, h):
            current = current.resize((w, h), Image.Resampling.LANCZOS, reducing_gap=3.0)
        current.info = {}  # nothing of the original travels: no EXIF, GPS, XMP, comment or profile
        for ext in FORMATS:
            fmt, opts = ENCODERS[ext]
            name = f"{key}-{w}.{ext}"
            _atomic_write(out / name, lambda tmp: current.save(tmp, fmt, **opts))
            items.append({"file": name, "width": w, "height": h, "format": ext,
                          "bytes": (out / name).stat().st_size})
    items.sort(key=lambda i: (i["format"], i["width"]))
    return {"settings": settings_key(), "width": full_size[0], "height": full_size[1],
            "colour": _dominant_colour(current), "lqip": _lqip(current), "items": items, "notes": notes}


def _worker_count(jobs: int, workers: int | None) -> int:
    if workers is None:
        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            cpus = os.cpu_count() or 1
        workers = min(MAX_WORKERS, cpus)
    return max(1, min(workers, jobs))


def _render_all(todo: dict[str, Path], cache_dir: Path, workers: int | None) -> dict[str, dict]:
    """Render every ``key -> image`` in ``todo``, in a process pool when there is more than one."""
    if not todo:
        return {}
    count = _worker_count(len(todo), workers)
    total = len(todo)
    start = last = time.monotonic()
    verbose = total > PROGRESS_MIN_PHOTOS
    if verbose:
        log.info("photos: making derivatives of %d new or changed photo(s) with %d process(es)", total, count)
    results: dict[str, dict] = {}

    def finished(key: str, info: dict) -> None:
        nonlocal last
        results[key] = info
        _atomic_write(_manifest_path(cache_dir, key), lambda tmp: tmp.write_text(json.dumps(info)))
        for note in info["notes"]:
            log.info("photos: %s: %s", todo[key].name, note)
        now = time.monotonic()
        if (verbose or now - start > PROGRESS_MIN_SECONDS) and (now - last >= 1.0 or len(results) == total):
            log.info("photos: %d/%d done, %.1f s", len(results), total, now - start)
            last = now

    def failed(key: str, exc: BaseException) -> MediaError:
        return MediaError(f"{todo[key]}: cannot make the derivatives of this image ({exc})")

    if count > 1:
        # "spawn", not "fork": mkdocs serve has threads running, and forking a threaded process can deadlock.
        # Spawned workers import this module by name: the package is installed (pip install -e .), and
        # spawn hands them this process's sys.path besides, so nothing needs patching.
        try:
            with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn")) as pool:
                futures = {pool.submit(_render, str(path), key, str(cache_dir)): key for key, path in todo.items()}
                for future in as_completed(futures):
                    key = futures[future]
                    try:
                        info = future.result()
                    except BrokenExecutor:
                        raise
                    except Exception as exc:  # noqa: BLE001 - reported with the file's name
                        for other in futures:
                            other.cancel()
                        raise failed(key, exc) from exc
                    finished(key, info)
        except (BrokenExecutor, OSError) as exc:  # no worker could start: carry on in this process
            log.info("photos: no process pool (%s); encoding in this process", exc)
    for key, path in todo.items():
        if key in results:
            continue
        try:
            finished(key, _render(str(path), key, str(cache_dir)))
        except Exception as exc:  # noqa: BLE001 - reported with the file's name
            raise failed(key, exc) from exc
    return results


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


def prune(cache_dir: Path, keep: Iterable[str]) -> int:
    """Delete cache entries whose key is not in ``keep`` (and stale temporary files); return how many files."""
    keep = set(keep)
    removed = 0
    now = time.time()
    for path in cache_dir.iterdir():
        match = _CACHE_FILE.match(path.name)
        stale_tmp = _stale_tmp(path, now)
        if (match and match["key"] not in keep) or stale_tmp:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def build_media(photos, cache_dir: Path, prefix: str = "media", workers: int | None = None,
                keys: dict | None = None) -> tuple[dict, list[tuple[str, Path]]]:
    """Derivatives for every photo, re-encoding only photos whose content or settings changed.

    Returns ``{photo id: Rendition}`` and the ``(site uri, cached file)`` pairs to
    publish. Site file names carry the photo id and the content key, so a changed
    photo gets new URLs and browsers never show a stale cached copy.
    """
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    keys = {photo.id: content_key(photo.image, keys) for photo in photos}
    infos: dict[str, dict] = {}
    todo: dict[str, Path] = {}
    for photo in photos:
        key = keys[photo.id]
        if key in infos or key in todo:
            continue
        info, damage = _read_manifest(cache_dir, key)
        if info is None:
            if damage:  # not an error of the archive: the cache repairs itself, so --strict builds go on
                log.info("photos: %s: its cache entry is damaged (%s); making its derivatives again",
                         Path(photo.image).name, damage)
            todo[key] = Path(photo.image)
        else:
            infos[key] = info
    infos.update(_render_all(todo, cache_dir, workers))

    media: dict[str, Rendition] = {}
    outputs: list[tuple[str, Path]] = []
    for photo in photos:
        key = keys[photo.id]
        info = infos[key]
        derivs = []
        for item in info["items"]:
            uri = f"{prefix}/{photo.id}-{key[:8]}-{item['width']}.{item['format']}"
            derivs.append(Derivative(uri, item["width"], item["height"], item["format"], item["bytes"]))
            outputs.append((uri, cache_dir / item["file"]))
        media[photo.id] = Rendition(photo.id, info["width"], info["height"], info["colour"], tuple(derivs),
                                    info["lqip"])
    prune(cache_dir, keys.values())
    return media, outputs
