"""Image checks and derivatives (Pillow). The model calls ``inspect``; pages call the pipeline."""

from __future__ import annotations

import warnings
from pathlib import Path

from PIL import Image

MAX_PIXELS = 60_000_000  # ~ a 9000x6600 camera frame; anything larger is refused
FORMAT_BY_SUFFIX = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}


def inspect(path: Path) -> list[tuple[str, str, str]]:
    """Open ``path`` fully and safely; return (field, message, fix) for each problem."""
    expected = FORMAT_BY_SUFFIX.get(path.suffix.lower())
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as im:
                if im.width * im.height > MAX_PIXELS:
                    return [("image", f"{im.width}x{im.height} pixels is over the limit of {MAX_PIXELS:,} pixels",
                             "resize the image to at most 6000 pixels on its long side")]
                if expected and im.format != expected:
                    return [("image", f"the file is {im.format} but its name says {expected}",
                             f"rename it to .{(im.format or 'img').lower()} or re-save it as {expected}")]
                im.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        return [("image", f"too many pixels (decompression bomb guard): {exc}",
                 "resize the image to at most 6000 pixels on its long side")]
    except OSError as exc:
        return [("image", f"cannot be decoded ({exc})", "re-export the image as a complete JPEG or PNG")]
    return []
