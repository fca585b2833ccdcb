"""Derivatives of one photo: the responsive, metadata-free files the site shows.

Per photo: EXIF orientation applied, colours converted to sRGB (through the
embedded ICC profile, if any), JPEG decoded at reduced scale when that is
enough (``Image.draft``), resized in a cascade (largest first, each size from
the one above, never upscaled), saved in each format with no metadata at all
(no EXIF, GPS, XMP, comment or ICC profile: untagged images are sRGB by
convention), plus a dominant colour and a tiny blurred preview as a data URI.
``render`` runs in a worker process; everything it depends on comes in its
arguments (``Settings``), which is also what the cache key is made of.
"""

from __future__ import annotations

import base64
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

from .photo_cache import atomic_write as _atomic_write
from .photo_checks import bomb_guard, turned

_SRGB = ImageCms.createProfile("sRGB")


@dataclass(frozen=True)
class Settings:
    """Every setting the derivatives depend on (images.py holds the values)."""

    version: int
    widths: tuple[int, ...]
    lqip_width: int
    formats: tuple[str, ...]
    encoders: tuple[tuple[str, str, tuple], ...]  # (extension, Pillow format, sorted options) per format made

    def key(self) -> str:
        """The settings as text: part of each photo's cache key, so changing any of them makes the photos again."""
        return json.dumps({"v": self.version, "widths": self.widths, "lqip": self.lqip_width,
                           "formats": [[ext, fmt, [list(o) for o in opts]] for ext, fmt, opts in self.encoders]},
                          sort_keys=True)

    def target_widths(self, width: int) -> list[int]:
        """Widths for an image ``width`` pixels wide: never upscaled, none within 10% of the top."""
        top = min(width, self.widths[-1])
        return [w for w in self.widths if w * 1.1 < top] + [top]


def to_srgb(im: Image.Image, notes: list[str]) -> Image.Image:
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


def dominant_colour(im: Image.Image) -> str:
    thumb = im.copy()
    thumb.thumbnail((64, 64))
    quant = thumb.quantize(colors=6, method=Image.Quantize.MEDIANCUT)
    _, index = max(quant.getcolors())
    r, g, b = quant.getpalette()[index * 3: index * 3 + 3]
    return f"#{r:02x}{g:02x}{b:02x}"


def lqip(im: Image.Image, lqip_width: int) -> str:
    height = max(1, round(im.height * lqip_width / im.width))
    tiny = im.resize((lqip_width, height), Image.Resampling.BOX)
    buf = io.BytesIO()
    tiny.save(buf, "WEBP", quality=40, method=6)
    return "data:image/webp;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def render(src: str, key: str, out_dir: str, settings: Settings) -> dict:
    """Make every derivative of one image in ``out_dir``; return its manifest. Runs in a worker process."""
    out = Path(out_dir)
    notes: list[str] = []
    with bomb_guard(), Image.open(src) as im:
        full_size = (im.height, im.width) if turned(im) else im.size  # as displayed, before any draft
        top = settings.target_widths(full_size[0])[-1]
        if im.format == "JPEG" and top < full_size[0]:
            scale = top / full_size[0]  # decode at 1/2, 1/4 or 1/8 scale when that still covers the largest width
            im.draft("RGB", (math.ceil(im.width * scale), math.ceil(im.height * scale)))
        im.load()
        oriented = ImageOps.exif_transpose(im)
    im = to_srgb(oriented, notes)
    items = []
    current = im
    for w in sorted(settings.target_widths(full_size[0]), reverse=True):  # cascade: each size from the one above
        h = max(1, round(full_size[1] * w / full_size[0]))
        if current.size != (w, h):
            current = current.resize((w, h), Image.Resampling.LANCZOS, reducing_gap=3.0)
        current.info = {}  # nothing of the original travels: no EXIF, GPS, XMP, comment or profile
        for ext, fmt, opts in settings.encoders:
            name = f"{key}-{w}.{ext}"
            _atomic_write(out / name, lambda tmp: current.save(tmp, fmt, **dict(opts)))
            items.append({"file": name, "width": w, "height": h, "format": ext,
                          "bytes": (out / name).stat().st_size})
    items.sort(key=lambda i: (i["format"], i["width"]))
    return {"settings": settings.key(), "width": full_size[0], "height": full_size[1],
            "colour": dominant_colour(current), "lqip": lqip(current, settings.lqip_width), "items": items,
            "notes": notes}
