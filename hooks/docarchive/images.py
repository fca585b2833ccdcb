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


# ------------------------------------------------------------------ derivatives
import hashlib  # noqa: E402
import json  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from PIL import ImageOps  # noqa: E402

WIDTHS = (320, 640, 1024, 1600)
FORMATS = (("webp", "WEBP", {"quality": 80, "method": 4}), ("jpeg", "JPEG", {"quality": 82, "optimize": True,
                                                                            "progressive": True}))
SETTINGS_KEY = json.dumps({"widths": WIDTHS, "formats": [f[:1] + (sorted(f[2].items()),) for f in FORMATS],
                           "v": 1}, default=str)


@dataclass(frozen=True)
class Derivative:
    uri: str  # site path, e.g. media/xiarun-1a2b3c4d-640.webp
    width: int
    height: int
    format: str  # webp | jpeg


@dataclass(frozen=True)
class Rendition:
    photo_id: str
    width: int
    height: int
    colour: str  # dominant colour, shown while the image loads
    derivatives: tuple[Derivative, ...] = field(default_factory=tuple)

    def of(self, fmt: str) -> list[Derivative]:
        return [d for d in self.derivatives if d.format == fmt]

    def srcset(self, fmt: str, relative=lambda uri: uri) -> str:
        return ", ".join(f"{relative(d.uri)} {d.width}w" for d in self.of(fmt))

    def largest(self, fmt: str = "jpeg") -> Derivative:
        return self.of(fmt)[-1]

    def smallest(self, fmt: str = "jpeg") -> Derivative:
        return self.of(fmt)[0]


def content_key(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes())
    digest.update(SETTINGS_KEY.encode())
    return digest.hexdigest()[:16]


def _make(path: Path, photo_id: str, key: str, out_dir: Path) -> dict:
    with Image.open(path) as im:
        im = ImageOps.exif_transpose(im)
        im = im.convert("RGB")
        colour = im.resize((1, 1), Image.Resampling.BOX).getpixel((0, 0))
        widths = [w for w in WIDTHS if w < im.width] + [min(im.width, WIDTHS[-1])]
        items = []
        for width in sorted(set(widths)):
            height = round(im.height * width / im.width)
            small = im.resize((width, height), Image.Resampling.LANCZOS) if width != im.width else im
            for ext, fmt, opts in FORMATS:
                name = f"{photo_id}-{key[:8]}-{width}.{ext}"
                small.save(out_dir / name, fmt, **opts)
                items.append({"name": name, "width": width, "height": height, "format": ext})
    return {"width": im.width, "height": im.height, "colour": "#%02x%02x%02x" % colour, "items": items}


def build_media(photos, cache_dir: Path, prefix: str = "media") -> tuple[dict, list[tuple[str, Path]]]:
    """Derivatives for every photo, re-encoding only photos whose content or settings changed."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    media: dict[str, Rendition] = {}
    outputs: list[tuple[str, Path]] = []
    for photo in photos:
        key = content_key(photo.image)
        manifest = cache_dir / f"{photo.id}-{key}.json"
        if manifest.exists():
            info = json.loads(manifest.read_text())
        else:
            info = _make(photo.image, photo.id, key, cache_dir)
            manifest.write_text(json.dumps(info))
        derivs = tuple(Derivative(f"{prefix}/{i['name']}", i["width"], i["height"], i["format"]) for i in info["items"])
        media[photo.id] = Rendition(photo.id, info["width"], info["height"], info["colour"], derivs)
        outputs += [(f"{prefix}/{i['name']}", cache_dir / i["name"]) for i in info["items"]]
    return media, outputs
