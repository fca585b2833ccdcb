"""Search in English and Chinese, the offline edition, and what both editions leave out (issue 5).

Unit tests of docarchive.search and docarchive.offline, then checks of both
editions of the mini fixture, built once per run as ``make site`` does (conftest.editions).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support import REPO, add_chinese, make_archive, run_mkdocs

from docarchive import offline, search
from docarchive.model import load_archive

import material

MATERIAL_JS = Path(material.__file__).parent / "templates" / "assets" / "javascripts"


@pytest.fixture(scope="module")
def fixture_archive(tmp_path_factory):
    root = make_archive(tmp_path_factory.mktemp("model") / "archive")
    add_chinese(root)
    return load_archive(root)


# ---------------------------------------------------------------- search: the user dictionary


def test_han_runs_keeps_chinese_words_and_drops_single_characters():
    assert search.han_runs("Jishishan County 积石山县, in 临夏; 县 alone") == ["积石山县", "临夏"]
    assert search.han_runs("") == [] and search.han_runs("Linxia") == []


def test_dictionary_has_every_chinese_name_of_the_registries(fixture_archive):
    words = search.dictionary_words(fixture_archive)
    # places (name_zh), a person's Chinese alias, a source's Chinese publication name
    for word in ("积石山县", "和政县", "临夏", "马兰花", "测试报"):
        assert word in words
    assert words == sorted(set(words))
    assert all(len(w) >= 2 and " " not in w for w in words)


def test_dictionary_text_is_one_word_a_line_and_keeps_a_configured_dictionary():
    text = search.dictionary_text(["临夏", "积石山县"], extra="东乡 10 ns\n")
    assert text == "临夏\n积石山县\n东乡 10 ns\n"
    assert search.dictionary_text([]) == "\n"


def test_prepare_writes_the_dictionary_and_jieba_cache_into_the_cache_folder(fixture_archive, tmp_path):
    import jieba
    before = jieba.dt.tmp_dir
    try:
        path = search.prepare(fixture_archive, tmp_path / ".cache" / "search")
        assert path.is_absolute() and path.parent == (tmp_path / ".cache" / "search").resolve()
        assert "积石山县\n" in path.read_text(encoding="utf-8")
        assert jieba.dt.tmp_dir == str(search.jieba_cache_dir() or path.parent)
        stamp = path.stat().st_mtime_ns
        search.prepare(fixture_archive, tmp_path / ".cache" / "search")
        assert path.stat().st_mtime_ns == stamp  # unchanged content is not rewritten
    finally:
        jieba.dt.tmp_dir = before


def test_result_labels_give_stage_and_date(fixture_archive):
    story = next(s for s in fixture_archive.stories if s.slug == "epsilon")
    assert search.result_labels("story", story) == ["Stage Three", "4 September 2020"]
    stage = fixture_archive.stages[0]
    assert search.result_labels("stage", stage) == ["Stage 1", "2010–2015"]
    photo = fixture_archive.photos[0]
    assert search.result_labels("photo", photo)[0] == photo.stage.title
    assert search.result_labels("entity", ("place", fixture_archive.places[0])) == []


def test_tile_cuts_a_name_into_its_longest_words_without_overlap():
    assert search.tile("临夏回族自治州", {"临夏", "回族", "自治", "自治州"}) == ["临夏", "回族", "自治州"]
    assert search.tile("临夏县", {"临夏", "夏县"}) == ["临夏", "县"]  # a character where no word fits
    assert search.tile("和政县", set()) == ["和政县"]


def test_name_parts_index_a_chinese_name_as_the_words_inside_it():
    """Both names then match the query 临夏 by the same word, equally rare: the pages' weights decide."""
    prefecture = search.name_parts("临夏回族自治州\u200b（Linxia Hui Autonomous Prefecture）")
    county = search.name_parts("临夏县\u200b（Linxia County）")
    assert prefecture.split("\u200b")[:3] == ["临夏", "回族", "自治州"]
    assert county.split("\u200b")[:2] == ["临夏", "县"]
    assert search.name_parts("积石山县").split("\u200b") == ["积石山", "县"]
    # What a result shows is unchanged: the pieces join up to the name again.
    assert prefecture.replace("\u200b", "") == "临夏回族自治州（Linxia Hui Autonomous Prefecture）"
    assert search.name_parts("和政县") == "和政县"  # no word inside it: whole
    assert search.name_parts("Hezheng County") == "Hezheng County"


