"""Material's nav, rendered once per distinct result (theme/partials/nav.html), changes no page."""

from __future__ import annotations

from support import make_archive, run_mkdocs


def built_pages(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def test_every_page_equals_the_page_material_renders_without_the_cache(mini_site, tmp_path):
    # The archive's own theme folder comes before the engine's: there, Material's nav partial
    # included directly, rendered for every page.
    custom = tmp_path / "custom" / "partials"
    custom.mkdir(parents=True)
    (custom / "nav.html").write_text('{% include "material/partials/nav.html" %}', encoding="utf-8")
    root = make_archive(tmp_path / "archive")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "  name: material\n", f"  name: material\n  custom_dir: {custom.parent}\n", 1), encoding="utf-8")
    plain = run_mkdocs(root)
    assert plain.returncode == 0, plain.output
    cached, uncached = built_pages(mini_site.site), built_pages(plain.site)
    assert len(cached) > 20 and cached.keys() == uncached.keys()
    assert [page for page in cached if cached[page] != uncached[page]] == []
    assert b'class="md-nav md-nav--primary"' in cached["stories/one/alpha/index.html"]
