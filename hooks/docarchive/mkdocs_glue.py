"""The one place that touches MkDocs objects. ``hooks/archive.py`` forwards each event here.

A fresh ``ArchiveBuild`` is made in ``on_config`` for every build (``mkdocs
serve`` does not reload hook modules), and stored on the config, so nothing
outlives a build except the on-disk caches and three process-wide records,
each keyed so that it cannot go stale: under ``mkdocs serve``, the last archive
that loaded (``LAST_GOOD``), shown while content has problems; the last archive
loaded with the fingerprint of its files (``LAST_LOAD``: the builds of
``make site`` after the first, and serve rebuilds after a template edit, reuse
it), with what each of its files parsed to (a save parses only the files it
changed); and under ``mkdocs serve --dirty`` the pages of the last build with the key
of their inputs (``PAGE_CACHE``, used by ``LivePreview``).
"""

from __future__ import annotations

import collections
import functools
import gc
import hashlib
import logging
import os
import sys
import time
from pathlib import Path, PurePath
from typing import Callable

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs import __version__ as mkdocs_version
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url

from . import (citations, colours, datapackage, editions, exports, feed, forked, images, lazysearch, linebreaks,
               linkeddata, messages, offline, offload, pagecache, pages, precompile, prerender, provenance, readahead,
               render, sanitize, search, searchinput)
from .localize import Localizer, fallback_block
from .loader import ParsedFiles
from .model import Archive, load_archive
from .translations import ZH_SUFFIX
from .problems import ContentError
from .publication import Publication
from .settings import ArchiveSettings, read as read_settings, resolve

log = logging.getLogger("mkdocs.hooks.archive")
STATE_KEY = "_docarchive"
WATCHED = ("stories", "photos", "data")
# Under `mkdocs serve` (one process, many builds): the last archive that loaded without errors, per
# archive folder. While a file has problems, the preview keeps showing it, with the problems on top.
LAST_GOOD: dict[Path, Archive] = {}
# The engine's templates and assets, shipped in the package and put on the theme's search path
# after the archive's own theme.custom_dir (if any), which can override any of them.
THEME_DIR = Path(__file__).resolve().parent / "theme"


class GeneratedFile(File):
    """A page or file the archive generates, made and written with less work per file than MkDocs' own.

    An archive of 1,000 stories generates some 4,000 files, 3,000 of them the citations' small
    downloads. MkDocs normalises each file's path with ``PurePath`` (ours are made normal), and for
    each file it writes makes its folder again (``os.makedirs``: a failing ``mkdir`` and a ``stat``)
    and opens a buffered text file (more system calls). Here the content is written as UTF-8 bytes
    (what MkDocs' text mode writes on POSIX) through one descriptor, and the folder is made only
    when the file cannot be created without it: once per folder. A file backed by another file
    (``abs_src_path``: photos, the live preview's stamp) is MkDocs' business as before.
    On a cold ``mkdocs build`` a helper process writes them beside the build instead (``offloaded``:
    ArchiveBuild.start_offload, offload.py).
    """

    offloaded = False

    def _set_src_path(self, value: str) -> None:
        normal = value and value != "." and "//" not in value and "/./" not in value and "\\" not in value \
            and not value.startswith(("./", "/")) and not value.endswith(("/", "/."))
        self.src_uri = value if normal else PurePath(value).as_posix()

    src_path = property(File.src_path.fget, _set_src_path)

    def copy_file(self, dirty: bool = False) -> None:
        content = self._content
        if content is None:
            super().copy_file(dirty)
        elif not self.offloaded:
            offload.write_new(self.abs_dest_path, self.data())

    def data(self) -> bytes:
        """The file's bytes: its content as UTF-8 (what MkDocs' text mode writes on POSIX)."""
        content = self._content
        return content.encode("utf-8") if isinstance(content, str) else content


class Deferred:
    """The contents of several generated files, made together (``make()``: uri -> content) when the first is
    needed (on a cold build, by then made in prerender's worker: ArchiveBuild.add_reuse_files)."""

    def __init__(self, uris: list[str], make: Callable[[], dict]):
        self.uris, self.make, self.made = uris, make, None

    def content(self, uri: str) -> str | bytes:
        if self.made is None:
            made = self.make()
            if list(made) != self.uris:  # the planned files are the made ones, in the same order
                raise PluginError(f"docarchive: generated files planned and made differ: {self.uris[:3]}... "
                                  f"against {list(made)[:3]}...")
            self.made = made
        return self.made[uri]


class DeferredFile(GeneratedFile):
    """A GeneratedFile whose content is made when first read (Deferred); the same file once it is."""

    deferred: Deferred | None = None

    def _get_content(self):
        if self.deferred is not None:
            self.__dict__["_content_made"] = self.deferred.content(self.src_uri)
            self.deferred = None
        return self.__dict__.get("_content_made")

    def _set_content(self, value) -> None:
        self.deferred = None
        self.__dict__["_content_made"] = value

    _content = property(_get_content, _set_content)


