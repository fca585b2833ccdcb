"""Placeholder cards: generated stand-ins for photographs the archive does not hold.

``python -m docarchive placeholders [ROOT]`` makes, for every caption record
in ``photos/`` with ``placeholder: true`` and no image yet, a 1600x1000 JPEG
card: the stage's colour, the word PLACEHOLDER, what the real photograph shows
(``depicts``), and the line "Generated image, not a photograph". A card is
flat colour and text with a dashed frame, so it can never pass for a
photograph. Existing images are never overwritten.
"""

from __future__ import annotations

import colorsys
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from .problems import Problems
from .yamlsrc import Mapping, Sequence, parse_yaml

SIZE = (1600, 1000)
MARGIN = 110
NOTICE = "Generated image, not a photograph"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
THEME_CSS = "overrides/assets/stylesheets/archive.css"  # stage colours, --da-<stage>: #rrggbb
JPEG_OPTIONS = {"quality": 80, "optimize": True, "progressive": True}


@dataclass(frozen=True)
class Card:
    photo_id: str
    stage_id: str
    stage_title: str
    depicts: str
    colour: tuple[int, int, int]


def stage_colour(stage_id: str, css: str = "") -> tuple[int, int, int]:
    """The stage's colour from the theme stylesheet (its first, light-palette value), else one made from its id."""
    match = re.search(r"--da-%s:\s*#([0-9a-fA-F]{6})\b" % re.escape(stage_id), css)
    if match:
        value = match.group(1)
        return tuple(int(value[i:i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]
    hue = int(hashlib.sha256(stage_id.encode()).hexdigest()[:4], 16) / 0xFFFF
    r, g, b = colorsys.hls_to_rgb(hue, 0.30, 0.55)  # dark enough for white text (contrast > 4.5:1)
    return round(r * 255), round(g * 255), round(b * 255)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font, width: int, max_lines: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and draw.textlength(last + " ...", font=font) > width:
            last = last.rsplit(" ", 1)[0] if " " in last else last[:-1]
        lines[-1] = last + " ..."
    return lines


def render_card(card: Card) -> Image.Image:
    """The card as an RGB image of ``SIZE``."""
    im = Image.new("RGB", SIZE, card.colour)
    draw = ImageDraw.Draw(im)
    white = (255, 255, 255)
    inner = SIZE[0] - 2 * MARGIN
    # A dashed frame: nothing in a photograph looks like this.
    x0, y0, x1, y1 = 40, 40, SIZE[0] - 40, SIZE[1] - 40
    for start in range(x0, x1, 60):
        draw.line([(start, y0), (min(start + 30, x1), y0)], fill=white, width=6)
        draw.line([(start, y1), (min(start + 30, x1), y1)], fill=white, width=6)
    for start in range(y0, y1, 60):
        draw.line([(x0, start), (x0, min(start + 30, y1))], fill=white, width=6)
        draw.line([(x1, start), (x1, min(start + 30, y1))], fill=white, width=6)

    small = ImageFont.load_default(size=34)
    big = ImageFont.load_default(size=170)
    body = ImageFont.load_default(size=48)
    y = MARGIN
    draw.text((MARGIN, y), f"{card.stage_title.upper()}  ·  {card.photo_id}", font=small, fill=white)
    y += 70
    draw.text((MARGIN, y), "PLACEHOLDER", font=big, fill=white)
    y += 230
    for line in _wrap(draw, card.depicts, body, inner, max_lines=6):
        draw.text((MARGIN, y), line, font=body, fill=white)
        y += 64
    draw.text((MARGIN, SIZE[1] - MARGIN - 40), NOTICE, font=ImageFont.load_default(size=44), fill=white)
    return im


def _records(root: Path, problems: Problems) -> list[tuple[str, Mapping]]:
    out = []
    for path in sorted((root / "photos").glob("*.y*ml")):
        rel = path.relative_to(root).as_posix()
        parsed = parse_yaml(path.read_text(encoding="utf-8"), rel)
        problems.extend(parsed.problems)
        if parsed.ok and isinstance(parsed.data, Mapping):
            out.append((path.stem, parsed.data))
    return out


def _stage_titles(root: Path, problems: Problems) -> dict[str, str]:
    path = root / "data" / "stages.yml"
    if not path.exists():
        return {}
    parsed = parse_yaml(path.read_text(encoding="utf-8"), "data/stages.yml")
    problems.extend(parsed.problems)
    if not isinstance(parsed.data, Sequence):
        return {}
    return {str(s["id"]): str(s.get("title", s["id"])) for s in parsed.data if isinstance(s, Mapping) and "id" in s}


def plan(root: Path, problems: Problems | None = None) -> list[Card]:
    """The cards to make: records with ``placeholder: true`` whose image does not exist yet."""
    problems = Problems() if problems is None else problems
    root = Path(root)
    titles = _stage_titles(root, problems)
    css_path = root / THEME_CSS
    css = css_path.read_text(encoding="utf-8") if css_path.exists() else ""
    cards = []
    for stem, rec in _records(root, problems):
        if rec.get("placeholder") is not True:
            continue
        if any((root / "photos" / f"{stem}{suffix}").exists() for suffix in IMAGE_SUFFIXES):
            continue
        stage = str(rec.get("stage") or "")
        depicts = str(rec.get("depicts") or rec.get("caption") or "").removeprefix("Placeholder:").strip()
        cards.append(Card(stem, stage, titles.get(stage, stage), depicts, stage_colour(stage, css)))
    return cards


def generate(root: Path) -> tuple[list[Path], Problems]:
    """Write a card for every placeholder record without an image; return the files written."""
    root = Path(root)
    problems = Problems()
    written = []
    for card in plan(root, problems):
        target = root / "photos" / f"{card.photo_id}.jpg"
        render_card(card).save(target, "JPEG", **JPEG_OPTIONS)
        written.append(target)
    return written, problems
