"""Nothing is fetched from another host: each way a page could load something from the internet
fails the real build, and the report names the source file and line to fix, not only the page."""

from __future__ import annotations

from support import run_mkdocs

from docarchive import offline
from docarchive.mkdocs_glue import THEME_DIR
from docarchive.schema import external_fetch

CDN_SCRIPT = "https://cdn.jsdelivr.net/npm/chart.js@4/dist/chart.umd.min.js"
CDN_FONT = "https://fonts.googleapis.com/css2?family=Noto+Serif"
CDN_IMAGE = "https://cdn.example.org/photo.png"


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_external_fetch_finds_what_a_browser_loads_not_what_a_reader_follows():
    assert external_fetch(f'A picture: <img src="{CDN_IMAGE}" alt="x">') == CDN_IMAGE
    assert external_fetch(f"![a photo]({CDN_IMAGE})") == CDN_IMAGE
    assert external_fetch("<video poster='//cdn.example.org/p.jpg'>") == "//cdn.example.org/p.jpg"
    assert external_fetch('<img srcset="a.jpg 1x, https://cdn.example.org/b.jpg 2x">') == ""  # local first entry
    assert external_fetch('<div style="background: url(https://cdn.example.org/bg.png)">') == \
        "https://cdn.example.org/bg.png"
    for harmless in ("[the source](https://example.org/a)", '<a href="https://example.org/">x</a>',
                     '<img src="../media/a.jpg">', "https://example.org written as text"):
        assert external_fetch(harmless) == "", harmless


def test_where_written_names_file_and_line(tmp_path):
    (tmp_path / "theme").mkdir()
    (tmp_path / "theme" / "main.html").write_text(f'<p>\n<link rel="stylesheet" href="{CDN_FONT}">\n')
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    assert offline.where_written(CDN_FONT, [tmp_path / "mkdocs.yml", tmp_path / "theme"], tmp_path) == \
        ["theme/main.html:2"]
    # a URL the template builds from parts is found by its host
    (tmp_path / "theme" / "main.html").write_text('<p>\n\n<script src="https://cdn.jsdelivr.net/{{ x }}">\n')
    assert offline.where_written(CDN_SCRIPT, [tmp_path / "theme"], tmp_path) == ["theme/main.html:3"]
    assert offline.where_written(CDN_SCRIPT, [tmp_path / "mkdocs.yml"], tmp_path) == []


def test_cdn_script_template_font_and_page_image_fail_the_build_each_at_its_source_line(archive):
    """Three fetches the content checks cannot see: the post-build check finds each in the built
    pages and names where it is written: mkdocs.yml, the template, the hand-written page."""
    theme = archive / "theme"  # the archive's own override of the engine's main template
    theme.mkdir()
    main = theme / "main.html"
    main.write_text((THEME_DIR / "main.html").read_text(encoding="utf-8").replace(
        "{% block styles %}\n  {{ super() }}\n", f'{{% block styles %}}\n  {{{{ super() }}}}\n  <link rel="stylesheet" href="{CDN_FONT}">\n'),
        encoding="utf-8")
    assert CDN_FONT in main.read_text(encoding="utf-8")
    config = archive / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("theme:\n", "theme:\n  custom_dir: theme\n")
                      + f"extra_javascript:\n  - {CDN_SCRIPT}\n", encoding="utf-8")
    about = archive / "docs" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + f'\n<img src="{CDN_IMAGE}" alt="a picture">\n',
                     encoding="utf-8")
    build = run_mkdocs(archive)
    assert build.returncode != 0
    for source, url in ((config, CDN_SCRIPT), (main, CDN_FONT), (about, CDN_IMAGE)):
        where = f"{source.relative_to(archive).as_posix()}:{line_of(source, url)}: network: loads {url} from the internet"
        assert where in build.output, (where, build.output[-3000:])
    assert "Aborted with 3 warnings in strict mode" in build.output


def test_a_story_with_an_image_from_another_host_fails_at_its_line(archive):
    story = archive / "stories" / "one" / "alpha.md"
    story.write_text(story.read_text(encoding="utf-8") + f'\nA picture: <img src="{CDN_IMAGE}" alt="x">\n\n'
                     f"And one in Markdown: ![x](https://cdn.example.org/other.jpg)\n", encoding="utf-8")
    build = run_mkdocs(archive)
    assert build.returncode != 0
    assert (f"stories/one/alpha.md:{line_of(story, CDN_IMAGE)}: body: loads {CDN_IMAGE} from another host; "
            "the archive must work with no network") in build.output
    assert f"stories/one/alpha.md:{line_of(story, 'other.jpg')}: body: loads https://cdn.example.org/other.jpg" \
        in build.output
    assert not (archive / "site").exists()


def test_a_caption_with_an_image_from_another_host_fails_at_its_line(archive):
    record = archive / "photos" / "bags.yml"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "caption: ", f'caption: Workers <img src="{CDN_IMAGE}"> at machines. ', 1), encoding="utf-8")
    build = run_mkdocs(archive)
    assert build.returncode != 0
    assert f"photos/bags.yml:{line_of(record, CDN_IMAGE)}: caption: loads {CDN_IMAGE} from another host" in build.output
