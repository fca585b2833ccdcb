"""Layout of generated pages, from Jinja templates in the theme override folder.

The hook renders a page's Markdown as usual, then hands the HTML here; the
template ``archive/<kind>.html`` wraps it with the page's metadata. Rendering
into the page content (not only the outer template) means search indexes the
metadata too: places, people, Chinese names, captions, events.
Autoescaping is on: captions and YAML text are plain text, and any raw HTML in
them is shown as text, never run.
"""

from __future__ import annotations

import posixpath
import re
import types
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

import jinja2
from jinja2.utils import _PassArg
from markupsafe import Markup

from . import browse, citations, datapackage, exports, messages, provenance
from .localize import Localizer, fallback_block
from .model import Archive
from .pages import PageSpec, anchor_for, uri_for

# Runs of Chinese characters (with the punctuation and spaces between them) in plain text.
HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff]"
                     r"(?:[\u3000-\u303f\uff00-\uffef\u00b7 ]*[\u3400-\u9fff\uf900-\ufaff\U00020000-\U0002ffff])*")

KIND_LABELS = {
    "person": ("People", "Person"),
    "place": ("Places", "Place"),
    "organization": ("Organizations", "Organization"),
}


def make_env(template_dirs: str | Path | list, lang: str = "en") -> jinja2.Environment:
    """Templates are looked up in ``template_dirs`` in order (the archive's overrides, then the engine's),
    with ``_("...")`` for the engine's words in ``lang`` (messages.py)."""
    dirs = template_dirs if isinstance(template_dirs, list) else [template_dirs]
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # one environment per build: templates are compiled once, never re-checked on disk
        extensions=["jinja2.ext.i18n"],
    )
    env.context_class = CallingContext
    gettext = messages.gettext(lang)
    env.install_gettext_callables(gettext, lambda one, many, n: gettext(one if n == 1 else many), newstyle=True)
    env.globals["_"] = env.globals["gettext"] = _newstyle_gettext(gettext)
    env.filters["zh"] = mark_chinese
    env.filters["split"] = lambda text, sep: str(text).split(sep)
    env.globals["rows"] = Rows(_engine_macros(env))
    return env


ENGINE_THEME = Path(__file__).resolve().parent / "theme"

# What templates here call, other than macros: functions and methods (their pass_context mark, if any, is one
# attribute away), and the engine's own callables, which take no context.
_FUNCTIONS = frozenset({types.FunctionType, types.BuiltinFunctionType, types.MethodType})
_PLAIN_CALLABLES: frozenset = frozenset()  # set once Linker and Rows are defined, below


