"""Layout of generated pages, from Jinja templates in the theme override folder.

The hook renders a page's Markdown as usual, then hands the HTML here; the
template ``archive/<kind>.html`` wraps it with the page's metadata. Rendering
into the page content (not only the outer template) means search indexes the
metadata too: places, people, Chinese names, captions, events.
Autoescaping is on: captions and YAML text are plain text, and any raw HTML in
them is shown as text, never run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Callable

import jinja2
from markupsafe import Markup

from . import exports, messages
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
        extensions=["jinja2.ext.i18n"],
    )
    gettext = messages.gettext(lang)
    env.install_gettext_callables(gettext, lambda one, many, n: gettext(one if n == 1 else many), newstyle=True)
    env.filters["zh"] = mark_chinese
    env.filters["split"] = lambda text, sep: str(text).split(sep)
    return env


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

    def __call__(self, obj: Any) -> str:
        uri = obj if isinstance(obj, str) else uri_for(obj)
        url = self._relative_url(uri)
        anchor = "" if isinstance(obj, str) else anchor_for(obj)
        return f"{url}#{anchor}" if anchor else url


def render_page(env: jinja2.Environment, spec: PageSpec, archive: Archive, body_html: str,
                link: Linker, media: dict | None = None, loc: Localizer | None = None,
                editions: list | None = None, site_name: str = "") -> str:
    """The page content: the template for ``spec.kind`` around the rendered Markdown.

    ``loc`` is the edition's language (English by default); ``editions`` the
    other editions' versions of this page (editions.alternates), for the home page;
    ``site_name`` the home page's heading when the archive has no data/archive.yml.
    """
    loc = loc or Localizer("en", archive)
    if spec.fallback:
        body_html = fallback_block(body_html, loc.gettext("Not yet translated: the English original follows."),
                                   next((e["hreflang"] for e in editions or () if e["current"]), loc.lang))
    template = env.get_template(f"archive/{spec.kind}.html")
    return template.render(
        tr=loc.html,
        tr_attr=loc.text,
        loc=loc,
        editions=editions or [],
        spec=spec,
        obj=spec.obj,
        archive=archive,
        body=Markup(body_html),
        link=link,
        media=media or {},
        years=_events_by_year(archive) if spec.kind in ("timeline", "home") else {},
        charts=_charts(archive) if spec.kind == "figures" else {},
        kind_labels=KIND_LABELS,
        exports=exports,
        title=loc.text(archive.info, "title") or site_name,
    )


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
