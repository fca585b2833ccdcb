"""MkDocs hooks for the documentary archive: each event forwards to ``docarchive``.

Named in mkdocs.yml under ``hooks:``. Keep this file thin: the logic lives in
the package (hooks/docarchive/), which the tests exercise directly. The packaged
plugin (docarchive/plugin.py) forwards the same events; a test checks that it does.
"""

from mkdocs.plugins import event_priority

from docarchive import mkdocs_glue

_command = "build"  # set once per process by on_startup; serve vs build changes error handling
_dirty = False  # `mkdocs serve --dirty` (make serve): only the pages whose inputs changed are made again


def on_startup(command, dirty):
    global _command, _dirty
    _command, _dirty = command, dirty


@event_priority(100)  # before Material's search plugin, which hands jieba the dictionary set here
def on_config(config):
    return mkdocs_glue.start(config, _command, dirty=_dirty)


def on_files(files, config):
    return mkdocs_glue.state(config).files(files, config)


@event_priority(-100)  # after any other plugin's on_nav: prerender's worker starts here, with the files as final
def on_nav(nav, config, files):
    mkdocs_glue.state(config).nav(files, config)


def on_pre_page(page, config, files):
    return mkdocs_glue.state(config).pre_page(page, config, files)


def on_env(env, config, files):
    return mkdocs_glue.theme_env(env, config, files)


def on_page_content(html, page, config, files):
    return mkdocs_glue.state(config).page_content(html, page, files)


@event_priority(-100)  # after Material's search has indexed the page
def on_page_context(context, page, config, nav):
    return mkdocs_glue.state(config).page_context(context, page, config)


@event_priority(-100)  # the page's final HTML
def on_post_page(output, page, config):
    return mkdocs_glue.state(config).post_page(output, page)


def on_serve(server, config, builder):
    return mkdocs_glue.state(config).serve(server, config)


@event_priority(-50)  # after Material's search writes its index, before the offline plugin copies it
def on_post_build(config):
    mkdocs_glue.state(config).post_build(config)


def on_build_error(error):
    mkdocs_glue.build_failed()
