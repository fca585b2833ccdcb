"""The no-external-request check reads pages as a browser does (lexbor, an HTML5 parser)."""

from __future__ import annotations

from pathlib import Path

from docarchive import offline


def test_fetches_hidden_by_html_spelling_are_found(tmp_path):
    (tmp_path / "index.html").write_text(
        '<IMG SRC="&#104;ttps://cdn.example/entity.png">'          # upper case, an entity in the URL
        '<video poster=//cdn.example/unquoted.jpg></video>'         # an unquoted value
        '<style>body{background:url( "https://cdn.example/style-element.png" )}</style>'
        '<object data="https://cdn.example/object.swf"></object>'
        '<link rel="Preload Stylesheet" href="https://cdn.example/mixed-case.css">'
        '<p title="src=https://cdn.example/not-an-attribute">text src="https://cdn.example/text"</p>'
        '<a href="https://example.org/">a link is not a fetch</a>', encoding="utf-8")
    assert offline.external_resources(tmp_path) == [
        ("index.html", "https://cdn.example/entity.png"),
        ("index.html", "//cdn.example/unquoted.jpg"),
        ("index.html", "https://cdn.example/style-element.png"),
        ("index.html", "https://cdn.example/object.swf"),
        ("index.html", "https://cdn.example/mixed-case.css"),
    ]


def test_a_clean_page_has_no_fetches(tmp_path):
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="assets/site.css"><script src="assets/app.js"></script>'
        '<img src="media/a.jpg" srcset="media/a-480.jpg 480w, media/a-960.jpg 960w">', encoding="utf-8")
    assert offline.external_resources(tmp_path) == []


def test_the_site_is_walked_in_the_order_and_with_the_files_of_a_sorted_rglob(tmp_path):
    site = tmp_path / "site"
    for rel in ("index.html", "a-b/index.html", "a/index.html", "a.b/x.html", "a/b/c/deep.html", "A/z.html",
                "a/page.htmlx", "b/.hidden.html", "b/x.html.map", "assets/s.css", "assets/s.css.map", "z.js"):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text("x", encoding="utf-8")
    for suffixes in ((".html",), (".map",), (".js", ".css")):
        expected = sorted(p for s in suffixes for p in site.rglob(f"*{s}"))
        assert offline.site_files(site, *suffixes) == expected
        assert offline.site_files(str(site) + "/", *suffixes) == expected
    assert [p.relative_to(site).as_posix() for p in offline.site_files(site, ".html")] == [  # part by part
        "A/z.html", "a/b/c/deep.html", "a/index.html", "a-b/index.html", "a.b/x.html", "b/.hidden.html", "index.html"]


def test_a_page_is_checked_on_the_bytes_written_and_a_changed_or_unwritten_file_from_the_file(tmp_path, monkeypatch):
    """on_post_page finds each page's fetches on the bytes MkDocs writes (offline.WrittenPages); the post-build
    check takes them only for a file that still holds those bytes, and parses every other file as before."""
    outputs = {
        "a/index.html": '<p>\u201cquoted\u201d</p><img src="https://cdn.example/a.png">',
        "b/index.html": "<p>clean when written</p>",
        "c/index.html": "<img src='https://cdn.example/c.png'>\r\n<p>a carriage return</p>",
        "d/index.html": "<p>a lone surrogate \ud800</p><video poster=//cdn.example/d.jpg></video>",
        "e/index.html": "<p>changed to the same length</p>",
    }
    written = offline.WrittenPages()
    for rel, output in outputs.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True)
        path.write_bytes(output.encode("utf-8", errors="xmlcharrefreplace"))  # as mkdocs.commands.build does
        written.add(str(path), output)
    (tmp_path / "404.html").write_text('<script src="https://cdn.example/404.js"></script>', encoding="utf-8")
    (tmp_path / "b/index.html").write_text('<img src="https://cdn.example/later.png">', encoding="utf-8")
    same_size = '<p><img src="//cdn.example/e.png">same</p>'.ljust(len(outputs["e/index.html"]))
    (tmp_path / "e/index.html").write_text(same_size, encoding="utf-8")
    assert set(written.pages) == {str(tmp_path / r) for r in ("a/index.html", "b/index.html", "d/index.html",
                                                             "e/index.html")}  # c: read_text turns its \r round
    parsed = []
    page_fetches = offline._page_fetches
    monkeypatch.setattr(offline, "_page_fetches", lambda html: parsed.append(html) or page_fetches(html))
    found = offline.external_resources(tmp_path, written=written)
    assert len(parsed) == 4  # 404.html, b, c and e: a and d are taken from what was found as they were written
    assert found == offline.external_resources(tmp_path) == [
        ("404.html", "https://cdn.example/404.js"),
        ("a/index.html", "https://cdn.example/a.png"),
        ("b/index.html", "https://cdn.example/later.png"),
        ("c/index.html", "https://cdn.example/c.png"),
        ("d/index.html", "//cdn.example/d.jpg"),
        ("e/index.html", "//cdn.example/e.png"),
    ]


def test_a_build_checks_its_pages_as_written_and_finds_what_reading_them_back_finds(tmp_path, monkeypatch):
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from support import make_archive

    from docarchive import mkdocs_glue

    root = make_archive(tmp_path / "archive")
    monkeypatch.chdir(root)
    config = load_config(str(root / "mkdocs.yml"))
    config.extra_javascript.append("https://cdn.example/every-page.js")  # a fetch on every page
    build(config)
    written, site = mkdocs_glue.state(config).written, Path(config.site_dir)
    pages = [p for p in offline.site_files(site, ".html") if str(p) in written.pages]
    assert len(pages) > 20 and all(written.fetches(p) is not None for p in pages)  # every page taken as written
    assert len(offline.site_files(site, ".html")) > len(pages)  # 404.html at least, parsed from the file
    found = offline.external_resources(site, written=written)
    assert found == offline.external_resources(site)
    assert {rel for rel, url in found if url == "https://cdn.example/every-page.js"} >= {
        p.relative_to(site).as_posix() for p in pages}