class ArchiveBuild:
    def __init__(self, config: MkDocsConfig, command: str, settings: ArchiveSettings):
        self.root = Path(config.config_file_path).resolve().parent
        self.command = command
        self.site_name = config.site_name  # the home page's heading when the archive has no data/archive.yml
        self.settings = settings
        cache = resolve(self.root, settings.cache_dir)
        try:
            self.editions = editions.parse_editions(config.extra.get("editions"))
        except editions.EditionError as exc:
            raise PluginError(str(exc)) from None
        # theme.language chooses the edition, and Material's interface with it (docs/offline-and-search.md).
        self.edition = editions.select(self.editions, config.theme["language"])
        # Compiled templates are kept on disk (keyed by each template's source): compiling
        # Material's and the archive's templates cost about 0.2 s of every build (of ~2 s here).
        self.template_cache = jinja2.FileSystemBytecodeCache(str(_cache_folder(cache / "jinja")))
        self.env = render.make_env(add_theme_dir(config), self.edition.lang)
        self.env.bytecode_cache = self.template_cache
        self.loc = Localizer(self.edition.lang, None)
        self.fallback_pages: set[str] = set()  # hand-written pages shown in English in this edition
        self.archive: Archive | None = None
        self.error: ContentError | None = None
        self.specs: dict[str, pages.PageSpec] = {}
        self.media: dict = {}
        self.cache_dir = cache / "photos"
        self.search_cache = cache / "search"
        self.citation_cache = cache / "citations"  # formatted citations (citations.Formatter)
        self.sanitize_cache = cache / "sanitize"  # story bodies' allowlist verdicts (sanitize.VerdictCache)
        self.photo_cache = images.cache_for(self.cache_dir)  # one per build: each image is hashed once
        self.offline = False  # set by configure_editions
        self.shims: list[str] = []
        self._files: Files | None = None  # this build's files, for the nav page of a story's stage
        self._marked: Page | None = None
        self.download: tuple[str, Path] | None = None
        self.preview: LivePreview | None = None  # under `mkdocs serve --dirty` (make serve)
        self.ahead: readahead.Ahead | None = None  # a one-off build's worker, until it has compiled the templates
        self.publication: Publication | None = None  # set in files(), once every page has its URL
        self.main_site_url = ""  # the main edition's address, for absolute hreflang links (set in start())
        self.cites: dict[str, citations.Cite] = {}
        self.skipped: dict[str, list[str]] = {}  # what search does not read of each page (searchinput)
        self.relative_urls = render.RelativeUrls(get_relative_url)  # the pages' links, each worked out once
        self.worker: prerender.Worker | None = None  # lays the generated pages out ahead (start_worker)
        self.worker_waits = False
        self.making_whole = False  # that worker makes pages whole too, Markdown and all (start_worker)
        self.whole_pages: dict[str, tuple[str, list[str]]] = {}  # those pages' content, from render_or_take to page_content
        self.after: dict[str, Callable[[], object]] = {}  # what that worker makes once the pages are laid out
        self.package_words = ("", "")
        self.offload: offload.Offload | None = None  # on a cold build: the helper writing and checking (start_offload)
        self._offloaded: list[GeneratedFile] = []  # the files it writes
        self._written: str | None = None  # the last page MkDocs was given to write, told to the helper once written

    # -- events ---------------------------------------------------------------

    def load(self, config: MkDocsConfig) -> None:
        """Validate everything before MkDocs cleans site/: a bad file leaves the old site untouched."""
        try:
            # With the cache, photos already made into derivatives are not decoded again.
            self.archive = LAST_LOAD.load(self, meanwhile=lambda: self.load_jieba(config),
                                          then=lambda: self.compile_templates(config))
        except ContentError as exc:
            self.error = exc
            for problem in exc.problems:
                (log.error if problem.is_error else log.warning)(str(problem))
            if self.command != "serve":
                raise PluginError(str(exc).splitlines()[0] + " (see the list above)") from None
            # Under `mkdocs serve` the server keeps running. The site stays as it last built, with a
            # banner listing the problems on every page; with no good build yet, a problems page.
            self.archive = LAST_GOOD.get(self.root)
            if self.archive is None:
                config.nav = [{"Content problems": "index.md"}]
                return
        else:
            if self.command == "serve":
                LAST_GOOD[self.root] = self.archive
        for warning in self.archive.warnings:
            log.warning(str(warning))
        if self.archive.untranslated:  # listed one by one by `docarchive check`; not a build failure
            log.info(f"{len(self.archive.untranslated)} English record(s), story(ies) or page(s) have no Chinese "
                     "yet: the Chinese edition shows their English, marked (`make check` lists them)")
        self.loc = Localizer(self.edition.lang, self.archive)
        self.specs = {spec.src_uri: spec for spec in pages.plan_pages(self.archive, self.loc)}
        extra_nav = config.nav
        if self.edition.root and extra_nav:  # hand-written pages: titled by their own (translated) headings
            extra_nav = [untitled(item, self.loc.gettext) for item in extra_nav]
        config.nav = pages.plan_nav(self.archive, extra_nav, self.loc)

    def files(self, files: Files, config: MkDocsConfig) -> Files:
        if self.error is not None and self.archive is None:
            kept = [f for f in files if not f.is_documentation_page()]
            report = "\n".join(f"- `{p}`" for p in self.error.problems)
            content = (f"# Content problems\n\nThe archive was not built. Fix these and save; "
                       f"the page reloads.\n\n{report}\n")
            return Files([*kept, File.generated(config, "index.md", content=content)])
        files = self.edition_pages(files, config)
        try:
            self.media, outputs = images.build_media(self.archive.photos, self.photo_cache)
        except images.MediaError as exc:
            raise PluginError(str(exc)) from None
        if self.preview is not None:
            self.preview.start(config, self.media)
            self.preview.drop_pruned(files, search_plugin(config))
        for spec in self.specs.values():
            if spec.src_uri in files.src_uris:  # the uris of specs are normal: no PurePath needed
                raise PluginError(f"docs/{spec.src_uri} clashes with a page the archive generates; rename it")
            # Stories, photos and entities are reached from index pages, deliberately not from the nav.
            inclusion = InclusionLevel.INCLUDED if spec.in_nav else InclusionLevel.NOT_IN_NAV
            file = GeneratedFile.generated(config, spec.src_uri, content=spec.file_content(), inclusion=inclusion)
            if self.preview is not None and self.preview.unchanged(spec, file):
                file = GeneratedFile.generated(config, spec.src_uri, abs_src_path=str(self.preview.stamp), inclusion=inclusion)
            files.append(file)
        for uri, content in exports.all_exports(self.archive).items():
            files.append(self.generated(config, uri, content))
        # The stage colours live in data/stages.yml; main.html links this stylesheet.
        files.append(self.generated(config, colours.STYLESHEET, colours.stage_stylesheet(
            self.archive.stages, self.loc.text(self.archive.info, "short_title"))))
        files.append(self.generated(config, provenance.BUILD_JSON, self.build_json()))
        self.add_reuse_files(files, config)
        for uri, path in outputs:
            files.append(File.generated(config, uri, abs_src_path=str(path)))
        self.add_edition_files(files, config)
        if self.preview is not None:
            self.preview.planned(files, self.specs)
        return files

    def nav(self, files: Files, config: MkDocsConfig) -> None:
        """The files are final (MkDocs has set which are excluded or drafts): prerender's worker starts."""
        self.start_worker(files, config)

    def start_worker(self, files: Files, config: MkDocsConfig) -> None:
        """On a cold build, every page's URL now known: a forked process lays the generated pages out (their
        template, the story pages' furniture) while MkDocs converts their Markdown here, and makes the last pages
        whole, Markdown and all, while it is ahead (prerender.py). Not under serve; DOCARCHIVE_PRERENDER=0 turns
        it off; =wait makes the build wait for every page the worker has not sent yet, laid out only, and =whole
        for every page made whole (the tests count them)."""
        mode = os.environ.get("DOCARCHIVE_PRERENDER", "")
        if not self.prerendering():
            return
        self.worker_waits = mode in ("wait", "whole")
        # A page made whole there costs what it costs here: it only helps where a second core makes it meanwhile.
        self.making_whole = mode != "wait" and makes_pages_alone(config) and (mode == "whole" or usable_cpus() >= 2)
        laid_out = [(f.src_uri, "" if f.url in (".", "./") else f.url)  # Page.url
                    for f in files.documentation_pages() if f.src_uri in self.specs]
        urls = dict(laid_out)
        make_whole = functools.partial(self.make_whole_page, files=files, config=config) if self.making_whole else None
        self.worker = prerender.start(((uri, self.job(self.specs[uri], url, files)) for uri, url in laid_out),
                                      side=lambda uri: self.jsonld_text(self.specs[uri], self.archive, self.linker(
                                          urls[uri], files)), after=self.after, make_whole=make_whole,
                                      lead=0 if mode == "whole" else prerender.LEAD)

    def job(self, spec: pages.PageSpec, page_url: str, files: Files) -> prerender.Render:
        lay_out = functools.partial(self.lay_out, spec, page_url, files)
        if not spec.markdown.strip() and not spec.fallback:  # its body will be "" (prerender.splice checks)
            return prerender.Bodiless(lay_out)
        return prerender.Layout(lay_out, self.env, render.template_name(spec))

    def lay_out(self, spec: pages.PageSpec, page_url: str, files: Files, body) -> str:
        """In the worker: what page_content renders around the page's body, with ``body`` in its place."""
        link = self.linker(page_url, files)
        return render.render_template(self.env, spec, self.archive, body, link, self.media, self.loc,
                                      self.alternates(page_url), self.cites, site_name=self.site_name)

    def linker(self, page_url: str, files: Files) -> render.Linker:
        return render.Linker(_relative(files, self.relative_urls.from_page(page_url)))

    def jsonld_text(self, spec: pages.PageSpec, archive, link: render.Linker) -> str:
        """The page's JSON-LD, as main.html puts it in its <head> ("": none). Needs the record, not the body: the
        worker laying pages out makes it too (start_worker)."""
        jsonld = linkeddata.page_jsonld(spec, linkeddata.Graph(archive, self.publication, link, self.media))
        return "" if jsonld is None else linkeddata.script_text(jsonld)

    def generated(self, config: MkDocsConfig, uri: str, content: str | bytes) -> File:
        """A file the archive generates (not a page); under make serve, left as it is when the same as last time."""
        if self.preview is not None and self.preview.same_output(uri, content):
            return GeneratedFile.generated(config, uri, abs_src_path=str(self.preview.stamp))
        return GeneratedFile.generated(config, uri, content=content)

    def add_reuse_files(self, files: Files, config: MkDocsConfig) -> None:
        """The data package, the citations' downloads and the feed (docs: the Data page, preservation.md). On
        a cold build their contents are made in prerender's worker, once it has laid the pages out, and taken
        when first read (by then MkDocs has made the pages here); where it did not make them, here then."""
        self.publish_facts(files, config)
        if not self.prerendering():
            for uri, content in self.reuse_contents().items():
                files.append(self.generated(config, uri, content))
            return
        uris = [*datapackage.paths(), *citations.paths(self.cites), feed.FEED]
        self.after = self.reuse_parts()
        deferred = Deferred(uris, self.reuse_made)
        for uri in uris:
            file = DeferredFile.generated(config, uri, content="")
            file.deferred = deferred
            files.append(file)

    def reuse_made(self) -> dict[str, str]:
        """The contents of add_reuse_files' files: the worker's if it made them, else made here."""
        start, out, made = time.perf_counter(), {}, []
        for key, make in self.reuse_parts().items():
            part = self.worker.after(key) if self.worker is not None else None
            if part is not None:
                made.append(key)
            out.update(part if part is not None else make())
        log.info(f"The data package, citations' downloads and feed made in that worker: {', '.join(made) or 'none'}")
        log.debug(f"docarchive: {time.perf_counter() - start:.3f} s spent receiving them or making the others")
        return out

    def prerendering(self) -> bool:
        """Whether start_worker starts prerender's worker (a cold build, where it can fork)."""
        return self.command == "build" and self.preview is None \
            and os.environ.get("DOCARCHIVE_PRERENDER", "") != "0" and prerender.available()

    def reuse_parts(self) -> dict[str, Callable[[], dict[str, str]]]:
        """The contents of add_reuse_files' files in three parts (each short: prerender's worker makes each in a
        pause of its own, while the build has pages it sent to take), in their order."""
        return {"data package": lambda: datapackage.files(self.archive, *self.package_words),
                "citations": lambda: citations.files(self.cites),
                "feed": lambda: {feed.FEED: feed.atom(self.archive, self.publication, self.loc)}}

    def reuse_contents(self) -> dict[str, str]:
        out = {}
        for make in self.reuse_parts().values():
            out.update(make())
        return out

    def publish_facts(self, files: Files, config: MkDocsConfig) -> None:
        """The publication's facts and the citations, which the pages show too."""
        def url_of(uri: str) -> str:
            target = files.src_uris.get(uri) or files.get_file_from_path(uri)  # the dict first: one lookup
            if target is None:
                raise PluginError(f"docarchive: no page for {uri}")
            return target.url.removeprefix("./")

        self.publication = Publication(config.site_name, config.site_description or "",
                                       self.settings.citation_author, config.site_url or "",
                                       provenance.source_epoch(self.root), url_of)
        self.cites = citations.build(self.archive, self.publication, self.citation_cache, self.loc)
        self.package_words = (config.site_name, config.site_description or "")  # the data package's title

    def build_json(self) -> str:
        extra = {}
        if self.shims:  # the offline edition ships npm's iframe-worker shim
            package = resolve(self.root, self.settings.shim_source)
            extra["npm:iframe-worker"] = provenance.npm_version(package) or "not installed"
        return provenance.build_json(self.archive, extra)

    def edition_pages(self, files: Files, config: MkDocsConfig) -> Files:
        """Hand-written pages in this edition's language: ``docs/about.zh.md`` is the Chinese edition's
        ``about.md``; a page without its translation is the English, marked. The main edition drops
        the ``.zh.md`` files."""
        chinese = {f.src_uri: f for f in files if f.src_uri.endswith(ZH_SUFFIX)}
        kept = [f for f in files if f.src_uri not in chinese]
        if not self.edition.root:
            return Files(kept)
        out = []
        for f in kept:
            twin = chinese.get(f.src_uri[:-3] + ZH_SUFFIX) if f.src_uri.endswith(".md") else None
            if twin is not None:
                f = File.generated(config, f.src_uri, abs_src_path=twin.abs_src_path, inclusion=f.inclusion)
            elif f.is_documentation_page():
                self.fallback_pages.add(f.src_uri)
            out.append(f)
        return Files(out)

    def page_context(self, context: dict, page: Page, config: MkDocsConfig) -> dict:
        """The same page in every edition: for the language switcher (partials/alternate.html) and hreflang."""
        page.content = searchinput.restore(page.content, self.skipped.pop(page.file.src_uri, []))
        self.index_name_parts(page, config)
        if self.preview is not None:  # after Material's search has indexed the page
            self.preview.indexed(page, search_plugin(config))
        self.mark_stage(page)
        context["alternates"] = self.alternates(page.url)
        context["da_text"] = self.loc.gettext  # the engine's words in Material's partials (copyright.html)
        if self.download is not None and self.edition.root:  # the main edition holds the one copy of the zip
            context["offline_download_url"] = editions.main_root(page.url, self.edition) + self.download[0]
        return context

    def mark_stage(self, page: Page) -> None:
        marked = self._marked
        if marked is not None and marked is not page:
            marked.active = False  # MkDocs resets only the page it renders
        self._marked = None
        spec = self.specs.get(page.file.src_uri)
        if spec is None or spec.kind != "story" or self._files is None:
            return
        uri = pages.uri_for(spec.obj.stage)
        stage_file = self._files.src_uris.get(uri) or self._files.get_file_from_path(uri)  # the dict first: one lookup
        if stage_file is not None and stage_file.page is not None:
            stage_file.page.active = True
            self._marked = stage_file.page

    def alternates(self, page_url: str) -> list[dict]:
        links = editions.alternates(page_url, self.edition, self.editions, self.main_site_url)
        for link in links:
            link["notice"] = messages.edition_notice(link["lang"])
        return links

    def page_content(self, html: str, page: Page, files: Files) -> str:
        spec = self.specs.get(page.file.src_uri)
        banner = self.problems_banner()
        if page.file.src_uri in self.fallback_pages:
            return banner + fallback_block(html, self.loc.gettext("Not yet translated: the English original follows."),
                                           self.edition.hreflang)
        if spec is None or self.archive is None:
            return banner + html
        self.describe(page, spec)
        self._files = files  # the build's files, with their nav pages (mark_stage)
        link = self.linker(page.url, files)
        # Under make serve, what the page reads of the archive is recorded for the next save (pagecache).
        archive = self.archive if self.preview is None else pagecache.ReadRecorder(self.archive, spec.obj)
        jsonld = self.worker.side(spec.src_uri, self.worker_waits) if self.worker is not None else None
        if jsonld is None:
            jsonld = self.jsonld_text(spec, archive, link)
        if jsonld:  # main.html puts it in the page's <head>
            page.meta["da_jsonld"] = jsonld
        made = self.whole_pages.pop(spec.src_uri, None)  # the whole page, made in prerender's worker (render_or_take)
        if made is None:
            made = self.make_here(spec, html, page.url, link, archive, banner)
        if self.preview is not None:
            self.preview.reads[spec.src_uri] = archive.replayable
        content, self.skipped[page.file.src_uri] = made
        return content

    def describe(self, page: Page, spec: pages.PageSpec) -> None:
        """What the theme and Material's search read of the page besides its content: ``page.meta``, its toc."""
        labels = search.result_labels(spec.kind, spec.obj, self.loc)
        if labels:  # shown under the page's search results; see search.result_labels
            page.meta["tags"] = labels
        skip_target(page)
        page.meta["da_kind"] = spec.kind  # main.html: Open Graph type
        cite = self.cites.get(citations.key_of(spec.obj)) if spec.kind in ("story", "photo") else None
        if cite is not None:  # main.html: how to cite the page, in print
            page.meta["da_cite"] = cite.html
        photo = next((p for p in getattr(spec.obj, "photos", ()) if not p.placeholder), None)
        if spec.kind == "photo" and not spec.obj.placeholder:
            photo = spec.obj
        if photo is not None and photo.id in self.media:  # main.html: og:image, when the site has an address
            page.meta["da_og_image"] = self.media[photo.id].largest("jpeg").uri
        if spec.kind == "browse":  # main.html loads the browse script on this page only
            page.meta["da_browse"] = True

    def make_here(self, spec: pages.PageSpec, html: str, page_url: str, link: render.Linker,
                  archive: Archive | pagecache.ReadRecorder, banner: str) -> tuple[str, list[str]]:
        """The page's content made in this process around its Markdown's ``html``: in the halves the worker laid
        out, if it did (prerender.py), else rendered here."""
        refuse_unsafe(spec, html)
        halves = self.worker.take(spec.src_uri, self.worker_waits) if self.worker is not None else None
        content = None
        if halves is not None:  # laid out ahead: the body goes in its place
            content = prerender.splice(halves, render.page_body(spec, html, link, self.loc, self.alternates(page_url)))
            self.worker.taken -= content is None  # an empty body: made here after all
        return self.finish_page(spec, html, page_url, link, archive, banner, content)

    def finish_page(self, spec: pages.PageSpec, html: str, page_url: str, link: render.Linker,
                    archive: Archive | pagecache.ReadRecorder, banner: str,
                    content: str | None = None) -> tuple[str, list[str]]:
        """The page's content as Material's search reads it, with what it skips (searchinput): ``content`` (the
        page's template around the Markdown's ``html``), rendered here if None."""
        if content is None:
            content = render.render_page(self.env, spec, archive, html, link, self.media, self.loc,
                                         self.alternates(page_url), self.cites, site_name=self.site_name)
        # Material's search reads page.content next: not the excluded parts it would skip (page_context puts them back).
        return searchinput.hollow(banner + f'<div id="{SKIP_ID}">{content}</div>')

    def pre_page(self, page: Page, config: MkDocsConfig, files: Files) -> Page:
        """A page prerender's worker may make whole, Markdown and all (start_worker): its render takes that."""
        if self.making_whole and page.file.src_uri in self.specs and self.worker is not None:
            page.render = functools.partial(self.render_or_take, page)
        return page

    def render_or_take(self, page: Page, config: MkDocsConfig, files: Files) -> None:
        """``page.render`` for a page the worker may have made whole: what its render would have set, and the
        content page_content returns; else MkDocs' own render, here."""
        del page.render  # the page's own method again
        made = self.worker.whole(page.file.src_uri, self.worker_waits) if self.worker is not None else None
        if made is None:
            page.render(config, files)
            return
        made.apply(page, files)
        self.whole_pages[page.file.src_uri] = made.content, made.skipped

    def make_whole_page(self, src_uri: str, files: Files, config: MkDocsConfig) -> "WholePage":
        """In prerender's worker: the page whole, as _populate_page and page_content would make it here
        (``making_whole`` holds: no other plugin reads or changes the page on the way)."""
        spec = self.specs[src_uri]
        file = files.get_file_from_path(src_uri)
        made_here = file.page is None  # a page outside the nav: MkDocs makes its Page as it reaches it
        page = Page(None, file, config) if made_here else file.page
        config._current_page = page
        with prerender.unlogged():  # the build reads the page's source too, and logs what that logs
            page.read_source(config)
        page.render(config, files)
        refuse_unsafe(spec, page.content)
        made = WholePage(page, self.finish_page(spec, page.content, page.url, self.linker(page.url, files),
                                                self.archive, self.problems_banner()))
        if made_here:  # what the child keeps of every page it made is what it sent: let the rest go
            file.page = None
        else:
            page.markdown = page.content = None
        return made

    def post_page(self, output: str, page: Page) -> str:
        if self.preview is not None:
            self.preview.made(page, output, self.specs.get(page.file.src_uri), self.archive)
        if self.offload is not None:  # MkDocs has written the page before this one: the helper checks it
            if self._written is not None:
                self.offload.page_written(self._written)
            self._written = page.file.abs_dest_path
        return output

    def start_offload(self, files: Files, config: MkDocsConfig) -> None:
        """On a cold `mkdocs build`, a helper process writes the generated files and checks each page once it is
        written, while this process makes the pages (offload.py). Only the files whose output no other file,
        page or template writes: MkDocs writes those in an order that decides which one is left."""
        if self.command != "build" or self.preview is not None or self.archive is None:
            return
        dests = collections.Counter(f.dest_uri for f in files)
        dests.update(name + suffix for name in config.theme.static_templates for suffix in ("", ".gz"))
        mine = [f for f in files if isinstance(f, GeneratedFile) and f._content is not None
                and not f.is_documentation_page() and f.inclusion.is_included() and dests[f.dest_uri] == 1]
        job = offload.Offload(os.path.normpath(config.site_dir), [(f.abs_dest_path, f.data()) for f in mine])
        if not job.start():
            return
        for f in mine:
            f.offloaded = True
        self.offload, self._offloaded, self._written = job, mine, None

    def finish_offload(self) -> dict[str, list[str]]:
        """Wait for the helper of start_offload; the pages it checked, with their off-site fetches. A file it could
        not write fails the build, naming it. If the helper died, its files are written here, and post_build
        checks every page itself."""
        job, self.offload = self.offload, None
        if job is None:
            return {}
        if self._written is not None:
            job.page_written(self._written)
        outcome = job.finish()
        for f in self._offloaded:
            f.offloaded = False
        if not outcome.complete:
            log.info("The build's helper process stopped before its end: its files are written, and its "
                     "pages checked, in this one")
            for f in self._offloaded:
                f.copy_file()
            return {}
        for problem in outcome.failed:
            log.error(f"{problem} - check that the site folder can be written to and the disk has room")
        if outcome.failed:
            raise PluginError(f"docarchive: {len(outcome.failed)} generated file(s) could not be written "
                              "(see the list above)")
        log.debug(f"Beside the build: {len(self._offloaded)} generated files written, "
                  f"{len(outcome.fetches)} pages checked")
        return outcome.fetches

    def problems_banner(self) -> str:
        """Under `mkdocs serve`, while content has problems: the list, at the top of every page."""
        if self.error is None or self.archive is None:
            return ""
        return self.env.get_template("archive/problems.html").render(problems=self.error.problems)

    # -- search and the offline edition (docs/offline-and-search.md) ------------

    def configure_search(self, config: MkDocsConfig) -> None:
        """Give Material's search the archive's Chinese names, with paths that work from any directory.

        Runs before the search plugin's own ``on_config`` (the hook has a higher
        priority), which is where the plugin hands the dictionaries to jieba.
        """
        plugin = search_plugin(config)
        if plugin is None or self.archive is None:
            return
        cfg = plugin.config
        if cfg.jieba_dict:  # the plugin resolves it from the working directory; resolve it from mkdocs.yml's
            cfg.jieba_dict = str((self.root / cfg.jieba_dict).resolve())
        own = (self.root / cfg.jieba_dict_user).resolve() if cfg.jieba_dict_user else None
        if own is not None and not own.is_file():
            raise PluginError(f"search.jieba_dict_user: {own} does not exist")
        cfg.jieba_dict_user = str(search.prepare(self.archive, self.search_cache, own))
        # Pages' tags carry the stage and date shown in results (search.result_labels): weigh them
        # like text, not with the plugin's default boost of a million, which would put every story
        # of a stage above the stage's own page.
        cfg.fields.setdefault("tags", {"boost": 1.0})

    def compile_templates(self, config: MkDocsConfig) -> None:
        """In readahead's worker, once the stories are read: the page templates (``archive/``) and the theme's
        (main.html, 404.html and what they use) compiled into the on-disk cache (precompile.py). theme_env
        (on_env) waits for the worker before MkDocs renders the theme's templates; the page templates may be
        compiled meanwhile by prerender's worker and page_content too (each where the cache does not have them
        yet): the same code, so the same output, whichever process compiles them."""
        pages = self.env.list_templates(filter_func=lambda name: name.startswith("archive/"))
        precompile.compile_all(self.env, pages)
        if precompile.forwards_only(config.plugins.events.get("env", []), sys.modules[__name__]):
            env = theme_env(config.theme.get_env(), config)
            theme = ["main.html", *sorted(config.theme.static_templates)]
            precompile.compile_all(env, precompile.referenced(env, theme))

    def close_worker(self) -> None:
        """Wait for readahead's worker (the templates it compiles) at on_env: after page_content, before MkDocs
        renders the first page's theme template."""
        if self.ahead is not None:
            self.ahead.close()
            self.ahead = None

    def load_jieba(self, config: MkDocsConfig) -> None:
        """jieba's own dictionary, read now (jiebacache.py), while the stories are read (readahead.py): Material's
        search would read it in its on_config, when it gives jieba the archive's words (configure_search)."""
        plugin = search_plugin(config)
        if plugin is not None and not plugin.config.jieba_dict:
            search.load_jieba(self.search_cache)

    def index_name_parts(self, page: Page, config: MkDocsConfig) -> None:
        """An entity page's Chinese name goes into the search index as the words inside it (search.name_parts)."""
        spec = self.specs.get(page.file.src_uri)
        plugin = search_plugin(config) if spec is not None and spec.kind == "entity" else None
        if plugin is None:
            return
        for entry in reversed(plugin.search_index.entries):  # this page's entries are the last ones
            if entry["location"] == page.url:
                entry["title"] = search.name_parts(entry["title"])
                return

    def configure_editions(self, config: MkDocsConfig) -> None:
        """The offline edition gets the local iframe-worker shim; the normal site links the offline zip."""
        self.offline = offline_plugin_enabled(config)
        self.shims = [str(p.get("path") if isinstance(p, dict) else p)
                      for p in config.extra.get("polyfills", []) if offline.is_local_shim(p)]
        if self.offline and not self.shims:
            raise PluginError("docarchive: the offline edition needs a local iframe-worker shim in "
                              "extra.polyfills (see mkdocs-offline.yml), or Material loads it from unpkg.com")
        config.extra["feed_url"] = None if self.offline else feed.FEED  # main.html links it in every head
        self.download = None
        zip_setting = self.settings.offline_zip
        if self.offline or not zip_setting:
            return
        # `make site` stages the new zip and says where, so that it is published only with the site.
        zip_path = self.root / (os.environ.get("DOCARCHIVE_OFFLINE_ZIP") or zip_setting)
        if not zip_path.is_file():
            log.info(f"No offline edition at {zip_setting}: the site will not link one (run `make offline`)")
            return
        self.download = (f"downloads/{zip_path.name}", zip_path)
        config.extra["offline_download"] = {"url": self.download[0],
                                            "size": offline.human_size(zip_path.stat().st_size)}

    def add_edition_files(self, files: Files, config: MkDocsConfig) -> None:
        package = resolve(self.root, self.settings.shim_source)
        for uri in self.shims:
            shim = package / offline.SHIM_FILE
            if not shim.is_file():
                raise PluginError(f"docarchive: {shim} is missing: run `npm ci` (make offline does), or set "
                                  "shim_source to the folder of npm's iframe-worker package (docs/settings.md)")
            files.append(File.generated(config, uri, abs_src_path=str(shim)))
            licence = package / "LICENSE"
            if licence.is_file():
                files.append(File.generated(config, uri.rsplit("/", 1)[0] + "/LICENSE", abs_src_path=str(licence)))
        if self.download is not None and not self.edition.root:
            files.append(File.generated(config, self.download[0], abs_src_path=str(self.download[1])))

    def post_build(self, config: MkDocsConfig) -> None:
        """Drop what readers never load, then check that no page fetches anything off the site."""
        if self.worker is not None:  # waited for (every page taken, it has exited already)
            self.worker.close()
            log.info(f"Pages laid out ahead in a worker process: {self.worker.taken} of {self.worker.keys}")
            log.info(f"Pages that worker made whole, Markdown and all: {self.worker.taken_whole}")
            log.info(f"Pages whose JSON-LD that worker made: {self.worker.sided} of {self.worker.keys}")
            log.debug(f"docarchive: {self.worker.waited:.3f} s spent receiving them")
        checked = self.finish_offload()
        plugin = search_plugin(config)
        if self.preview is not None:
            self.preview.finish(Path(config.site_dir), plugin)
        elif self.command == "serve":
            PAGE_CACHE.clear()  # a build with content problems: the next one makes every page
        langs = list(plugin.config.lang) if plugin is not None and plugin.config.enabled else None
        site_dir = Path(config.site_dir)
        listing = offline.walk(site_dir)  # one walk for the pruning and the check
        pruned = offline.prune_site(site_dir, langs, listing)
        log.info(f"Source maps and unused search languages: {pruned}")
        offline.disarm_dormant_fetches(site_dir)
        if plugin is not None:
            self.defer_search_index(site_dir)
        kept = self.preview.kept_pages() if self.preview is not None else frozenset()  # checked when made
        pages_by_url: dict[str, list[str]] = {}
        for rel, url in offline.external_resources(site_dir, skip=kept, listing=listing, checked=checked):
            pages_by_url.setdefault(url, []).append(rel)
        # Each fetch is reported where it is written (config, template, page), for the editor to fix.
        sources = [config.config_file_path, self.root / "mkdocs.yml", config.theme.custom_dir, THEME_DIR,
                   config.docs_dir, *(self.root / n for n in WATCHED)]
        for url, rels in list(pages_by_url.items())[:10]:
            where = offline.where_written(url, [s for s in sources if s], self.root)
            log.warning(f"{', '.join(where[:3]) or rels[0]}: network: loads {url} from the internet in "
                        f"{len(rels)} page(s), e.g. {rels[0]} - the archive must work with no network: "
                        "copy the file into the theme folder or photos/ and link it locally")
        if len(pages_by_url) > 10:
            log.warning(f"... and {len(pages_by_url) - 10} more external resources")
        hold_loaded(False)

    def defer_search_index(self, site_dir: Path) -> None:
        """The index loads when the reader opens search, once per version (lazysearch, docs/offline-and-search.md)."""
        for problem in lazysearch.defer_index(site_dir):
            log.warning(f"{problem}: every page will load the whole search index (is Material newer than 9.8.1?)")
        if lazysearch.write_version(site_dir) is None:
            log.warning(f"no {lazysearch.INDEX} after the build: search will not work")

    def serve(self, server, config: MkDocsConfig):
        for name in WATCHED:
            path = self.root / name
            if path.exists():
                server.watch(str(path))
        for path in template_dirs(config):
            server.watch(str(path))
        return server