# ---------------------------------------------------------------- offline: pruning, resources, zip


def test_lunr_files_needed_follow_materials_worker():
    assert offline.lunr_files_needed(["en"]) == set()
    assert offline.lunr_files_needed(["en", "de"]) == {
        "min/lunr.de.min.js", "min/lunr.multi.min.js", "min/lunr.stemmer.support.min.js"}
    assert "tinyseg.js" in offline.lunr_files_needed(["ja"])
    assert "wordcut.js" in offline.lunr_files_needed(["th"])
    # A canary for Material upgrades: the worker still loads languages the way lunr_files_needed assumes.
    worker = next((MATERIAL_JS / "workers").glob("search.*.min.js")).read_text(encoding="utf-8")
    for fragment in ('n!=="en"', "/min/lunr.stemmer.support.min.js", "/min/lunr.multi.min.js",
                     "/tinyseg.js", "/wordcut.js", 'case"ja"', 'case"th"'):
        assert fragment in worker, fragment


def test_strip_source_map_comments_in_js_and_css():
    assert offline.strip_source_map_comments("a();\n//# sourceMappingURL=a.js.map\n") == "a();\n"
    assert offline.strip_source_map_comments("b{}\n/*# sourceMappingURL=b.css.map */") == "b{}"
    assert offline.strip_source_map_comments("x = '//# not a comment at line start'") == \
        "x = '//# not a comment at line start'"


