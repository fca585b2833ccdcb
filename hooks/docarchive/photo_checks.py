"""Photo checks at validation time: each image opened fully and safely (Pillow).

``inspect`` opens the image with Pillow's decompression-bomb warning turned
into an error, checks the pixel limit, that the content is the format the file
name says, and decodes the whole file (a truncated JPEG only fails at load),
unless the build's photo cache holds a usable entry for it (then it was decoded
in full when the entry was made). It returns ``(field, message, fix)`` for each
error and ``(field, message, fix, "warning")`` for a warning (a tiny image).
"""

from __future__ import annotations

import contextlib
import re
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from .photo_cache import PhotoCache

MAX_PIXELS = 60_000_000  # ~ a 9000x6600 camera frame; anything larger is refused
MIN_WIDTH = 320  # narrower images are used at their own size, with a warning
FORMAT_BY_SUFFIX = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
ORIENTATION = 0x0112  # the EXIF tag


@contextlib.contextmanager
def bomb_guard():
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def turned(im: Image.Image) -> bool:
    """Whether the image's EXIF orientation shows it a quarter-turn round (width and height swap)."""
    return im.getexif().get(ORIENTATION, 1) in (5, 6, 7, 8)


def inspect(path: Path, cache: PhotoCache | None, top_width: int) -> list[tuple[str, ...]]:
    """Open ``path`` fully and safely; return (field, message, fix[, "warning"]) for each problem.

    With the build's ``cache``, an image with a usable cache entry (so it was
    decoded in full when the entry was made) is not decoded again: a warm build
    stays fast. Usable means what it means to the pipeline: ``PhotoCache.has``.
    ``top_width`` is the pipeline's largest width, which a too-small image is told.
    """
    path = Path(path)
    expected = FORMAT_BY_SUFFIX.get(path.suffix.lower())
    if expected is None:
        return [("image", f"'{path.suffix}' is not a supported image format",
                 f"save the image as {', '.join(sorted(FORMAT_BY_SUFFIX))}")]
    try:
        with bomb_guard(), Image.open(path) as im:
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
            width = im.height if turned(im) else im.width  # as displayed
            if cache is None or not cache.has(path):
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
                 f"supply the image at least {top_width} pixels wide if you have it", "warning")]
    return []
