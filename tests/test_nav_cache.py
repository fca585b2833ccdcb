"""Material's nav, rendered once per distinct result (overrides/partials/nav.html), changes no page."""

from __future__ import annotations

import shutil

from conftest import REPO, make_archive, run_mkdocs


def built_pages(site) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*.html"))}


def test_every_page_equals_the_page_material_renders_without_the_cache(mini_site, tmp_path):
    overrides = tmp_path / "overrides"
    shutil.copytree(REPO / "overrides", overrides)
    (overrides / "partials" / "nav.html").unlink()  # Material's own nav partial, rendered for every page
    root = make_archive(tmp_path / "archive")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace(str(REPO / "overrides"), str(overrides)),
                      encoding="utf-8")
    plain = run_mkdocs(root)
    assert plain.returncode == 0, plain.output
    cached, uncached = built_pages(mini_site.site), built_pages(plain.site)
    assert len(cached) > 20 and cached.keys() == uncached.keys()
    assert [page for page in cached if cached[page] != uncached[page]] == []
    assert b'class="md-nav md-nav--primary"' in cached["stories/one/alpha/index.html"]