class LastLoad:
    """The last archive loaded in this process, reused while no content file has changed.

    ``make site`` builds every edition in one process (sitebuild.py): the builds
    after the first skip reading, validating and inspecting everything again. The
    key is every file under stories/, photos/ and data/ with its size and
    modification time, so any edit, addition, rename or deletion loads afresh;
    a run with content errors is never kept. Only the last archive is held.
    """

    def __init__(self):
        self.key: tuple | None = None
        self._digest: tuple = (None, "")
        self.archive: Archive | None = None
        # What each file of the last archive loaded read as (loader.ParsedFiles): under make serve, a
        # save loads again, and only the files whose text changed are parsed and checked again.
        self.parsed: tuple[Path | None, ParsedFiles] = (None, ParsedFiles())

    def load(self, build: ArchiveBuild, meanwhile=lambda: None, then=None) -> Archive:
        """The archive; ``meanwhile()`` is run while the story files are read (readahead.py) on a first load,
        after which the worker runs ``then()`` until the build closes it (``build.ahead``)."""
        # A one-off build loads once: its story files are read by a worker while this process goes on.
        ahead = readahead.start(build.root, build.sanitize_cache, then) \
            if build.command == "build" and self.archive is None else None
        loaded = False
        try:
            meanwhile()
            key = (str(build.root), str(build.cache_dir), content_fingerprint(build.root))
            if key != self.key or self.archive is None:
                self.key = self.archive = None
                if self.parsed[0] != build.root:
                    self.parsed = (build.root, ParsedFiles())
                # An unchanged story body is not rendered again (the verdicts' cache).
                with sanitize.verdicts_kept_in(build.sanitize_cache) as verdicts:
                    if ahead is not None:
                        self.parsed[1].offer(readahead.STEP, lambda: ahead.entries(verdicts))
                    archive = load_archive(build.root, parsed=self.parsed[1],
                                           inspect_image=lambda path: images.inspect(path, build.photo_cache))
                self.key, self.archive = key, archive
            loaded = True
        finally:
            if ahead is not None and (not loaded or then is None):
                ahead.close(stop=not loaded)  # a load that failed needs nothing more of it
            elif ahead is not None:
                build.ahead = ahead
        return self.archive

    @property
    def digest(self) -> str:
        """A digest of the content files the last archive was loaded from (the whole archive's key)."""
        if self._digest[0] != self.key:
            self._digest = (self.key, hashlib.sha256(repr(self.key).encode("utf-8", "surrogatepass")).hexdigest())
        return self._digest[1]


