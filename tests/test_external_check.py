"""The no-external-request check reads pages as a browser does (lexbor, an HTML5 parser)."""

from __future__ import annotations

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


def test_pages_come_first_then_stylesheets_each_in_the_order_of_a_sorted_rglob(tmp_path):
    for rel, text in (("z/index.html", '<img src="https://cdn.example/z.png">'), ("a.css", "a{background:url(//x/a)}"),
                      ("b/s.css", "@import 'https://x/b.css';"), ("a/index.html", '<img src="//cdn.example/a.png">'),
                      ("index.html", '<link rel=icon href="https://x/i.png">'), ("a/x.html.css", "")):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    assert offline.external_resources(tmp_path) == [
        ("a/index.html", "//cdn.example/a.png"), ("index.html", "https://x/i.png"),
        ("z/index.html", "https://cdn.example/z.png"), ("a.css", "//x/a"), ("b/s.css", "https://x/b.css")]


def test_a_page_read_as_bytes_finds_what_its_text_finds(tmp_path):
    """Valid UTF-8 with no '\\r' is parsed from its bytes; anything else from its text, as before."""
    pages = {"utf8.html": '\ufeff<p>\u201cquoted\u201d \u4e2d\u6587</p><img src="https://cdn.example/a.png">'.encode(),
             "cr.html": b"<img\r\nsrc='https://cdn.example/cr.png'\r>\r\n<p title='a\rb'>x</p>",
             "latin1.html": '<p>caf\xe9</p><img src="https://cdn.example/l\xe9.png">'.encode("latin-1"),
             "broken.html": b'<img src="\xff\xfehttps://cdn.example/b.png"><img src="https://cdn.example/\xc3.png">'}
    for name, data in pages.items():
        (tmp_path / name).write_bytes(data)
        text = (tmp_path / name).read_text(encoding="utf-8", errors="replace")
        assert offline._page_fetches(offline._page_source(tmp_path / name)) == offline._page_fetches(text), name
    assert isinstance(offline._page_source(tmp_path / "utf8.html"), bytes)
    assert all(isinstance(offline._page_source(tmp_path / n), str) for n in ("cr.html", "latin1.html", "broken.html"))
    assert [url for _, url in offline.external_resources(tmp_path)] == [
        "https://cdn.example/\ufffd.png", "https://cdn.example/cr.png", "https://cdn.example/l\ufffd.png",
        "https://cdn.example/a.png"]
