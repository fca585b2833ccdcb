"""Placeholder cards: generated stand-ins for photographs the archive does not hold.

``python -m docarchive placeholders [ROOT]`` makes, for every caption record
in ``photos/`` with ``placeholder: true`` and no image yet, a 1600x1000 JPEG
card: the stage's colour, the word PLACEHOLDER, what the real photograph shows
(``depicts``), and the line "Generated image, not a photograph". A card is
flat colour and text with a dashed frame, so it can never pass for a
photograph. Existing images are never overwritten.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from . import colours
from .problems import Problems
from .yamlsrc import Mapping, Sequence, parse_yaml

SIZE = (1600, 1000)
MARGIN = 110
NOTICE = "Generated image, not a photograph"
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
MAX_LINES = 3  # of the depicts text; longer text ends with "..."
MAX_BYTES = 60_000  # cards are text on flat colour; JPEG spends most of its bytes on the letters' edges
QUALITIES = (75, 70, 65, 60, 55, 50, 45, 40)  # the first that fits MAX_BYTES is used


@dataclass(frozen=True)
class Card:
    photo_id: str
    stage_id: str
    stage_title: str
    depicts: str
    colour: tuple[int, int, int]


def stage_colour(stage_id: str, declared: str = "") -> tuple[int, int, int]:
    """The stage's declared colour (its record's ``colour``, light palette), else the one made from its id."""
    if declared and colours.HEX.match(declared):
        return colours.parse(declared)
    return colours.made_from_id(stage_id)  # dark enough for white text (contrast > 4.5:1)


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
    # A dashed frame, nothing a photograph has. Dashes sit on JPEG's 8-pixel block grid, so they cost
    # almost nothing to encode (an unaligned frame adds ~20 KB).
    near, far_x, far_y = 48, SIZE[0] - 56, SIZE[1] - 56
    for x in range(near, far_x - 24, 64):
        draw.rectangle([x, near, x + 31, near + 7], fill=white)
        draw.rectangle([x, far_y, x + 31, far_y + 7], fill=white)
    for y in range(near, far_y - 24, 64):
        draw.rectangle([near, y, near + 7, y + 31], fill=white)
        draw.rectangle([far_x, y, far_x + 7, y + 31], fill=white)

    inner = SIZE[0] - 2 * MARGIN
    y = MARGIN
    draw.text((MARGIN, y), f"{card.stage_title.upper()}  ·  {card.photo_id}", font=_font(32), fill=white)
    y += 64
    draw.text((MARGIN, y), "PLACEHOLDER", font=_font(160), fill=white)
    y += 220
    body = _font(40)
    for line in _wrap(draw, card.depicts, body, inner, max_lines=MAX_LINES):
        draw.text((MARGIN, y), line, font=body, fill=white)
        y += 56
    draw.text((MARGIN, SIZE[1] - MARGIN - 44), NOTICE, font=_font(44), fill=white)
    return im


def _font(size: int):
    return ImageFont.load_default(size=size)  # Pillow's own font (Aileron): no system font needed


def encode_card(im: Image.Image) -> bytes:
    """The card as a JPEG of at most MAX_BYTES if it can be (the best quality that fits), with no metadata."""
    data = b""
    for quality in QUALITIES:
        buf = io.BytesIO()
        im.save(buf, "JPEG", quality=quality, optimize=True, progressive=True)
        data = buf.getvalue()
        if len(data) <= MAX_BYTES:
            break
    return data


def _records(root: Path, problems: Problems) -> list[tuple[str, Mapping]]:
    out = []
    for path in sorted((root / "photos").glob("*.y*ml")):
        rel = path.relative_to(root).as_posix()
        parsed = parse_yaml(path.read_text(encoding="utf-8"), rel)
        problems.extend(parsed.problems)
        if parsed.ok and isinstance(parsed.data, Mapping):
            out.append((path.stem, parsed.data))
    return out


def _stages(root: Path, problems: Problems) -> dict[str, tuple[str, str]]:
    """Stage id -> (title, declared colour) from data/stages.yml."""
    path = root / "data" / "stages.yml"
    if not path.exists():
        return {}
    parsed = parse_yaml(path.read_text(encoding="utf-8"), "data/stages.yml")
    problems.extend(parsed.problems)
    if not isinstance(parsed.data, Sequence):
        return {}
    return {str(s["id"]): (str(s.get("title", s["id"])), str(s.get("colour") or ""))
            for s in parsed.data if isinstance(s, Mapping) and "id" in s}


def plan(root: Path, problems: Problems | None = None) -> list[Card]:
    """The cards to make: records with ``placeholder: true`` whose image does not exist yet."""
    problems = Problems() if problems is None else problems
    root = Path(root)
    stages = _stages(root, problems)
    cards = []
    for stem, rec in _records(root, problems):
        if rec.get("placeholder") is not True:
            continue
        if any((root / "photos" / f"{stem}{suffix}").exists() for suffix in IMAGE_SUFFIXES):
            continue
        stage = str(rec.get("stage") or "")
        depicts = str(rec.get("depicts") or rec.get("caption") or "").removeprefix("Placeholder:").strip()
        title, colour = stages.get(stage, (stage, ""))
        cards.append(Card(stem, stage, title, depicts, stage_colour(stage, colour)))
    return cards


def generate(root: Path) -> tuple[list[Path], Problems]:
    """Write a card for every placeholder record without an image; return the files written."""
    root = Path(root)
    problems = Problems()
    written = []
    for card in plan(root, problems):
        target = root / "photos" / f"{card.photo_id}.jpg"
        target.write_bytes(encode_card(render_card(card)))
        written.append(target)
    return written, problems