LAST_LOAD = LastLoad()
PAGE_CACHE = pagecache.PageCache()


class LivePreview:
    """Under ``mkdocs serve --dirty`` (``make serve``): only the pages whose inputs changed are made again.

    MkDocs' dirty build skips a page whose source file is older than its output.
    A generated page whose key (pagecache.page_key) is the one of the page the
    last build wrote is given an old, empty source file, so MkDocs leaves its
    output as it is; every other page is made. Three things a dirty build would
    get wrong are put right here, so that the served folder equals a clean
    build: the search index is put together again from every page's entries in
    the clean build's order, the outputs of pages and files that are gone are
    deleted, and the hand-written pages are made again when something every
    page shares (the build key: navigation, configuration, templates) changed.
    """

    def __init__(self, build: ArchiveBuild):
        self.build = build
        self.key = ""
        self.stamp = _unchanged_stamp(build.cache_dir.parent / "serve")
        self.digests = pagecache.Digests()
        self.kept: dict[str, str] = {}  # src_uri -> dest_uri of the pages left as they were
        self.reads: dict[str, tuple] = {}  # what each page made afresh read of the archive
        self.entries: dict[str, list] = {}  # each page made afresh: its search entries
        self.order: list[str] = []  # the pages in build order (that of the search index)
        self.dests: set[str] = set()
        self.entries_seen = 0
        self.outputs: dict[str, bytes] = {}  # dest_uri -> digest of each generated file's content
        # What the last build wrote, forgotten until this one finishes (a build that fails midway may
        # have written some of its files).
        self.written, PAGE_CACHE.outputs = PAGE_CACHE.outputs, {}

    def start(self, config: MkDocsConfig, media: dict) -> None:
        self.key = build_key(config, media)
        self.site_dir = Path(config.site_dir)

    def drop_pruned(self, files: Files, plugin) -> None:
        """The theme's files that post_build deletes (offline.prune_site: source maps, unused search languages,
        2 MB): a dirty build would copy them again on every save, only for them to be deleted."""
        langs = list(plugin.config.lang) if plugin is not None and plugin.config.enabled else None
        needed = offline.lunr_files_needed(langs) if langs is not None else set()
        lunr = offline.LUNR_DIR + "/"
        for f in [f for f in files if f.dest_uri.endswith(".map")
                  or (f.dest_uri.startswith(lunr) and f.dest_uri[len(lunr):] not in needed)]:
            files.remove(f)

    def unchanged(self, spec: pages.PageSpec, file: File) -> bool:
        reads = PAGE_CACHE.reads(spec.src_uri)
        key = None if reads is None else pagecache.page_key(
            self.key, spec, self.build.archive, reads, LAST_LOAD.digest, self.digests)
        cached = PAGE_CACHE.get(spec.src_uri, key)
        if cached is None or cached.dest_uri != file.dest_uri:
            return False
        out = self.site_dir / file.dest_uri
        if not out.is_file() or out.stat().st_size != len(cached.output.encode("utf-8", "xmlcharrefreplace")):
            return False
        self.kept[spec.src_uri] = file.dest_uri
        return True

    def same_output(self, uri: str, content: str | bytes) -> bool:
        """Whether the file the last build wrote at ``uri`` had this content (then MkDocs need not write it:
        thousands of small files, the citations' downloads, cost seconds to write on a busy disk)."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        digest = hashlib.sha256(data).digest()
        self.outputs[uri] = digest
        out = self.site_dir / uri
        return self.written.get(uri) == digest and out.is_file() and out.stat().st_size == len(data)

    def planned(self, files: Files, specs: dict) -> None:
        self.order = [f.src_uri for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve)]
        self.dests = {f.dest_uri for f in files}
        if PAGE_CACHE.build_key != self.key:  # make the hand-written pages again: their output is older
            for f in files.documentation_pages(inclusion=InclusionLevel.is_in_serve):
                if f.src_uri not in specs and Path(f.abs_dest_path).is_file():
                    Path(f.abs_dest_path).unlink()

    def indexed(self, page: Page, plugin) -> None:
        """After Material's search has indexed a page: note its entries."""
        entries = plugin.search_index.entries if plugin is not None else []
        self.entries[page.file.src_uri] = entries[self.entries_seen:]
        self.entries_seen = len(entries)

    def made(self, page: Page, output: str, spec: pages.PageSpec | None, archive: Archive) -> None:
        uri = page.file.src_uri
        if spec is None:
            return
        reads = self.reads.get(uri, pagecache.WHOLE)
        key = pagecache.page_key(self.key, spec, archive, reads, LAST_LOAD.digest, self.digests)
        if key is not None:
            PAGE_CACHE.keep(uri, pagecache.CachedPage(key, reads, output, page.file.dest_uri))

    def finish(self, site_dir: Path, plugin) -> None:
        """The search index in clean-build order; the outputs of pages and files that are gone deleted."""
        entries = PAGE_CACHE.entries
        entries.update(self.entries)
        if plugin is not None:
            plugin.search_index.entries = [e for uri in self.order for e in entries.get(uri, [])]
            data = plugin.search_index.generate_search_index(None)
            (site_dir / lazysearch.INDEX).write_bytes(data.encode("utf-8"))
        for rel in sorted(PAGE_CACHE.dests - self.dests):
            _remove_output(site_dir, rel)
        PAGE_CACHE.dests, PAGE_CACHE.build_key, PAGE_CACHE.outputs = self.dests, self.key, self.outputs
        PAGE_CACHE.forget_all_but(set(self.order))
        log.info(f"Live preview: {len(self.order) - len(self.kept)} pages made, "
                 f"{len(self.kept)} unchanged pages kept")

    def kept_pages(self) -> frozenset[str]:
        return frozenset(self.kept.values())


