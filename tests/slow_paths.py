"""The page-building code as it was before the speed-ups of issue 9 (on_page_content, the generated files,
the post-build walks and check), kept word for word so that tests/test_page_speed.py can build a site both
ways and compare every byte.

``install()`` puts these back in place of today's; run as a script, it does so and then runs the
``mkdocs`` command line with its arguments, and prints on stderr how often each old path ran:

    python tests/slow_paths.py build --strict -f mkdocs-zh.yml --site-dir /tmp/zh
"""

from __future__ import annotations

import collections
import json
import re
import sys
from typing import Any, Callable

from markupsafe import Markup

from mkdocs.structure.files import File

from docarchive import jiebacache, jsontext, linkeddata, mkdocs_glue, offline, prerender, readahead, render, sanitize
from docarchive.pages import anchor_for, uri_for

RAN: collections.Counter = collections.Counter()


def refused(fragment: str) -> list:
    """sanitize.refused: always a second walk, over nh3's output."""
    RAN["refused"] += 1
    walk = sanitize._walk(fragment)
    if walk.refusals:
        return walk.refusals
    kept = sanitize._walk(sanitize.clean(fragment))
    same_text = " ".join("".join(kept.text).split()) == " ".join("".join(walk.text).split())
    if kept.tokens == walk.tokens and same_text:
        return []
    first = next((a for a, b in zip(walk.tokens, kept.tokens) if a != b), walk.tokens[-1] if walk.tokens else None)
    needle = f"<{first[0]}" if first else "<"
    return [sanitize.Refusal(needle, "the HTML sanitizer would change this markup (it is malformed or not allowed)",
                             "write it in plain Markdown, or close every tag you open")]


def link_first_mentions(body_html: str, entities: list, link) -> str:
    """render.link_first_mentions: every name in the pattern, whether the page has it or not."""
    RAN["link_first_mentions"] += 1
    names = sorted(((name, entity) for entity in entities
                    for name in (entity.name, getattr(entity, "name_zh", ""), *getattr(entity, "aliases", ()))
                    if len(name) > 2 or (name and not name.isascii())),
                   key=lambda item: -len(item[0]))
    if not names:
        return body_html
    pattern = re.compile("|".join(rf"(?<![\w-]){re.escape(n)}(?![\w-])" if n.isascii() else re.escape(n)
                                  for n, _ in names))
    by_name = {n: e for n, e in names}
    linked: set = set()

    def in_text(text: str) -> str:
        def one(match: re.Match) -> str:
            entity = by_name[match.group(0)]
            if id(entity) in linked:
                return match.group(0)
            linked.add(id(entity))
            return f'<a class="da-mention" href="{Markup.escape(link(entity))}">{match.group(0)}</a>'
        return pattern.sub(one, text)

    out = []
    skip = [(m.start(), m.end()) for m in render.NO_LINK.finditer(body_html)]
    pos = 0
    for start, end in [*skip, (len(body_html), len(body_html))]:
        out.append(render._text_only(body_html[pos:start], in_text))
        out.append(body_html[start:end])
        pos = end
    return "".join(out)


class Linker:
    """render.Linker: every link worked out each time it is asked for."""

    def __init__(self, relative_url: Callable[[str], str]):
        self._relative_url = relative_url

    def __call__(self, obj: Any) -> str:
        RAN["link"] += 1
        uri = obj if isinstance(obj, str) else uri_for(obj)
        url = self._relative_url(uri)
        anchor = "" if isinstance(obj, str) else anchor_for(obj)
        return f"{url}#{anchor}" if anchor else url


class RelativeUrls:
    """render.RelativeUrls: MkDocs' get_relative_url asked for every link of every page."""

    def __init__(self, relative_url: Callable[[str, str], str]):
        self._relative_url = relative_url

    def from_page(self, page_url: str) -> Callable[[str], str]:
        RAN["relative_urls"] += 1
        return lambda url: self._relative_url(url, page_url)


def script_text(data: dict) -> Markup:
    """linkeddata.script_text: the standard library's indented encoder."""
    RAN["script_text"] += 1
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("<", "\\u003c")
    return Markup(text)


