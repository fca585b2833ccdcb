"""The engine as a packaged MkDocs plugin, for archives outside this repository.

``plugins: [search, docarchive]`` in an archive's mkdocs.yml (``docarchive
init`` writes it so) runs the same events as ``hooks/archive.py``, with the
settings of ``settings.ArchiveSettings`` as the plugin's options. Like the
hooks file, each event only forwards to ``mkdocs_glue``.
"""

from __future__ import annotations

from mkdocs.plugins import BasePlugin, event_priority

from . import mkdocs_glue
from .settings import ArchiveSettings


class ArchivePlugin(BasePlugin[ArchiveSettings]):
    supports_multiple_instances = False
    command = "build"
    dirty = False

    def on_startup(self, *, command, dirty):
        self.command, self.dirty = command, dirty

    @event_priority(100)  # before Material's search plugin, which hands jieba the dictionary set here
    def on_config(self, config):
        return mkdocs_glue.start(config, self.command, self.config, dirty=self.dirty)

    def on_files(self, files, *, config):
        return mkdocs_glue.state(config).files(files, config)

    @event_priority(-100)  # after any other plugin's on_nav: prerender's worker starts here, with the files as final
    def on_nav(self, nav, *, config, files):
        mkdocs_glue.state(config).nav(files, config)

    def on_pre_page(self, page, *, config, files):
        return mkdocs_glue.state(config).pre_page(page, config, files)

    def on_env(self, env, *, config, files):
        return mkdocs_glue.theme_env(env, config, files)

    def on_page_content(self, html, *, page, config, files):
        return mkdocs_glue.state(config).page_content(html, page, files)

    @event_priority(-100)  # after Material's search has indexed the page
    def on_page_context(self, context, *, page, config, nav):
        return mkdocs_glue.state(config).page_context(context, page, config)

    @event_priority(-100)  # the page's final HTML
    def on_post_page(self, output, *, page, config):
        return mkdocs_glue.state(config).post_page(output, page)

    def on_serve(self, server, *, config, builder):
        return mkdocs_glue.state(config).serve(server, config)

    @event_priority(-50)  # after Material's search writes its index, before the offline plugin copies it
    def on_post_build(self, *, config):
        mkdocs_glue.state(config).post_build(config)

    def on_build_error(self, *, error):
        mkdocs_glue.build_failed()
