"""Placeholder cards: `python -m docarchive placeholders` and the cards it makes."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from docarchive import images, placeholders
from docarchive.cli import main
from docarchive.model import load_archive

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture
def without_card(archive):
    """The mini archive with its placeholder record (photos/card.yml) still waiting for its image."""
    (archive / "photos" / "card.png").unlink()
    return archive


def test_cli_makes_a_card_for_each_placeholder_record_without_an_image(without_card, capsys):
    bags_before = (without_card / "photos" / "bags.jpg").read_bytes()
    assert main(["placeholders", str(without_card)]) == 0
    out = capsys.readouterr().out
    assert "1 placeholder card(s) made" in out and "card.jpg" in out
    card = without_card / "photos" / "card.jpg"
    with Image.open(card) as im:
        assert im.format == "JPEG" and im.size == placeholders.SIZE == (1600, 1000)
        assert not im.getexif() and "icc_profile" not in im.info
        assert im.getpixel((5, 5)) != (255, 255, 255)  # a coloured card, not white paper
    assert card.stat().st_size < 60_000
    assert (without_card / "photos" / "bags.jpg").read_bytes() == bags_before  # not a placeholder: untouched
    # The archive is complete again and its new image passes every check.
    load_archive(without_card, inspect_image=images.inspect)
    # Running again makes nothing: an existing image is never overwritten.
    assert main(["placeholders", str(without_card)]) == 0
    assert "0 placeholder card(s) made" in capsys.readouterr().out


def test_card_has_the_stage_colour_and_white_text():
    card = placeholders.Card("x", "root", "Root", "Xiamen companies building factories in Linxia", (107, 79, 42))
    im = placeholders.render_card(card)
    assert im.getpixel((20, 20)) == (107, 79, 42)
    band = im.crop((placeholders.MARGIN, 180, 1400, 330))  # where PLACEHOLDER is drawn
    whites = band.convert("L").point(lambda v: 255 if v > 240 else 0).histogram()[255]
    assert whites > 10_000


LONG_TEXT = "A long description of the photograph that the archive does not hold. " * 8


def test_long_depicts_text_is_wrapped_to_the_width_and_cut_after_the_last_line():
    draw = ImageDraw.Draw(Image.new("RGB", (10, 10)))
    font, width = placeholders._font(40), placeholders.SIZE[0] - 2 * placeholders.MARGIN
    lines = placeholders._wrap(draw, LONG_TEXT, font, width, max_lines=placeholders.MAX_LINES)
    assert len(lines) == placeholders.MAX_LINES == 3
    assert all(draw.textlength(line, font=font) <= width for line in lines)  # wrapped within the width ...
    assert all(draw.textlength(f"{line} {nxt.split()[0]}", font=font) > width  # ... and each line is full
               for line, nxt in zip(lines, lines[1:]))
    assert lines[-1].endswith(" ...")  # cut, and says so
    kept = " ".join(lines).removesuffix(" ...")
    assert LONG_TEXT.startswith(kept) and len(kept) < len(LONG_TEXT.strip()) / 2
    assert placeholders._wrap(draw, "A short text.", font, width, placeholders.MAX_LINES) == ["A short text."]


def white_rows(im, box) -> list[int]:
    """The rows of ``box`` that hold white (text) pixels."""
    region = im.crop(box).convert("L").point(lambda v: 255 if v > 240 else 0)
    return [y for y in range(region.height) if region.crop((0, y, region.width, y + 1)).getbbox()]


def test_a_card_with_long_text_shows_three_lines_inside_the_margins_and_stays_small():
    card = placeholders.Card("long-one", "bloom", "Bloom", LONG_TEXT, (160, 34, 78))
    im = placeholders.render_card(card)
    m, (w, h) = placeholders.MARGIN, placeholders.SIZE
    top, step = m + 64 + 220, 56  # where the depicts text starts, and its line height
    rows = white_rows(im, (m, top, w - m, top + 5 * step))
    bands = sorted({y // step for y in rows})
    assert bands == [0, 1, 2]  # three lines, nothing on a fourth or fifth
    assert white_rows(im, (w - m + 4, top, w - 60, top + 3 * step)) == []  # nothing past the right margin
    assert len(placeholders.encode_card(im)) <= placeholders.MAX_BYTES


def test_stage_colour_comes_from_the_stage_record_or_is_made_from_the_id(without_card):
    assert placeholders.stage_colour("root", "#6b4f2a") == (0x6B, 0x4F, 0x2A)
    made = placeholders.stage_colour("unknown-stage")
    assert made == placeholders.stage_colour("unknown-stage", "") and max(made) < 160  # dark enough for white text
    # The card's stage (two) declares no colour; stage one's declared colour must not leak to it.
    stages = (without_card / "data" / "stages.yml").read_text(encoding="utf-8")
    (without_card / "data" / "stages.yml").write_text(
        stages.replace("  title: Stage Two\n", '  title: Stage Two\n  colour: "#174524"\n'), encoding="utf-8")
    [card] = placeholders.plan(without_card)
    assert card.stage_id == "two" and card.colour == (0x17, 0x45, 0x24)


def test_the_real_archive_has_a_small_card_for_every_placeholder_record():
    records = [p for p in sorted((REPO / "photos").glob("*.yml")) if "placeholder: true" in p.read_text()]
    assert records, "the archive's photo records are placeholders for now"
    assert placeholders.plan(REPO) == [], "run: python -m docarchive placeholders ."
    for record in records:
        image = record.with_suffix(".jpg")
        assert image.exists(), image
        assert image.stat().st_size < 60_000, image
        with Image.open(image) as im:
            assert im.size == (1600, 1000)