def _unchanged_stamp(folder: Path) -> Path:
    """An empty file dated 1970: the source of every page MkDocs' dirty build is to leave as it is."""
    folder.mkdir(parents=True, exist_ok=True)
    stamp = folder / "unchanged-page"
    stamp.touch()
    os.utime(stamp, (0, 0))
    return stamp


def _remove_output(site_dir: Path, rel: str) -> None:
    path = site_dir / rel
    if path.is_file():
        path.unlink()
    for parent in path.parents:
        if parent == site_dir or not parent.is_dir() or any(parent.iterdir()):
            break
        parent.rmdir()


def build_key(config: MkDocsConfig, media: dict) -> str:
    """What every page of a build shares: MkDocs and Material, the config files, the nav, the
    theme's templates, the extra settings (the offline download's size...) and the photos' derivatives."""
    import material

    parts = [mkdocs_version, material.__version__, config.site_url, config.use_directory_urls, repr(config.nav),
             repr({k: v for k, v in config.extra.items() if k != STATE_KEY}), repr(media)]
    path = Path(config.config_file_path)
    while path.is_file():  # the config file and the ones it INHERITs
        text = path.read_text(encoding="utf-8")
        parts.append(text)
        inherit = next((line.split(":", 1)[1].strip() for line in text.splitlines()
                        if line.startswith("INHERIT:")), None)
        if inherit is None:
            break
        path = path.parent / inherit.strip("'\"")
    # data/ (the archive record, stages, registries, timeline) is read by many pages in ways that are not
    # all recorded (citations, JSON-LD, the site's name): an edit there makes every page again.
    data = Path(config.config_file_path).parent / "data"
    parts.extend(content_fingerprint(data.parent, ("data",)))
    for folder in {str(d) for d in config.theme.dirs if "material" not in Path(d).parts[-3:]}:
        for item in sorted(Path(folder).rglob("*")):
            if item.is_file():
                stat = item.stat()
                parts.append(f"{item}:{stat.st_size}:{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(map(str, parts)).encode("utf-8", "surrogatepass")).hexdigest()


def content_fingerprint(root: Path, folders: tuple = WATCHED) -> tuple:
    """(path, size, mtime) of every file the archive is loaded from (under ``folders``)."""
    found = []
    for name in folders:
        for path in sorted((root / name).rglob("*")) if (root / name).is_dir() else ():
            if path.is_file():
                stat = path.stat()
                found.append((path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def _cache_folder(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def _relative(files: Files, from_page):
    """The relative URL from a page to the file whose source is a given uri (render.Linker); ``from_page`` gives
    the relative URL of a URL from that page (render.RelativeUrls.from_page)."""
    def relative(uri: str) -> str:
        target = files.src_uris.get(uri) or files.get_file_from_path(uri)  # the dict first: one lookup
        if target is None:
            raise PluginError(f"docarchive: no page for {uri}")
        return from_page(target.url) if not target.url.startswith("/") else target.url
    return relative


def untitled(item, gettext):
    """A hand-written nav entry without its English title (the page's own heading titles it); a section
    keeps its title, in the edition's language, and its entries."""
    if not isinstance(item, dict):
        return item
    title, value = next(iter(item.items()))
    if isinstance(value, list):
        return {gettext(title): [untitled(entry, gettext) for entry in value]}
    return value


SKIP_ID = "da-content"


def usable_cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def makes_pages_alone(config: MkDocsConfig) -> bool:
    """Whether the archive's hook (or plugin) is the only one to see a page between its source and its content:
    then prerender's worker can make a page whole, as this process would. Another plugin's handler could read
    the page's Markdown or content, or keep something of it (precompile.forwards_only tells the archive's own)."""
    events, glue = config.plugins.events, sys.modules[__name__]
    # A Markdown extension given as an object (not a name, made afresh for each page) could keep what it saw.
    if any(not isinstance(e, (str, linebreaks.CJKLineBreaks)) for e in config.markdown_extensions):
        return False
    return not events.get("page_read_source") and not events.get("page_markdown") \
        and precompile.forwards_only(events.get("pre_page", []), glue, ("state", "pre_page")) \
        and precompile.forwards_only(events.get("page_content", []), glue, ("state", "page_content"))


def refuse_unsafe(spec: pages.PageSpec, html: str) -> None:
    """The loader checked the source already: this catches Markdown settings it does not know."""
    refusals = sanitize.refused(html) if spec.kind in ("story", "stage") else []
    if refusals:
        raise PluginError(f"docarchive: {spec.src_uri}: the HTML allowlist refuses: "
                          + "; ".join(f"{r.message} - {r.fix}" for r in refusals))


class WholePage:
    """A page prerender's worker made whole: what MkDocs' ``Page.render`` sets on the page, and page_content's
    result (the content and what search skips of it). The links to anchors travel by their files' paths."""

    def __init__(self, page: Page, made: tuple[str, list[str]]):
        self.toc, self.title, self.anchors = page.toc, page._title_from_render, page.present_anchor_ids
        links = page.links_to_anchors
        self.links = None if links is None else {file.src_uri: anchors for file, anchors in links.items()}
        self.content, self.skipped = made

    def apply(self, page: Page, files: Files) -> None:
        page.content, page.toc, page._title_from_render = self.content, self.toc, self.title
        page.present_anchor_ids = self.anchors
        if self.links is not None:
            page.links_to_anchors = {files.get_file_from_path(uri): anchors for uri, anchors in self.links.items()}


def skip_target(page: Page) -> None:
    """Material draws its skip link to the first entry of the page's table of contents. A generated page's
    title is in its template, not its Markdown: put a level-1 entry for it first, pointing at the page's
    content, with the Markdown's headings under it (the toc partial then lists only those)."""
    toc = list(page.toc or [])
    if toc and toc[0].level == 1:
        return
    top = AnchorLink(page.title or "", SKIP_ID, 1)
    top.children = toc
    page.toc = TableOfContents([top])


class NavCache:
    """Material's primary nav, rendered once per distinct result (theme/partials/nav.html).

    For a page outside the nav the nav's HTML depends only on the relative URLs of
    its links from that page, so those are the key; pages in the nav (their item is
    active, their table of contents sits in the nav) get None and are rendered anew.
    """

    def __init__(self):
        self.rendered: dict = {}
        self._in_nav: tuple = (None, frozenset())

    def in_nav(self, nav, page) -> bool:
        """``page in nav.pages`` (partials/toc.html asks it too), with the nav's pages looked up once per build:
        MkDocs makes one Page per file, so a page is in the nav exactly when it is one of those objects."""
        if self._in_nav[0] is not nav:
            self._in_nav = (nav, frozenset(map(id, nav.pages)))
        return id(page) in self._in_nav[1]

    def key(self, nav, page):
        if not isinstance(page, Page) or self.in_nav(nav, page):
            return None
        targets = [nav.homepage.url if nav.homepage else "", *(p.url for p in nav.pages)]
        marked = tuple(p.url for p in nav.pages if p.active)  # a story's stage, marked (mark_stage)
        return (*(get_relative_url(url, page.url) for url in targets), marked)

    def get(self, key):
        return None if key is None else self.rendered.get(key)

    def put(self, key, html):
        if key is not None:
            self.rendered[key] = html
        return html


class Fragments:
    """Parts of Material's pages that are the same on many pages of a build, rendered once per build (main.html
    and the partials that include Material's own: search.html, icons.html). ``key`` names everything the part
    depends on; a fresh object for every build (theme_env), so a template or setting edited under
    `mkdocs serve` is seen."""

    def __init__(self):
        self.rendered: dict = {}

    def once(self, key, render):
        """The part's HTML under ``key``: ``render()`` (a Jinja block's ``super``) the first time only."""
        html = self.rendered.get(key)
        if html is None:
            html = self.rendered[key] = render()
        return html

    def get(self, key):
        return self.rendered.get(key)

    def put(self, key, html):
        self.rendered[key] = html
        return html


def theme_env(env, config: MkDocsConfig, files: Files | None = None):
    """Material's own templates under ``material/`` (so an override can wrap one), the nav and fragment caches, and
    the compiled-template cache. With every file of the build known (``files``), the helper process starts."""
    import material

    material_templates = Path(material.__file__).resolve().parent / "templates"
    env.loader = jinja2.ChoiceLoader([env.loader, jinja2.PrefixLoader(
        {"material": jinja2.FileSystemLoader(str(material_templates))})])
    env.globals["archive_nav"] = NavCache()
    env.globals["archive_fragments"] = Fragments()
    # The engine's words in Material's templates and ours over them (404.html, main.html, copyright.html).
    gettext = state(config).loc.gettext
    env.globals["da_text"] = gettext
    env.globals["da_script_words"] = {w: gettext(w) for w in messages.SCRIPT_WORDS}  # for archive.js (main.html)
    env.bytecode_cache = state(config).template_cache
    state(config).close_worker()
    # The pages are made next. What on_files made (the pages' files, the citations, the exports) lives to
    # the end of a one-off build too: held with the loaded archive (hold_loaded), ~0.3 s less collection.
    if _HELD:
        hold_loaded(True)
    if files is not None:
        state(config).start_offload(files, config)
    return env


def state(config: MkDocsConfig) -> ArchiveBuild:
    return config.extra[STATE_KEY]


def start(config: MkDocsConfig, command: str, settings: ArchiveSettings | None = None,
          dirty: bool = False) -> MkDocsConfig:
    """Begin a build; ``settings`` are the plugin's options, or else read from extra.docarchive (hooks).
    ``dirty``: `mkdocs serve --dirty` (make serve), where only the pages an edit changed are made again."""
    if settings is None:
        settings = read_settings(config.extra, config.config_file_path)
    build = ArchiveBuild(config, command, settings)
    config.extra[STATE_KEY] = build
    build.load(config)
    if command == "serve" and dirty and build.error is None:
        build.preview = LivePreview(build)
        logging.getLogger("mkdocs.commands.build").addFilter(_quiet_dirty_warning)
    build.configure_search(config)
    build.configure_editions(config)
    translate_palette(config, build.loc.gettext)
    translate_footnotes(config, build.loc.gettext)
    # Chinese lines wrapped in a source file read as one line (linebreaks.py): every page's Markdown.
    if not any(isinstance(e, linebreaks.CJKLineBreaks) for e in config.markdown_extensions):
        config.markdown_extensions.append(linebreaks.CJKLineBreaks())
    # mkdocs-zh.yml inherits the main edition's site_url: its pages' canonical URLs, sitemap and feed
    # need their own folder's. Offline (file://), the hreflang links stay relative.
    build.main_site_url = "" if build.offline else editions.main_site_url(config.site_url or "", build.edition)
    config.site_url = editions.edition_site_url(config.site_url or "", build.edition) or None
    if len(build.editions) > 1:
        # Material then puts partials/alternate.html (ours: each page's twin) in the header. Not a list,
        # so that Material's own <link hreflang> loop, which can only link an edition's root, is skipped;
        # main.html writes each page's own.
        config.extra["alternate"] = True
    if command == "build" and build.error is None:
        hold_loaded(True)
    return config


def preload(config: MkDocsConfig) -> bool:
    """What the start of ``config``'s one-off build does first, done now: the archive loaded and checked (kept in
    LAST_LOAD, the story files read by readahead's worker, which compiles the templates), jieba's dictionary
    read and the photos' derivatives made. sitebuild then forks its editions' builds, which find all of it
    done (the loaded archive shared, copy on write). False, with nothing logged, when the archive has
    problems: the builds then meet them and report them, as without a preload."""
    plugin = config.plugins.get("docarchive")
    settings = plugin.config if plugin is not None else read_settings(config.extra, config.config_file_path)
    try:
        build = ArchiveBuild(config, "build", settings)
    except PluginError:
        return False
    config.extra[STATE_KEY] = build  # theme_env, in the worker's compile_templates, reads it (start() replaces it)
    try:
        archive = LAST_LOAD.load(build, meanwhile=lambda: build.load_jieba(config),
                                 then=lambda: build.compile_templates(config))
        images.build_media(archive.photos, build.photo_cache)
    except (ContentError, images.MediaError):
        return False
    finally:
        build.close_worker()
    return True


def idle() -> bool:
    """No worker or helper process of a build is running: a process forked now inherits none to wait for."""
    return not forked.still_running()


def hold_loaded(hold: bool) -> None:
    """A one-off build's loaded archive, configuration and modules live to its end: Python's cyclic
    garbage collector is told to leave them out of its full collections (gc.freeze), each of which
    would walk them all again (~0.1 s of a 1,000-story build, 0.25 s at 3,000: they grow with the
    archive). Released when the build ends or fails (``gc.unfreeze``); left alone under ``mkdocs serve``,
    whose rebuilds drop the last archive. Meanwhile the full collections are rarer (``OLDEST_THRESHOLD``): with
    the loaded objects frozen, the collector counts few long-lived objects, and so ran one after every tenth
    collection of the middle generation (~0.2 s at 3,000 stories, twice plain Material's). It only frees memory:
    what is built stays the same."""
    if hold:
        if not _HELD:
            _HELD_THRESHOLD[:] = [gc.get_threshold()]
        gc.freeze()
        gc.set_threshold(*_HELD_THRESHOLD[0][:2], OLDEST_THRESHOLD)
    elif _HELD:
        gc.unfreeze()
        gc.set_threshold(*_HELD_THRESHOLD.pop())
    _HELD[:] = [True] if hold else []


_HELD: list[bool] = []  # whether this module froze the collector's generations (hold_loaded)
_HELD_THRESHOLD: list[tuple] = []  # the collector's thresholds before hold_loaded, put back on release
OLDEST_THRESHOLD = 50  # collections of the middle generation per full collection, while held (Python's: 10)


def build_failed() -> None:
    """A build failed (MkDocs' on_build_error, which knows no config): every child process it started is stopped
    and reaped (forked.stop_all: readahead's and prerender's workers killed, the helper given forked.TIMEOUT to
    finish the files it writes, then killed), so that nothing of this build runs or writes when the next
    begins, and the loaded archive is released."""
    forked.stop_all()
    hold_loaded(False)


def translate_footnotes(config: MkDocsConfig, gettext) -> None:
    """The footnotes' back links say where they lead (Python-Markdown's BACKLINK_TITLE) in the edition's words."""
    if "footnotes" in config.markdown_extensions:
        title = "Jump back to footnote %d in the text"  # Python-Markdown's own default, a message of messages.py
        settings = config.mdx_configs.setdefault("footnotes", {})
        settings["BACKLINK_TITLE"] = gettext(settings.get("BACKLINK_TITLE", title))


def translate_palette(config: MkDocsConfig, gettext) -> None:
    """The colour toggles' names (Material's theme.palette ... toggle.name) in the edition's words, where the
    engine's catalogue has them (messages.py): one palette in mkdocs.yml serves every edition."""
    palette = config.theme["palette"] if "palette" in config.theme else None
    for scheme in palette if isinstance(palette, list) else [palette] if isinstance(palette, dict) else []:
        toggle = scheme.get("toggle") if isinstance(scheme, dict) else None
        if isinstance(toggle, dict) and isinstance(toggle.get("name"), str):
            scheme["toggle"] = {**toggle, "name": gettext(toggle["name"])}


def template_dirs(config: MkDocsConfig) -> list[str]:
    """Where page layouts are looked up: the archive's custom_dir first, then the engine's."""
    custom = config.theme.custom_dir
    return [d for d in (custom, str(THEME_DIR)) if d]


def add_theme_dir(config: MkDocsConfig) -> list[str]:
    """Put the engine's theme folder on the theme's search path, as MkDocs' search plugin does its own."""
    dirs = config.theme.dirs
    if str(THEME_DIR) not in dirs:
        dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_DIR))
    return template_dirs(config)


def _quiet_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns that a dirty build may get the navigation wrong; LivePreview makes it exact."""
    return not record.getMessage().startswith("A 'dirty' build is being performed")


def search_plugin(config: MkDocsConfig):
    """Material's search plugin, if the site has it enabled."""
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    return plugin if plugin is not None and getattr(plugin.config, "enabled", True) else None


def offline_plugin_enabled(config: MkDocsConfig) -> bool:
    plugin = config.plugins.get("material/offline") or config.plugins.get("offline")
    return plugin is not None and bool(plugin.config.enabled)
