"""The engine's declared settings, the packaged plugin, and the theme folder shipped in the package."""

from __future__ import annotations

import re

import yaml
from support import REPO, run_mkdocs

from docarchive import settings


def edit_config(root, change) -> None:
    path = root / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(config)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_every_setting_has_a_documentation_entry():
    page = (REPO / "docs" / "settings.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^### (\w+)$", page, re.M))
    assert documented == set(settings.names())
    nav = yaml.safe_load((REPO / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", ""))["nav"]
    entries = [e for item in nav for e in (next(iter(item.values())) if isinstance(next(iter(item.values())), list)
                                           else [item])]  # sections (For contributors) hold their pages
    assert {"Engine settings": "settings.md"} in entries


def test_a_misspelt_setting_stops_the_build_naming_the_nearest(archive):
    edit_config(archive, lambda c: c.setdefault("extra", {}).update({"docarchive": {"ofline_zip": "dist/a.zip"}}))
    build = run_mkdocs(archive)
    assert build.returncode != 0
    assert "Config value 'extra.docarchive.ofline_zip': unrecognised setting. Did you mean 'offline_zip'?" \
        in build.output
    assert not (archive / "site").exists()


def test_a_wrong_value_is_refused_like_mkdocs_refuses_its_own(archive):
    edit_config(archive, lambda c: c.setdefault("extra", {}).update(
        {"docarchive": {"offline_zip": "dist/archive.tar", "cache_dir": 7}}))
    build = run_mkdocs(archive)
    assert build.returncode != 0
    assert "Config value 'extra.docarchive.offline_zip': expected the path of a .zip file, got 'dist/archive.tar'" \
        in build.output
    assert "Config value 'extra.docarchive.cache_dir': Expected type: <class 'str'> but received: <class 'int'>" \
        in build.output


def test_the_old_place_of_offline_zip_is_refused_with_the_new_one(archive):
    edit_config(archive, lambda c: c.setdefault("extra", {}).update({"offline_zip": "dist/a.zip"}))
    build = run_mkdocs(archive)
    assert build.returncode != 0 and "write it as extra.docarchive.offline_zip" in build.output


def test_cache_dir_setting_moves_the_cache(archive):
    edit_config(archive, lambda c: c.setdefault("extra", {}).update({"docarchive": {"cache_dir": "build-cache"}}))
    build = run_mkdocs(archive)
    assert build.returncode == 0, build.output
    assert list((archive / "build-cache" / "photos").glob("*.webp"))
    assert (archive / "build-cache" / "search").is_dir() and not (archive / ".cache").exists()
    assert (archive / "build-cache" / "sanitize" / "verdicts.json").is_file()  # story bodies' allowlist verdicts


def test_the_packaged_plugin_builds_an_archive_without_hooks_and_validates_its_options(archive):
    def use_plugin(config):
        del config["hooks"]
        config["plugins"] = [config["plugins"][0], {"docarchive": {"cache_dir": ".plugin-cache"}}]
    edit_config(archive, use_plugin)
    build = run_mkdocs(archive)
    assert build.returncode == 0, build.output
    home = (archive / "site" / "index.html").read_text(encoding="utf-8")
    assert "assets/stylesheets/archive.css" in home and (archive / "site/assets/stylesheets/archive.css").is_file()
    assert (archive / "site" / "stories" / "one" / "alpha" / "index.html").is_file()
    assert (archive / ".plugin-cache" / "photos").is_dir()
    edit_config(archive, lambda c: c["plugins"][1]["docarchive"].update({"offline_zip": 5}))
    bad = run_mkdocs(archive)
    assert bad.returncode != 0 and "offline_zip" in bad.output and "Expected type" in bad.output


def test_the_plugin_forwards_every_event_the_hooks_file_does():
    import ast

    from docarchive.plugin import ArchivePlugin

    tree = ast.parse((REPO / "hooks" / "archive.py").read_text(encoding="utf-8"))
    hooks = {node.name for node in tree.body if isinstance(node, ast.FunctionDef) and node.name.startswith("on_")}
    assert hooks and hooks <= {name for name in dir(ArchivePlugin) if name.startswith("on_")
                               and getattr(ArchivePlugin, name) is not getattr(ArchivePlugin.__mro__[1], name, None)}


def test_the_archive_custom_dir_overrides_an_engine_template_and_keeps_the_rest(archive):
    (archive / "overrides" / "archive").mkdir(parents=True)
    (archive / "overrides" / "archive" / "home.html").write_text(
        "<h1>An archive of its own</h1>\n{{ body }}\n", encoding="utf-8")
    edit_config(archive, lambda c: c["theme"].update({"custom_dir": "overrides"}))
    build = run_mkdocs(archive)
    assert build.returncode == 0, build.output
    home = build.html("index.html")
    assert "<h1>An archive of its own</h1>" in home
    assert "assets/stylesheets/archive.css" in home  # the engine's main.html still adds its stylesheet
    assert 'class="da-' in build.html("stories/one/alpha/index.html")  # the engine's story layout
