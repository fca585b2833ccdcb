"""Parts of the pages rendered once per build instead of on every page change no page: Material's nav
(theme/partials/nav.html), search box and icon styles (partials/search.html, icons.html) and configuration
script (main.html's config block), the language switcher's button (partials/alternate.html), archive.js's
words (main.html), the footer's copyright (partials/copyright.html), and the table of contents' nav test (partials/toc.html, mkdocs_glue.NavCache.in_nav)."""

from __future__ import annotations

import re

from support import REPO, make_archive, run_mkdocs

THEME = REPO / "hooks" / "docarchive" / "theme"
# Settings that give the cached parts something to show: a palette with its toggles, admonition and tag
# icons, search features; with English and Chinese interface words.
SETTINGS = """  palette:
    - scheme: default
      toggle: {icon: material/weather-night, name: Switch to dark mode}
    - scheme: slate
      toggle: {icon: material/weather-sunny, name: Switch to light mode}
  features: [search.share, search.suggest, search.highlight, navigation.footer]
  icon:
    admonition: {note: octicons/tag-16, abstract: octicons/checklist-16}
    tag: {default: material/tag}
"""


def built_pages(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


# Each cache of the engine's templates, and what its template says without it.
UNCACHED = [
    (r"archive_fragments\.once\(.*, (\w+)\)", r"\1()"),  # main.html's config block (super), the partials' macros
    (r"archive_(?:fragments|nav)\.get\([^)]*\)", "none"),  # never found: rendered on every page
    (r"archive_(?:fragments|nav)\.put\([^,]+, (\w+(?: \| \w+)?)\)", r"\1"),
    (r"archive_nav\.key\(nav, page\)", "none"),
    (r"archive_nav\.in_nav\(nav, page\)", "page in nav.pages"),
]


def uncached_theme(folder):
    """The engine's templates with every render-once cache taken out (UNCACHED)."""
    changed = 0
    for template in THEME.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        if "archive_fragments" not in text and "archive_nav" not in text:
            continue
        for pattern, replacement in UNCACHED:
            text = re.sub(pattern, replacement, text)
        assert "archive_fragments" not in text and "archive_nav" not in text, template
        out = folder / template.relative_to(THEME)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
        changed += 1
    assert changed >= 6  # main.html; nav, toc, search, icons, alternate
    return folder


def archive_with(dest, custom_dir=None):
    root = make_archive(dest)
    config = root / "mkdocs.yml"
    theme = SETTINGS + (f"  custom_dir: {custom_dir}\n" if custom_dir else "")
    text = config.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n" + theme, 1)
    # An offline zip, so that every page's footer links it (partials/copyright.html), from each edition.
    config.write_text(text.replace("  docarchive:\n", "  docarchive:\n    offline_zip: dist/offline.zip\n", 1),
                      encoding="utf-8")
    (root / "dist").mkdir()
    (root / "dist" / "offline.zip").write_bytes(b"PK\x05\x06" + bytes(18))  # an empty zip
    return root


def test_every_page_equals_the_page_material_renders_without_the_caches(tmp_path):
    # The archive's own theme folder comes before the engine's: there, each part rendered on every page.
    cached = archive_with(tmp_path / "cached")
    plain = archive_with(tmp_path / "plain", uncached_theme(tmp_path / "custom"))
    for root in (cached, plain):
        for config in ("mkdocs.yml", "mkdocs-zh.yml"):  # the Chinese edition: its own words, its pages in zh/
            build = run_mkdocs(root, "-f", config)
            assert build.returncode == 0, build.output
    ours, theirs = built_pages(cached / "site"), built_pages(plain / "site")
    assert len(ours) > 40 and ours.keys() == theirs.keys() and "zh/index.html" in ours and "404.html" in ours
    assert [page for page in ours if ours[page] != theirs[page]] == []
    story = ours["stories/one/alpha/index.html"]
    for part in (b'class="md-nav md-nav--primary"', b'data-md-component="search"', b"--md-admonition-icon--note",
                 b'id="__config"', b'"search.share"', b'id="__palette_1"', b'id="da-words"', b'class="md-select__link"'):
        assert part in story
    assert b"../../../assets/javascripts/workers/search." in story  # the config script's links, from this page
    assert b'href="../../../downloads/offline.zip" download' in story
    assert b'href="../../../../downloads/offline.zip" download' in ours["zh/stories/one/alpha/index.html"]