class CallingContext(jinja2.runtime.Context):
    """Jinja's template context with a shorter ``call``. Every ``f(x)`` in a template goes through
    ``Context.call`` (some sixty on a story page), which looks for a pass_context mark six times (on ``f``,
    and on ``f.__call__``) before calling. Here a function or method is looked at once, the engine's callables
    (Linker, Rows) not at all, and a macro given positional arguments only (the rest ``missing``, for its
    defaults) goes straight to its body, as ``Macro.__call__`` would once it had read them; anything else (a
    macro given keywords or a caller, a class, an undefined value) goes Jinja's own way. The same calls, the
    same results (tests/test_page_speed.py); the 1,000 story pages of bench_build's archive laid out in 0.24 s
    instead of 0.30 s (rendered alone, their links known), and in a build's story.html 0.40 s instead of 0.52 s
    (with RelativeUrls)."""

    def call(__self, __obj: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:  # noqa: N805 (Jinja's names)
        kind = type(__obj)
        if kind is _MACRO:
            if kwargs:
                kwargs.pop("_loop_vars", None)
                kwargs.pop("_block_vars", None)
            missing = __obj._argument_count - len(args)  # each given as ``missing``: the macro puts its default
            if (kwargs or missing < 0 or __obj.caller or __obj.explicit_caller or __obj.catch_kwargs
                    or __obj.catch_varargs or __self.environment.is_async):
                return _JINJAS_CALL(__self, __obj, *args, **kwargs)
            try:
                made = __obj._func(*args, *(_MISSING,) * missing) if missing else __obj._func(*args)
            except StopIteration:
                return __self.environment.undefined(_STOPPED)
            return Markup(made) if __self.eval_ctx.autoescape else made
        if kind in _PLAIN_CALLABLES:
            pass_arg = None
        elif kind in _FUNCTIONS:
            pass_arg = getattr(__obj, "jinja_pass_arg", None)
        else:
            return _JINJAS_CALL(__self, __obj, *args, **kwargs)
        if pass_arg is not None:  # from here on, as Jinja's own
            if pass_arg is _PassArg.context:
                if kwargs.get("_loop_vars"):
                    __self = __self.derived(kwargs["_loop_vars"])
                if kwargs.get("_block_vars"):
                    __self = __self.derived(kwargs["_block_vars"])
                args = (__self,) + args
            elif pass_arg is _PassArg.eval_context:
                args = (__self.eval_ctx,) + args
            elif pass_arg is _PassArg.environment:
                args = (__self.environment,) + args
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined(_STOPPED)


_MACRO, _MISSING, _JINJAS_CALL = jinja2.runtime.Macro, jinja2.runtime.missing, jinja2.runtime.Context.call
_STOPPED = "value was undefined because a callable raised a StopIteration exception"  # Jinja's words


def _engine_macros(env: jinja2.Environment) -> bool:
    """Whether ``archive/macros.html`` is the engine's own (no archive overrides it)."""
    try:
        _, filename, _ = env.loader.get_source(env, "archive/macros.html")
    except jinja2.TemplateNotFound:
        return False
    return filename is not None and Path(filename).resolve() == ENGINE_THEME / "archive" / "macros.html"


class Rows:
    """A list's rows, ``{{ rows(m.story_card, stories, link) }}``: the same as ``{% for s in stories %}{{
    m.story_card(s) }}{% endfor %}``, each row made once per build. The stories of an entity are listed
    again on their stage's page, on the other entities' pages and on the home page; the engine's row
    depends only on the record, the edition (one environment per edition and build) and the link to it, so a
    row is kept under the record and that link, and a page whose link to the story is the same reuses it.
    An archive's own macros.html may make rows from anything the page holds: its rows are made every time.
    (Under ``make serve`` nothing read is hidden: the list itself is read from the archive, and a page's key
    has the digest of each record in it; pagecache.)"""

    def __init__(self, keep: bool):
        self.keep = keep
        # Keyed by the record's identity, with the record kept in the value so that its id cannot be reused.
        self._made: dict[tuple[int, str, Any], tuple[Any, Markup]] = {}

    def __call__(self, macro: Any, items: Any, link: Callable[[Any], str]) -> Markup:
        if not self.keep:
            return Markup("").join(macro(item) for item in items)
        out = []
        for item in items:
            key = (id(item), link(item), macro.name)
            made = self._made.get(key)
            if made is None or made[0] is not item:
                made = self._made[key] = (item, macro(item))
            out.append(made[1])
        return Markup("").join(out)


def _newstyle_gettext(gettext: Callable[[str], str]):
    """What jinja2.ext installs for newstyle ``_()``, less its two hops through ``Context.call`` (every
    page calls ``_`` some twenty times): the message looked up, escaped when autoescaping, then filled in.
    A message with nothing to fill in comes out the same every time: it is made once."""
    plain: dict[tuple[str, bool], str] = {}

    @jinja2.pass_context
    def translated(context: jinja2.runtime.Context, message: str, **variables: Any) -> str:
        autoescape = context.eval_ctx.autoescape
        if not variables and (message, autoescape) in plain:
            return plain[message, autoescape]
        text = gettext(message)
        text = (Markup(text) if autoescape else text) % variables
        if not variables:
            plain[message, autoescape] = text
        return text
    return translated


def mark_chinese(text: str) -> Markup:
    """Plain text, escaped, with each run of Chinese characters in a lang="zh-Hans" span,
    so that it gets the Chinese font stack and is read out as Chinese."""
    out, last = [], 0
    for match in HAN_RUN.finditer(str(text)):
        out.append(Markup.escape(text[last:match.start()]))
        out.append(Markup('<span lang="zh-Hans">%s</span>') % match.group(0))
        last = match.end()
    out.append(Markup.escape(text[last:]))
    return Markup("").join(out)


class Linker:
    """Relative links from the page being rendered to other archive objects."""

    def __init__(self, relative_url: Callable[[str], str]):
        self._relative_url = relative_url
        # A page links to the same things again and again (its stage, its people...): each is worked out once.
        # Keyed by identity, with the object kept in the value so that its id cannot be reused meanwhile.
        self._made: dict[int | str, tuple[Any, str]] = {}

    def __call__(self, obj: Any) -> str:
        key = obj if isinstance(obj, str) else id(obj)
        made = self._made.get(key)
        if made is not None and (made[0] is obj or key is obj):
            return made[1]
        uri = obj if isinstance(obj, str) else uri_for(obj)
        url = self._relative_url(uri)
        anchor = "" if isinstance(obj, str) else anchor_for(obj)
        url = f"{url}#{anchor}" if anchor else url
        self._made[key] = (obj, url)
        return url


_PLAIN_CALLABLES = frozenset({Linker, Rows})


class RelativeUrls:
    """``relative_url(url, page_url)`` (MkDocs' get_relative_url), each answer worked out once per build where
    it does not depend on the page itself. From a page whose folder is n deep, a URL whose first folder is not
    the page's (every story page's links to places, people, sources, the browse page, the citations' downloads)
    is n times ``..`` and the URL: the same answer for every page n deep. Both paths are read as
    get_relative_url reads them (``_parts``: a leading '/' added, posixpath.normpath, split at '/'; a page URL's
    last part dropped when it holds a '.'); any other URL is asked of ``relative_url`` each time."""

    def __init__(self, relative_url: Callable[[str, str], str]):
        self._relative_url = relative_url
        self._first: dict[str, str] = {}  # a URL's first part ("" when it has none)
        self._made: dict[tuple[int, str], str] = {}  # (the page's depth, the URL): the answer

    def from_page(self, page_url: str) -> Callable[[str], str]:
        """The relative URL of each URL from the page at ``page_url``."""
        dirname, _, basename = page_url.rpartition("/")
        parts = _parts(dirname if "." in basename else page_url)
        first, depth = (parts[0] if parts else ""), len(parts)
        made, firsts, relative_url = self._made, self._first, self._relative_url

        def relative(url: str) -> str:
            top = firsts.get(url)
            if top is None:
                top = firsts[url] = next(iter(_parts(url)), "")
            if top and top == first:  # in the page's own first folder: the answer depends on the page
                return relative_url(url, page_url)
            answer = made.get((depth, url))
            if answer is None:
                answer = made[depth, url] = relative_url(url, page_url)
            return answer
        return relative


def _parts(path: str) -> list[str]:
    """A path's parts as MkDocs' get_relative_url reads them (mkdocs.utils._norm_parts)."""
    if not path.startswith("/"):
        path = "/" + path
    path = posixpath.normpath(path)[1:]
    return path.split("/") if path else []


# Elements whose text is never linked: links themselves, headings, code.
NO_LINK = re.compile(r"<(a|h[1-6]|code|pre|script|style)\b[^>]*>.*?</\1>", re.S | re.I)


def link_first_mentions(body_html: str, entities: list, link: Linker) -> str:
    """The story's body with the first mention of each of its registered people, places and organizations
    (by name or alias, longest first) linked to the entity's page; text already in a link, a heading or
    code is left alone, and each entity is linked once."""
    names = sorted(((name, entity) for entity in entities
                    for name in (entity.name, getattr(entity, "name_zh", ""), *getattr(entity, "aliases", ()))
                    if (len(name) > 2 or (name and not name.isascii())) and name in body_html),
                   key=lambda item: -len(item[0]))  # a name not in the page at all cannot match: left out
    if not names:
        return body_html
    pattern = re.compile("|".join(_name_pattern(n) for n, _ in names))
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
    # Only text between tags, outside NO_LINK elements, is searched.
    skip = [(m.start(), m.end()) for m in NO_LINK.finditer(body_html)]
    pos = 0
    for start, end in [*skip, (len(body_html), len(body_html))]:
        out.append(_text_only(body_html[pos:start], in_text))
        out.append(body_html[start:end])
        pos = end
    return "".join(out)


def _name_pattern(name: str) -> str:
    r"""Latin names match whole words only; Chinese has no spaces between words, so a Chinese name matches as is.
    "Not after a letter, digit or hyphen" is checked once the name's first character has matched
    (``N(?<![\w-]N)ame``, not ``(?<![\w-])Name``): every alternative then starts with a character, so the regex
    engine skips ahead to where a name could start instead of trying each name at each position (four times
    faster on the archive's stories; tests/test_page_speed.py checks that it matches where the other did)."""
    if not name.isascii():
        return re.escape(name)
    first = re.escape(name[0])
    return rf"{first}(?<![\w-]{first}){re.escape(name[1:])}(?![\w-])"


def _text_only(html: str, fn) -> str:
    """``fn`` applied to the text between the tags of ``html``, never to a tag or an attribute."""
    parts = re.split(r"(<[^>]*>)", html)
    return "".join(part if part.startswith("<") else fn(part) for part in parts)


def wrap_notes(body_html: str) -> str:
    """A story's "Translation notes" (a ``## Translation notes`` heading, to the end of the text) and its
    Markdown footnotes become one notes block after the story, set apart from the narrative."""
    match = re.search(r'<h2 id="translation-notes">', body_html)
    if match:
        body_html = (body_html[:match.start()] + '<section class="da-notes" aria-labelledby="translation-notes">'
                     + body_html[match.start():] + "</section>")
    return body_html


def render_page(env: jinja2.Environment, spec: PageSpec, archive: Archive, body_html: str,
                link: Linker, media: dict | None = None, loc: Localizer | None = None,
                editions: list | None = None, cites: dict | None = None, site_name: str = "") -> str:
    """The page content: the template for ``spec.kind`` around the rendered Markdown.

    ``loc`` is the edition's language (English by default); ``editions`` the
    other editions' versions of this page (editions.alternates), for the home page;
    ``cites`` the "Cite this" of every citable thing (citations.build).
    ``site_name`` the home page's heading when the archive has no data/archive.yml.
    """
    loc = loc or Localizer("en", archive)
    body = Markup(page_body(spec, body_html, link, loc, editions))
    return render_template(env, spec, archive, body, link, media, loc, editions, cites, site_name)


def page_body(spec: PageSpec, body_html: str, link: Linker, loc: Localizer, editions: list | None = None) -> str:
    """The rendered Markdown as the page's template places it: under its "not yet translated" note if the
    page stands in for its translation; a story's with its first mentions linked and its notes set apart.
    (prerender.py lays a page out ahead with a stand-in body; this then goes in its place.)"""
    if spec.fallback:
        body_html = fallback_block(body_html, loc.gettext("Not yet translated: the English original follows."),
                                   next((e["hreflang"] for e in editions or () if e["current"]), loc.lang))
    if spec.kind == "story":
        story = spec.obj
        body_html = wrap_notes(link_first_mentions(body_html, [*story.people, *story.places, *story.organizations],
                                                   link))
    return body_html


def render_template(env: jinja2.Environment, spec: PageSpec, archive: Archive, body: Any, link: Linker,
                    media: dict | None, loc: Localizer, editions: list | None = None, cites: dict | None = None,
                    site_name: str = "") -> str:
    """``archive/<kind>.html`` around ``body``: the page's body (page_body) as Markup, or prerender.Body."""
    template = env.get_template(template_name(spec))
    return template.render(
        tr=loc.html,
        tr_attr=loc.text,
        loc=loc,
        editions=editions or [],
        spec=spec,
        obj=spec.obj,
        archive=archive,
        body=body,
        link=link,
        media=media or {},
        cites=cites or {},
        cite_key=citations.key_of,
        years=_events_by_year(archive) if spec.kind in ("timeline", "home") else {},
        charts=_charts(archive) if spec.kind == "figures" else {},
        kind_labels=KIND_LABELS,
        exports=exports,
        datapackage=datapackage,
        browse=browse,
        facets=browse.facets(archive) if spec.kind == "browse" else [],
        provenance=provenance,
        title=loc.text(archive.info, "title") or site_name,
    )


def template_name(spec: PageSpec) -> str:
    return f"archive/{spec.kind}.html"


def _events_by_year(archive: Archive) -> dict[int, list]:
    years: dict[int, list] = defaultdict(list)
    for event in archive.events:
        years[event.date.year].append(event)
    return dict(sorted(years.items()))


def chart_title(name: str, unit: str) -> str:
    """'planned-investment', 'million yuan' -> 'Planned investment (million yuan)'; 'jobs', 'jobs' -> 'Jobs'."""
    words = name.replace("-", " ").strip()
    title = words[:1].upper() + words[1:]
    return title if unit.lower() in (words.lower(), words.lower().rstrip("s")) else f"{title} ({unit})"


def _charts(archive: Archive) -> dict[str, dict]:
    """Figures grouped for bar charts: same chart name and unit, each bar scaled to the largest."""
    groups: dict[tuple, list] = defaultdict(list)
    for figure in archive.figures:
        if figure.chart:
            groups[(figure.chart, figure.unit)].append(figure)
    charts = {}
    for (name, unit), figures in groups.items():
        if len(figures) < 2:
            continue
        top = max(f.value for f in figures) or 1
        bars = [{"figure": f, "share": round(100 * f.value / top, 1)} for f in
                sorted(figures, key=lambda f: -f.value)]
        key = "-".join(re.findall(r"[a-z0-9]+", f"{name} {unit}".lower()))  # an id: no spaces
        charts[key] = {"name": name, "unit": unit, "bars": bars, "title": chart_title(name, unit)}
    return charts