def make_env(template_dirs, lang: str = "en"):
    """render.make_env with jinja2.ext's own ``_`` (an alias that looks ``gettext`` up) and ``gettext``, list
    rows made every time (``rows``), and Jinja's own template context (its ``call``, not render.CallingContext's)."""
    import jinja2.ext
    import jinja2.runtime

    from docarchive import messages
    RAN["make_env"] += 1
    env = TODAY["make_env"](template_dirs, lang)
    env.context_class = jinja2.runtime.Context
    gettext = messages.gettext(lang)
    env.install_gettext_callables(gettext, lambda one, many, n: gettext(one if n == 1 else many), newstyle=True)
    env.globals["_"] = jinja2.ext._gettext_alias
    env.globals["rows"] = rows
    return env


def rows(macro, items, link) -> Markup:
    """render.Rows: every row made again on every page that lists it, as ``{% for %}{{ macro(item) }}``."""
    RAN["rows"] += 1
    return Markup("").join(macro(item) for item in items)


class GeneratedFile(File):
    """mkdocs_glue.GeneratedFile: MkDocs' own File, its path normalised and each file written by MkDocs."""

    def copy_file(self, dirty: bool = False) -> None:
        RAN["copy_file"] += 1
        super().copy_file(dirty)


def add_reuse_files(self, files, config) -> None:
    """ArchiveBuild.add_reuse_files: the data package, the citations' downloads and the feed made here, in on_files."""
    RAN["reuse_here"] += 1
    self.publish_facts(files, config)
    for uri, content in self.reuse_contents().items():
        files.append(self.generated(config, uri, content))


def prerender_start(jobs, side=None, after=None, make_whole=None, lead=None):
    """prerender.start: the worker lays the pages out, and no more (each page's JSON-LD is made in the build, and
    every page's Markdown)."""
    RAN["prerender"] += 1
    return TODAY["prerender_start"](jobs)


def dumps(value: Any) -> str:
    """jsontext.dumps (the citations' CSL-JSON, the data package): the standard library's indented encoder."""
    RAN["dumps"] += 1
    return json.dumps(value, ensure_ascii=False, indent=1)


def start_offload(self, files, config) -> None:
    """ArchiveBuild.start_offload: no helper process; MkDocs writes every generated file as it copies the static
    files, and post_build checks every page itself."""
    RAN["in_process"] += 1


def prune_site(site_dir, langs, listing=None):
    """offline.prune_site with its own two walks of the site, as it was (not the build's one walk)."""
    RAN["walks"] += 1
    return TODAY["prune_site"](site_dir, langs)


def external_resources(site_dir, skip=frozenset(), listing=None, checked=None):
    """offline.external_resources with its own walk, every page parsed here, as it was."""
    RAN["walks"] += 1
    return TODAY["external_resources"](site_dir, skip)


def preload(cache_dir, tokenizer=None) -> bool:
    """jiebacache.preload: none; jieba reads its own marshal cache when Material's search gives it the user words."""
    RAN["preload"] += 1
    return False


def start(root, verdicts_folder, then=None):
    """readahead.start: no worker; the build reads every story file and compiles every template itself."""
    RAN["readahead"] += 1
    return None


TODAY: dict[str, Any] = {}


def install() -> None:
    TODAY.update(make_env=render.make_env, prune_site=offline.prune_site, external_resources=offline.external_resources,
                 prerender_start=prerender.start)
    sanitize.refused = refused
    render.link_first_mentions = link_first_mentions
    render.Linker = Linker
    render.RelativeUrls = RelativeUrls
    render.make_env = make_env
    linkeddata.script_text = script_text
    mkdocs_glue.GeneratedFile = GeneratedFile
    mkdocs_glue.ArchiveBuild.add_reuse_files = add_reuse_files
    prerender.start = prerender_start
    jsontext.dumps = dumps
    mkdocs_glue.ArchiveBuild.start_offload = start_offload
    offline.prune_site = prune_site
    offline.external_resources = external_resources
    jiebacache.preload = preload
    readahead.start = start


if __name__ == "__main__":
    install()
    from mkdocs.__main__ import cli
    try:
        cli.main(args=sys.argv[1:], prog_name="mkdocs", standalone_mode=False)
    finally:
        print("slow paths ran: " + json.dumps(dict(sorted(RAN.items()))), file=sys.stderr)
