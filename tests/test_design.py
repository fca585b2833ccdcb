"""The reading design, as built HTML and CSS: the archive's own words and colours come from its data,
and the stage palette stays readable and distinguishable (browser checks: tests/test_reading.py)."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from docarchive import colours
from docarchive.model import load_archive

REPO = Path(__file__).resolve().parents[1]
ENGINE_FILES = [p for p in [*REPO.glob("overrides/**/*"), *REPO.glob("hooks/docarchive/**/*")]
                if p.suffix in (".html", ".css", ".js")]
# Words of this repository's archive (its stage ids, places, title) that the engine must not know.
ARCHIVE_WORDS = re.compile(r"xiamen|linxia|butterfly|ice-break|\bbloom\b|厦门|临夏|2010–2020", re.I)


def test_engine_templates_and_styles_hold_none_of_this_archives_content():
    assert ENGINE_FILES, "no templates found"
    found = [f"{p.relative_to(REPO)}: {m.group(0)}" for p in ENGINE_FILES
             for m in ARCHIVE_WORDS.finditer(p.read_text(encoding="utf-8"))]
    assert not found, found


def test_home_page_takes_title_and_lede_from_the_archive_record(mini_site):
    home = mini_site.html("index.html")
    assert "<h1>The fixture archive, 2010–2020" in home
    assert 'with a Chinese name <span lang="zh-Hans">临夏</span> in its opening paragraph' in home
    assert "Xiamen" not in home
    assert "1 story<" in home.replace("</span>", "<") and "1 stories" not in home


def test_without_an_archive_record_the_home_heading_is_the_site_name(archive):
    from support import run_mkdocs

    (archive / "data" / "archive.yml").unlink()
    build = run_mkdocs(archive)
    assert build.returncode == 0, build.output
    assert "<h1>Fixture archive</h1>" in build.html("index.html")


def test_the_build_writes_the_stage_stylesheet_from_the_stage_records(mini_site):
    css = (mini_site.site / colours.STYLESHEET).read_text(encoding="utf-8")
    assert '[data-stage="one"] { --da-stage: #1f5f8b; }' in css  # declared in the fixture
    made = colours.to_hex(colours.made_from_id("two"))  # stage two declares none
    assert f'[data-stage="two"] {{ --da-stage: {made}; }}' in css
    assert "#8cc3ea" in css  # stage one's dark-palette colour
    assert 'href="assets/stylesheets/stages.css"' in mini_site.html("index.html")


def test_a_stage_colour_without_contrast_is_refused_with_its_line(archive):
    from support import run_mkdocs

    stages = archive / "data" / "stages.yml"
    stages.write_text(stages.read_text(encoding="utf-8").replace('colour: "#1f5f8b"', 'colour: "#f0e0a0"'),
                      encoding="utf-8")
    build = run_mkdocs(archive)
    assert build.returncode != 0
    assert re.search(r"data/stages\.yml:\d+: colour: #f0e0a0 behind white text has a contrast of 1\.\d:1", build.output)


# ---- the palette: every pair of stages apart, also under colour-vision deficiency

# Viénot, Brettel and Mollon (1999) dichromat simulation, on linear RGB (as in DaltonLens).
VIENOT = {
    "normal": None,
    "deuteranopia": ((0.29275, 0.70725, 0.0), (0.29275, 0.70725, 0.0), (-0.02234, 0.02234, 1.0)),
    "protanopia": ((0.11238, 0.88762, 0.0), (0.11238, 0.88762, 0.0), (0.00401, -0.00401, 1.0)),
}
MIN_DELTA_E = 20  # CIE76; 2.3 is a just-noticeable difference, 20+ reads as another colour at a glance


def _linear(c: int) -> float:
    c /= 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def lab(rgb, matrix=None):
    lin = [_linear(c) for c in rgb]
    if matrix:
        lin = [min(1.0, max(0.0, sum(m * v for m, v in zip(row, lin)))) for row in matrix]
    r, g, b = lin
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = [t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116 for t in (x, y, z)]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


def delta_e(a, b) -> float:
    return sum((p - q) ** 2 for p, q in zip(a, b)) ** 0.5


def test_delta_e_reproduces_the_review_finding_for_the_old_palette():
    # Butterfly #8a4b00 and Root #6b4f2a, both dark brown: under deuteranopia they nearly merge.
    old = [colours.parse(c) for c in ("#8a4b00", "#1f5f8b", "#6b4f2a", "#2e6b30", "#a0224e")]
    deutan = [lab(c, VIENOT["deuteranopia"]) for c in old]
    assert min(delta_e(a, b) for a, b in itertools.combinations(deutan, 2)) < 5


@pytest.mark.parametrize("vision", sorted(VIENOT))
@pytest.mark.parametrize("palette", ["colour", "colour_dark"])
def test_stage_colours_stay_apart_under_colour_vision_deficiency(vision, palette):
    stages = load_archive(REPO).stages
    values = {s.id: colours.parse(getattr(s, palette)) for s in stages}
    for (a, ca), (b, cb) in itertools.combinations(values.items(), 2):
        d = delta_e(lab(ca, VIENOT[vision]), lab(cb, VIENOT[vision]))
        assert d >= MIN_DELTA_E, f"{palette} of {a} and {b}: ΔE {d:.1f} under {vision}"


def test_stage_colours_carry_their_text():
    for stage in load_archive(REPO).stages:
        assert colours.contrast(colours.parse(stage.colour), colours.WHITE) >= 4.5, stage.id
        assert colours.contrast(colours.parse(stage.colour_dark), colours.INK) >= 4.5, stage.id


# ---- stories: first mentions linked, translation notes set apart

def test_first_mentions_of_a_storys_entities_link_once_and_notes_are_set_apart(archive):
    from support import run_mkdocs

    story = archive / "stories" / "one" / "aardvark.md"
    text = story.read_text(encoding="utf-8")
    story.write_text(text + "\nTian Xiaoping came back to Hezheng County, and Tian Xiaoping stayed.[^1]\n\n"
                     "## Translation notes\n\nThe translation spells the name two ways.\n\n"
                     "[^1]: The translation's word is unclear.\n", encoding="utf-8")
    build = run_mkdocs(archive)
    assert build.returncode == 0, build.output
    html = build.html("stories/one/aardvark/index.html")
    prose = html[html.index('<div class="da-prose">'):html.index('id="about"')]
    assert prose.count('class="da-mention" href="../../../people/tian/"') == 1
    assert prose.count('class="da-mention" href="../../../places/hezheng/"') == 1
    assert '<section class="da-notes" aria-labelledby="translation-notes"><h2 id="translation-notes">' in prose
    assert 'class="footnote"' in prose and prose.index("da-notes") < prose.index('class="footnote"')
    # headings and existing links are never linked again
    assert not re.search(r"<h[1-6][^>]*>[^<]*<a class=\"da-mention\"", html)


# ---- the way through and the edges, as built HTML

def test_every_generated_page_has_a_skip_link_to_its_content(mini_site):
    for rel in ("index.html", "photos/index.html", "stories/one/alpha/index.html", "timeline/index.html",
                "places/hezheng/index.html"):
        html = mini_site.html(rel)
        assert '<a href="#da-content" class="md-skip">' in html and 'id="da-content"' in html, rel


def test_a_story_marks_its_stage_in_the_nav_and_only_its_own(mini_site):
    one = mini_site.html("stories/one/alpha/index.html")
    two = mini_site.html("stories/two/gamma/index.html")
    assert re.search(r'md-nav__item--active">\s*<a href="[^"]*stages/one/"', one)
    assert not re.search(r'md-nav__item--active">\s*<a href="[^"]*stages/two/"', one)
    assert re.search(r'md-nav__item--active">\s*<a href="[^"]*stages/two/"', two)  # not the cached nav of one


def test_pages_carry_open_graph_a_citation_line_for_print_and_a_useful_404(mini_site):
    story = mini_site.html("stories/one/alpha/index.html")
    assert '<meta property="og:title" content="Alpha story">' in story
    assert '<meta property="og:type" content="article">' in story and 'property="og:description"' in story
    assert 'class="da-print-only da-print-cite"' in story
    missing = mini_site.html("404.html")
    assert "Page not found" in missing and 'for="__search"' in missing and "Go to the home page" in missing
    css = (REPO / "hooks/docarchive/theme/assets/stylesheets/archive.css").read_text(encoding="utf-8")
    assert "min-width: 44px; min-height: 44px;" in css