def _fake_site(root: Path) -> Path:
    files = {
        "index.html": "<p>hi</p>",
        "assets/javascripts/bundle.min.js": "run();\n//# sourceMappingURL=bundle.min.js.map",
        "assets/javascripts/bundle.min.js.map": "{}" * 100,
        "assets/stylesheets/main.min.css": "a{}\n/*# sourceMappingURL=main.min.css.map*/",
        "assets/stylesheets/main.min.css.map": "{}",
        "assets/javascripts/lunr/min/lunr.de.min.js": "de",
        "assets/javascripts/lunr/min/lunr.fr.min.js": "fr",
        "assets/javascripts/lunr/min/lunr.multi.min.js": "multi",
        "assets/javascripts/lunr/min/lunr.stemmer.support.min.js": "support",
        "assets/javascripts/lunr/wordcut.js": "w" * 1000,
        "assets/javascripts/lunr/tinyseg.js": "t",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    return root


def test_prune_site_for_english_drops_maps_comments_and_every_lunr_file(tmp_path):
    site = _fake_site(tmp_path / "site")
    pruned = offline.prune_site(site, ["en"])
    assert not list(site.rglob("*.map"))
    assert not (site / offline.LUNR_DIR).exists()
    assert (site / "assets/javascripts/bundle.min.js").read_text() == "run();"
    assert (site / "assets/stylesheets/main.min.css").read_text() == "a{}"
    assert len(pruned.removed) == 8 and pruned.removed_bytes > 1200
    assert sorted(pruned.rewritten) == ["assets/javascripts/bundle.min.js", "assets/stylesheets/main.min.css"]
    assert offline.prune_site(site, ["en"]).removed == []  # idempotent


def test_prune_site_keeps_what_another_language_needs(tmp_path):
    site = _fake_site(tmp_path / "site")
    offline.prune_site(site, ["en", "de"])
    kept = sorted(p.relative_to(site / offline.LUNR_DIR).as_posix()
                  for p in (site / offline.LUNR_DIR).rglob("*") if p.is_file())
    assert kept == ["min/lunr.de.min.js", "min/lunr.multi.min.js", "min/lunr.stemmer.support.min.js"]


def test_external_resources_lists_fetches_not_links(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text(
        '<link rel="canonical" href="https://example.org/a/">'
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">'
        '<link rel="preconnect" href="https://fonts.gstatic.com">'
        '<script src="//unpkg.com/iframe-worker/shim"></script>'
        '<a href="https://example.org/source">a source</a>'
        '<img src="../media/a.jpg" srcset="../media/a-480.jpg 480w, https://cdn.example/b.jpg 960w">'
        '<div style="background: url(https://cdn.example/bg.png)"></div>', encoding="utf-8")
    (tmp_path / "s.css").write_text('@import "https://cdn.example/x.css"; a{background:url("img/a.png")}')
    found = offline.external_resources(tmp_path)
    assert found == [
        ("a/index.html", "https://fonts.googleapis.com/css?family=Roboto"),
        ("a/index.html", "https://fonts.gstatic.com"),
        ("a/index.html", "//unpkg.com/iframe-worker/shim"),
        ("a/index.html", "https://cdn.example/b.jpg"),
        ("a/index.html", "https://cdn.example/bg.png"),
        ("s.css", "https://cdn.example/x.css"),
    ]


def test_make_zip_is_reproducible_and_unpacks_to_one_folder(tmp_path):
    site = _fake_site(tmp_path / "site")
    (site / "photo.jpg").write_bytes(b"\xff\xd8" + b"x" * 100)
    first = offline.make_zip(site, tmp_path / "one.zip", "archive")
    offline.make_zip(site, tmp_path / "two.zip", "archive")
    assert (tmp_path / "one.zip").read_bytes() == (tmp_path / "two.zip").read_bytes()
    assert first == (tmp_path / "one.zip").stat().st_size
    with zipfile.ZipFile(tmp_path / "one.zip") as zf:
        names = zf.namelist()
        assert names == sorted(names) and all(n.startswith("archive/") for n in names)
        assert zf.getinfo("archive/photo.jpg").compress_type == zipfile.ZIP_STORED
        assert zf.getinfo("archive/index.html").compress_type == zipfile.ZIP_DEFLATED
    assert not list(tmp_path.glob("*.part"))
    with pytest.raises(FileNotFoundError, match="index.html"):
        offline.make_zip(tmp_path / "nowhere", tmp_path / "x.zip", "x")


def test_make_zip_writes_beside_the_zip_and_renames(tmp_path, monkeypatch):
    """A zip that fails half-way (a file that cannot be read, a full disk) leaves the old zip whole."""
    site = _fake_site(tmp_path / "site")
    offline.make_zip(site, tmp_path / "archive.zip", "archive")
    before = (tmp_path / "archive.zip").read_bytes()
    (site / "index.html").write_text("<p>changed</p>", encoding="utf-8")
    real_read, reads = Path.read_bytes, []

    def fails_on_the_third_file(self):
        reads.append(self)
        if len(reads) == 3:
            raise OSError("Input/output error")
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", fails_on_the_third_file)
    with pytest.raises(OSError, match="Input/output error"):
        offline.make_zip(site, tmp_path / "archive.zip", "archive")
    monkeypatch.undo()
    assert (tmp_path / "archive.zip").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.zip", "site"]  # no partial zip left


def test_human_size():
    assert offline.human_size(512) == "512 bytes"
    assert offline.human_size(860_000) == "860 KB"
    assert offline.human_size(2_430_000) == "2.4 MB"
    assert offline.human_size(12_600_000) == "13 MB"


# ---------------------------------------------------------------- the repository's configuration


def test_offline_config_inherits_the_site_and_repeats_its_search_settings():
    from mkdocs.config import load_config

    site = load_config(str(REPO / "mkdocs.yml"))
    edition = load_config(str(REPO / "mkdocs-offline.yml"))
    for key in ("lang", "separator", "pipeline", "fields", "jieba_dict", "jieba_dict_user"):
        assert site.plugins["material/search"].config[key] == edition.plugins["material/search"].config[key], key
    assert edition.plugins["material/offline"].config.enabled and "material/offline" not in site.plugins
    assert edition.use_directory_urls is False and Path(edition.site_dir).name == "site-offline"
    assert [p for p in edition.extra["polyfills"] if offline.is_local_shim(p)]
    assert edition.site_name == site.site_name and edition.nav == site.nav
    assert site.theme["font"] is False  # no Google Fonts


def test_makefile_zip_is_the_one_the_site_links():
    site = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    linked = re.search(r"^\s+offline_zip:\s*(\S+)", site, re.M).group(1)
    made = re.search(r"^OFFLINE_ZIP\s*:=\s*(\S+)", (REPO / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    assert linked == made == "dist/xiamen-linxia-archive-offline.zip"


def test_iframe_worker_is_pinned_in_package_json():
    package = json.loads((REPO / "package.json").read_text(encoding="utf-8"))
    assert re.fullmatch(r"\d+\.\d+\.\d+", package["devDependencies"]["iframe-worker"])


# ---------------------------------------------------------------- both editions of the fixture, built


def _files(site: Path, pattern: str) -> list[Path]:
    return sorted(site.rglob(pattern))


@pytest.mark.parametrize("edition", ["site", "offline"])
def test_editions_ship_no_source_maps_and_no_lunr_language_packs(editions, edition):
    site = getattr(editions, edition)
    assert not _files(site, "*.map")
    assert not (site / offline.LUNR_DIR).exists()
    for path in [*_files(site, "*.js"), *_files(site, "*.css")]:
        assert "sourceMappingURL" not in path.read_text(encoding="utf-8"), path
    assert "dropped 38 files (2.2 MB)" in editions.outputs[edition]


@pytest.mark.parametrize("edition", ["site", "offline"])
def test_editions_fetch_nothing_from_the_internet(editions, edition):
    site = getattr(editions, edition)
    assert offline.external_resources(site) == []
    for path in _files(site, "*.html"):
        html = path.read_text(encoding="utf-8")
        for host in ("unpkg.com", "fonts.googleapis", "fonts.gstatic", "cdn.jsdelivr", "cdnjs"):
            assert host not in html, (path, host)


def test_scripts_name_no_cdn_material_fallbacks_are_disarmed(editions):
    """Material's bundle names two unpkg fallbacks (a ResizeObserver polyfill, Mermaid); the build
    replaces them with an empty script, so no script of either edition names a CDN at all."""
    for site in (editions.site, editions.offline):
        found = set()
        for path in _files(site, "*.js"):
            found |= set(re.findall(r"https?://(?:unpkg|cdn|fonts)[\w.-]*/[\w./@-]*",
                                    path.read_text(encoding="utf-8")))
        assert found == set()
        bundle = next(site.glob("assets/javascripts/bundle.*.min.js")).read_text(encoding="utf-8")
        assert offline.EMPTY_SCRIPT in bundle


def test_disarm_dormant_fetches_rewrites_only_those_urls(tmp_path):
    js = tmp_path / "assets" / "javascripts"
    js.mkdir(parents=True)
    (js / "bundle.x.min.js").write_text('a("https://unpkg.com/resize-observer-polyfill");b("https://example.org/x")')
    assert offline.disarm_dormant_fetches(tmp_path) == ["assets/javascripts/bundle.x.min.js"]
    assert (js / "bundle.x.min.js").read_text() == 'a("data:text/javascript,");b("https://example.org/x")'


def test_offline_edition_loads_the_local_shim_and_inlines_the_index(editions):
    site = editions.offline
    shim = site / "assets/javascripts/iframe-worker/shim.js"
    assert shim.read_bytes() == (REPO / "node_modules/iframe-worker" / offline.SHIM_FILE).read_bytes()
    assert (shim.parent / "LICENSE").is_file()
    assert '<script src="assets/javascripts/iframe-worker/shim.js"></script>' in (site / "index.html").read_text()
    assert '<script src="../../assets/javascripts/iframe-worker/shim.js"></script>' in \
        (site / "stories/three/epsilon.html").read_text()
    assert (site / "search/search_index.js").read_text(encoding="utf-8").startswith("var __index = {")
    assert not (site / "downloads").exists()  # the offline edition does not link to itself
    assert "da-download" not in (site / "index.html").read_text()


def test_zip_holds_the_offline_edition(editions):
    with zipfile.ZipFile(editions.zip) as zf:
        names = set(zf.namelist())
    files = {f"mini-offline/{p.relative_to(editions.offline).as_posix()}"
             for p in editions.offline.rglob("*") if p.is_file()}
    assert names == files
    assert "mini-offline/index.html" in names and "mini-offline/search/search_index.js" in names


def test_site_links_the_zip_with_its_size_from_every_page(editions):
    size = offline.human_size(editions.zip.stat().st_size)
    copy = editions.site / "downloads" / "mini-offline.zip"
    assert copy.read_bytes() == editions.zip.read_bytes()
    for rel, href in (("index.html", "downloads/mini-offline.zip"),
                      ("stories/three/epsilon/index.html", "../../../downloads/mini-offline.zip")):
        html = (editions.site / rel).read_text(encoding="utf-8")
        assert f'<a href="{href}" download>Download the archive for offline reading</a>' in html
        assert f"(ZIP, {size})" in html


def test_search_index_has_registered_names_as_whole_terms_and_stage_and_date(editions):
    index = json.loads((editions.site / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["separator"] == r"[\s\u200b\-]+"
    assert index["config"]["fields"]["tags"] == {"boost": 1.0}
    docs = {d["location"]: d for d in index["docs"]}
    epsilon = docs["stories/three/epsilon/"]
    sentence = docs["stories/three/epsilon/#a-subheading"]["text"]  # the fixture's added last paragraph
    # jieba alone cuts 积石山 / 县; with the generated dictionary the registered name stays whole.
    assert "\u200b积石山县\u200b" in sentence
    assert "\u200b雨具\u200b" in sentence
    assert epsilon["tags"] == ["Stage Three", "4 September 2020"]
    assert docs["stages/one/"]["tags"] == ["Stage 1", "2010–2015"]
    # Search covers stage, entity, photo and timeline pages too.
    for location in ("stages/one/", "places/jishishan/", "people/ma-lan/", "people/tian/",
                     "organizations/bag-co/", "photos/bags/", "timeline/#year-2017", "figures/"):
        assert location in docs, location
    assert "马兰花" in docs["people/ma-lan/"]["text"]
    assert "Workers sew travel bags" in docs["photos/bags/"]["text"]
    assert docs["timeline/#event-middle"]["title"] == "A day in December"  # each event is its own result
    # Neighbouring stories' titles in the pager are not indexed as part of a story.
    assert "Delta story" not in docs["stories/two/gamma/"]["text"]


def test_dictionary_stays_in_the_project_cache_and_jieba_model_in_the_user_cache(editions):
    cache = editions.root / ".cache" / "search"
    assert (cache / search.DICTIONARY_NAME).is_file()
    assert (search.jieba_cache_dir() / "jieba.cache").is_file()  # shared by every archive: not rebuilt


def test_build_from_another_directory_finds_the_dictionary(editions, tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-f",
                           str(editions.root / "mkdocs.yml"), "--site-dir", str(tmp_path / "out")],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "jieba_dict" not in proc.stderr  # no "does not exist" warning
    index = json.loads((tmp_path / "out/search/search_index.json").read_text(encoding="utf-8"))
    assert any("\u200b积石山县\u200b" in d["text"] for d in index["docs"])


def test_offline_build_without_a_local_shim_stops_with_a_clear_message(tmp_path):
    root = make_archive(tmp_path / "archive")
    (root / "mkdocs-offline.yml").write_text(
        "INHERIT: mkdocs.yml\nuse_directory_urls: false\nplugins:\n  - search\n  - offline\n", encoding="utf-8")
    build = run_mkdocs(root, "-f", "mkdocs-offline.yml")
    assert build.returncode != 0
    assert "needs a local iframe-worker shim in extra.polyfills" in build.output
    assert not (root / "site").exists()


@pytest.mark.parametrize("name", ["offline-and-search.md", "offline-and-search.zh.md"])
def test_the_maintainers_page_describes_what_the_code_does(name):
    page = (REPO / "docs" / name).read_text(encoding="utf-8")
    for fact in ("make offline", "mkdocs-offline.yml", "extra.docarchive.offline_zip", "OFFLINE_ZIP", search.DICTIONARY_NAME,
                 ".cache/search/", "[\\s\\u200b\\-]+", "python -m docarchive zip", "SOURCE_DATE_EPOCH"):
        assert fact in page, fact
    assert "search:\n  exclude: true" in page  # its Chinese examples must not crowd readers' results
