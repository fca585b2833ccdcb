"""Parts of Material's pages rendered once per build instead of on every page change no page: the nav
(theme/partials/nav.html), the search box and icon styles (partials/search.html, icons.html), the
configuration script (main.html's config block) and the table of contents' nav test (partials/toc.html,
mkdocs_glue.NavCache.in_nav)."""

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


def uncached_theme(folder):
    """The engine's templates with every render-once cache taken out: Material's partials included
    directly, main.html without its config block, toc.html asking ``page in nav.pages`` itself."""
    partials = folder / "partials"
    partials.mkdir(parents=True)
    for name in ("nav.html", "search.html", "icons.html"):
        (partials / name).write_text(f'{{% include "material/partials/{name}" %}}', encoding="utf-8")
    main = (THEME / "main.html").read_text(encoding="utf-8")
    without, found = re.subn(r"\{% block config %\}.*?\{% endblock %\}", "", main, flags=re.S)
    assert found == 1
    (folder / "main.html").write_text(without, encoding="utf-8")
    toc = (THEME / "partials" / "toc.html").read_text(encoding="utf-8")
    assert "archive_nav.in_nav(nav, page)" in toc
    (partials / "toc.html").write_text(toc.replace("archive_nav.in_nav(nav, page)", "page in nav.pages"),
                                       encoding="utf-8")
    return folder


def archive_with(dest, custom_dir=None):
    root = make_archive(dest)
    config = root / "mkdocs.yml"
    theme = SETTINGS + (f"  custom_dir: {custom_dir}\n" if custom_dir else "")
    config.write_text(config.read_text(encoding="utf-8").replace("  name: material\n", "  name: material\n" + theme, 1),
                      encoding="utf-8")
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
                 b'id="__config"', b'"search.share"', b'id="__palette_1"'):
        assert part in story
    assert b"../../../assets/javascripts/workers/search." in story  # the config script's links, from this page
