"""The one place that touches MkDocs objects. ``hooks/archive.py`` forwards each event here.

A fresh ``ArchiveBuild`` is made in ``on_config`` for every build (``mkdocs
serve`` does not reload hook modules), and stored on the config, so nothing
outlives a build except the on-disk image cache.
"""

from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.utils import get_relative_url

from . import images, pages, render
from .model import Archive, load_archive
from .problems import ContentError

log = logging.getLogger("mkdocs.hooks.archive")
STATE_KEY = "_docarchive"
WATCHED = ("stories", "photos", "data")


class ArchiveBuild:
    def __init__(self, config: MkDocsConfig, command: str):
        self.root = Path(config.config_file_path).resolve().parent
        self.command = command
        custom_dir = config.theme.custom_dir
        if not custom_dir:
            raise PluginError("docarchive: set theme.custom_dir in mkdocs.yml to the overrides folder")
        self.env = render.make_env(custom_dir)
        self.archive: Archive | None = None
        self.error: ContentError | None = None
        self.specs: dict[str, pages.PageSpec] = {}
        self.media: dict = {}
        self.cache_dir = self.root / ".cache" / "photos"

    # -- events ---------------------------------------------------------------

    def load(self, config: MkDocsConfig) -> None:
        """Validate everything before MkDocs cleans site/: a bad file leaves the old site untouched."""
        try:
            self.archive = load_archive(self.root, inspect_image=images.inspect)
        except ContentError as exc:
            self.error = exc
            for problem in exc.problems:
                (log.error if problem.is_error else log.warning)(str(problem))
            if self.command != "serve":
                raise PluginError(str(exc).splitlines()[0] + " (see the list above)") from None
            # Under `mkdocs serve` the server keeps running and shows the problems instead of the site.
            config.nav = [{"Content problems": "index.md"}]
            return
        for warning in self.archive.warnings:
            log.warning(str(warning))
        self.specs = {spec.src_uri: spec for spec in pages.plan_pages(self.archive)}
        config.nav = pages.plan_nav(self.archive, config.nav)

    def files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.error is not None:
            kept = [f for f in files if not f.is_documentation_page()]
            report = "\n".join(f"- `{p}`" for p in self.error.problems)
            content = (f"# Content problems\n\nThe archive was not built. Fix these and save; "
                       f"the page reloads.\n\n{report}\n")
            return Files([*kept, File.generated(config, "index.md", content=content)])
        for spec in self.specs.values():
            existing = files.get_file_from_path(spec.src_uri)
            if existing is not None:
                raise PluginError(f"docs/{spec.src_uri} clashes with a page the archive generates; rename it")
            # Stories, photos and entities are reached from index pages, deliberately not from the nav.
            inclusion = InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.NOT_IN_NAV
            files.append(File.generated(config, spec.src_uri, content=spec.file_content(), inclusion=inclusion))
        self.media, outputs = images.build_media(self.archive.photos, self.cache_dir)
        for uri, path in outputs:
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        return files

    def page_content(self, html: str, page: Page, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        if spec is None or self.archive is None:
            return html

        def relative(uri: str) -> str:
            target = files.get_file_from_path(uri)
            if target is None:
                raise PluginError(f"docarchive: no page for {uri}")
            return get_relative_url(target.url, page.url) if not target.url.startswith("/") else target.url

        return render.render_page(self.env, spec, self.archive, html, render.Linker(relative), self.media)

    def serve(self, server, config: MkDocsConfig):
        for name in WATCHED:
            path = self.root / name
            if path.exists():
                server.watch(str(path))
        if config.theme.custom_dir:
            server.watch(config.theme.custom_dir)
        return server


def state(config: MkDocsConfig) -> ArchiveBuild:
    return config.extra[STATE_KEY]


def start(config: MkDocsConfig, command: str) -> MkDocsConfig:
    build = ArchiveBuild(config, command)
    config.extra[STATE_KEY] = build
    build.load(config)
    return config
