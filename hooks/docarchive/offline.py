"""A site that loads nothing from the network, and ships only what readers load.

Pure functions over a built site folder, used by the glue after each build and by the tests:

- ``prune_site`` drops source maps (and the comments that point at them) and
  the lunr language packs the search does not load for its languages;
- ``external_resources`` lists every URL outside the site that a page or
  stylesheet would fetch (scripts, styles, images, fonts, icons, preconnects);
- ``make_zip`` packs the offline edition into one reproducible zip;
- ``human_size`` writes a size for a download link.
"""

from __future__ import annotations

import os
import re
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from selectolax.lexbor import LexborHTMLParser

# The iframe-worker shim lets Material's search worker run from file://. It is
# npm's iframe-worker (pinned in package-lock.json), copied into the site at
# build time; without a local copy listed in extra.polyfills, Material's
# offline plugin loads it from unpkg.com.
SHIM_FILE = Path("shim") / "index.js"  # inside the package's folder (settings: shim_source)

LUNR_DIR = "assets/javascripts/lunr"
SOURCE_MAP_COMMENT = re.compile(
    r"(?:\n?//[#@] sourceMappingURL=[^\s'\"]*[ \t]*$|\n?/\*[#@] sourceMappingURL=[^*]*\*/[ \t]*$)", re.M)


# ------------------------------------------------------------- polyfills


def is_local_shim(entry: object) -> bool:
    """Whether a polyfill entry of extra.polyfills is a local copy of the iframe-worker shim."""
    path = str(entry.get("path", "") if isinstance(entry, dict) else entry)
    return "iframe-worker" in path and not _is_external(path)


# ------------------------------------------------------------- pruning


def walk(site_dir: Path) -> list[str]:
    """Every file under ``site_dir`` (paths as ``os.walk`` joins them), from one walk: the build's checks
    after it (prune_site, external_resources) share it, instead of a walk each."""
    return [os.path.join(folder, name) for folder, _, names in os.walk(Path(site_dir)) for name in names]


def site_files(site_dir: Path, *suffixes: str, listing: list[str] | None = None) -> list[Path]:
    """The files under ``site_dir`` whose names end with one of ``suffixes``, in the order of
    ``sorted(site_dir.rglob("*<suffix>"))`` (path by path, part by part). One ``os.walk`` (or the
    ``listing`` one gave): pathlib's rglob made a Path of each of the site's thousands of files, for
    every suffix."""
    if listing is None:
        listing = walk(site_dir)
    found = [path for path in listing if path.endswith(suffixes)]
    return [Path(path) for path in sorted(found, key=lambda path: path.split(os.sep))]


def lunr_files_needed(langs: Iterable[str]) -> set[str]:
    """The files under assets/javascripts/lunr/ that Material's search worker loads for ``langs``.

    Mirrors the worker (search.*.min.js, ``setupSearchLanguages``): English needs
    none; any other language needs its pack and the stemmer support; ``ja`` needs
    tinyseg, ``hi`` and ``th`` need wordcut; two languages or more need lunr.multi.
    Chinese is segmented at build time by jieba, so ``en`` alone is enough for it.
    """
    langs = list(langs)
    needed: set[str] = set()
    for lang in langs:
        if lang == "ja":
            needed.add("tinyseg.js")
        if lang in ("hi", "th"):
            needed.add("wordcut.js")
        if lang != "en":
            needed.add(f"min/lunr.{lang}.min.js")
    if len(langs) > 1:
        needed.add("min/lunr.multi.min.js")
    if needed:
        needed.add("min/lunr.stemmer.support.min.js")
    return needed


@dataclass
class Pruned:
    removed: list[str] = field(default_factory=list)  # paths relative to the site
    removed_bytes: int = 0
    rewritten: list[str] = field(default_factory=list)  # files whose sourceMappingURL comment was dropped
    rewritten_bytes: int = 0

    def __str__(self) -> str:
        return (f"dropped {len(self.removed)} files ({human_size(self.removed_bytes)}) and "
                f"{len(self.rewritten)} source-map comments")


def prune_site(site_dir: Path, langs: Iterable[str] | None, listing: list[str] | None = None) -> Pruned:
    """Delete source maps and unused lunr language packs from ``site_dir``; strip sourceMappingURL comments.

    ``langs`` is the search plugin's ``lang`` list; ``None`` means the site has no
    search, and every lunr file goes. ``listing``: the site's files from one ``walk``,
    from which the files deleted here are dropped too.
    """
    site_dir = Path(site_dir)
    pruned = Pruned()
    needed = lunr_files_needed(langs) if langs is not None else set()
    lunr = site_dir / LUNR_DIR
    if listing is None:
        listing = walk(site_dir)
    doomed = site_files(site_dir, ".map", listing=listing)
    if lunr.is_dir():
        inside = os.path.join(str(lunr), "")
        doomed += [p for p in site_files(site_dir, "", listing=[f for f in listing if f.startswith(inside)])
                   if p.relative_to(lunr).as_posix() not in needed]
    for path in sorted(doomed):
        pruned.removed_bytes += path.stat().st_size
        pruned.removed.append(path.relative_to(site_dir).as_posix())
        path.unlink()
    gone = {str(path) for path in doomed}
    listing[:] = [path for path in listing if path not in gone]
    for folder in sorted((p for p in lunr.rglob("*") if p.is_dir()), reverse=True) if lunr.is_dir() else ():
        if not any(folder.iterdir()):
            folder.rmdir()
    if lunr.is_dir() and not any(lunr.iterdir()):
        lunr.rmdir()
    for path in site_files(site_dir, ".js", ".css", listing=listing):
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        stripped = strip_source_map_comments(text)
        if stripped != text:
            path.write_text(stripped, encoding="utf-8", errors="surrogateescape")
            pruned.rewritten.append(path.relative_to(site_dir).as_posix())
            pruned.rewritten_bytes += len(text.encode("utf-8", "surrogateescape")) - len(
                stripped.encode("utf-8", "surrogateescape"))
    return pruned


def strip_source_map_comments(text: str) -> str:
    """``text`` without its ``//# sourceMappingURL=`` or ``/*# sourceMappingURL=... */`` comments."""
    return SOURCE_MAP_COMMENT.sub("", text)


# ------------------------------------------------------------- dormant fetches

# Material's bundle names two unpkg URLs that it loads only in cases this archive never
# meets: a ResizeObserver polyfill for browsers without ResizeObserver (all since 2020
# have it) and Mermaid for pages with Mermaid diagrams (the archive has none). They are
# replaced with an empty script, so that no code path of the site can reach the internet.
DORMANT_FETCHES = ("https://unpkg.com/resize-observer-polyfill", "https://unpkg.com/mermaid@11/dist/mermaid.min.js")
EMPTY_SCRIPT = "data:text/javascript,"


def disarm_dormant_fetches(site_dir: Path) -> list[str]:
    """Replace Material's dormant CDN fallbacks in the site's scripts; return the files changed."""
    changed = []
    for path in sorted(Path(site_dir).glob("assets/javascripts/*.js")):
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        new = text
        for url in DORMANT_FETCHES:
            new = new.replace(url, EMPTY_SCRIPT)
        if new != text:
            path.write_text(new, encoding="utf-8", errors="surrogateescape")
            changed.append(path.relative_to(site_dir).as_posix())
    return changed


# ------------------------------------------------------------- external requests

# Attributes whose URL the browser fetches as soon as the page loads.
_FETCHED = {"src", "srcset", "poster", "data", "background"}
# <link rel=...> values that fetch (or open a connection to) their href.
_LINK_FETCHES = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "prefetch", "preconnect",
                 "dns-prefetch", "modulepreload", "manifest", "mask-icon"}
_CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


def _is_external(url: str) -> bool:
    url = url.strip().lower()
    return url.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:"))


# Every element that can fetch, selected in C by lexbor (selectolax); <style> for its url()s.
_CAN_FETCH = ",".join([*(f"[{name}]" for name in sorted(_FETCHED)), "[style]", "link[rel]", "style"])


def _page_fetches(html: str) -> list[str]:
    """The URLs a page fetches as it loads, in document order (values entity-decoded, as browsers read them)."""
    urls: list[str] = []
    seen: set[int] = set()
    for node in LexborHTMLParser(html).css(_CAN_FETCH):
        if node.mem_id in seen:  # an element matching two selectors comes once per selector
            continue
        seen.add(node.mem_id)
        if node.tag == "style":
            urls.extend(a or b for a, b in _CSS_URL.findall(node.text(deep=True)))
            continue
        attrs = {k: (v or "") for k, v in node.attributes.items()}
        for name, value in attrs.items():
            if name in _FETCHED:
                parts = [c.strip().split(" ")[0] for c in value.split(",")] if name == "srcset" else [value]
                urls.extend(parts)
            if name == "style":
                urls.extend(a or b for a, b in _CSS_URL.findall(value))
        if node.tag == "link" and set(attrs.get("rel", "").lower().split()) & _LINK_FETCHES:
            urls.append(attrs.get("href", ""))
    return urls


def _page_source(path: Path) -> str | bytes:
    """What lexbor parses of a page: its text as read_text gives it, or, when that is valid UTF-8 with no '\r'
    (which read_text would turn into '\n'), its bytes, which are the very bytes selectolax would encode that
    text back into (and a tenth of the check's time less: no decoding to text, no encoding back)."""
    data = path.read_bytes()
    if b"\r" not in data:
        try:
            data.decode("utf-8")
            return data
        except UnicodeDecodeError:
            pass
    return path.read_text(encoding="utf-8", errors="replace")


def off_site_fetches(path: Path | str) -> list[str]:
    """The URLs off the site that the page at ``path`` fetches as it loads, in document order."""
    return [url for url in _page_fetches(_page_source(Path(path))) if _is_external(url)]


def external_resources(site_dir: Path, skip: frozenset[str] = frozenset(), listing: list[str] | None = None,
                       checked: dict[str, list[str]] | None = None) -> list[tuple[str, str]]:
    """Every (file, URL) where a page or stylesheet of ``site_dir`` would fetch something off the site.

    Links a reader follows (``<a href>``, ``rel=canonical``) are not fetches and are not listed.
    Pages are parsed by lexbor, an HTML5 parser in C (the check once took a fifth of a build
    with ``html.parser``).
    ``skip``: pages (paths relative to the site) already checked, which the live preview reused unchanged.
    ``listing``: the site's files from one ``walk``. ``checked``: pages (by path relative to the site)
    already checked as they were written, with their ``off_site_fetches`` (offload.py).
    """
    # In one loop here, or beside the build in another process (offload.py), rather than inline in
    # on_post_page on the output MkDocs writes: lexbor parsed the same pages in 1.6 times the CPU there,
    # between the other steps of each page, than in one loop here.
    site_dir = Path(site_dir)
    checked = checked or {}
    found: list[tuple[str, str]] = []
    files = site_files(site_dir, ".html", ".css", listing=listing)  # both, each in the same order
    for path in (p for p in files if p.name.endswith(".html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel in skip:
            continue
        urls = checked[rel] if rel in checked else off_site_fetches(path)
        found.extend((rel, url) for url in urls)
    for path in (p for p in files if p.name.endswith(".css")):
        rel = path.relative_to(site_dir).as_posix()
        for a, b in _CSS_URL.findall(path.read_text(encoding="utf-8", errors="replace")):
            if _is_external(a or b):
                found.append((rel, a or b))
    return found


_SOURCE_SUFFIXES = {".md", ".yml", ".yaml", ".html", ".css", ".js", ".json"}


def where_written(url: str, sources: Iterable[Path], root: Path) -> list[str]:
    """``path:line`` of each place in ``sources`` (files, or folders searched through) that writes ``url``.

    That is where an editor fixes a fetch the post-build check found in a built page: the
    config's extra_javascript, a template of the theme folder, a page. Paths are relative to
    ``root`` when inside it. Falls back to the URL's host when no file writes the URL whole.
    """
    files: list[Path] = []
    for source in sources:
        source = Path(source)
        if source.is_file():
            files.append(source)
        elif source.is_dir():
            files += sorted(p for p in source.rglob("*") if p.is_file() and p.suffix in _SOURCE_SUFFIXES)
    host = re.sub(r"^(?:https?:)?//", "", url).split("/")[0]
    for needle in (url, host):
        found = []
        for path in dict.fromkeys(files):
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            shown = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            found += [f"{shown}:{n}" for n, line in enumerate(lines, 1) if needle in line]
        if found:
            return found
    return []


# ------------------------------------------------------------- the zip

_STORED = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".gz", ".zip", ".woff2")


def make_zip(site_dir: Path, zip_path: Path, folder: str, required: str = "index.html") -> int:
    """Pack ``site_dir`` into ``zip_path`` under one top ``folder``; return the zip's size in bytes.

    Reproducible: files in sorted order, all dated SOURCE_DATE_EPOCH (or 1980-01-01),
    so the same site gives the same zip. Written beside the target and renamed,
    so a reader never downloads a half-written zip.
    """
    site_dir, zip_path = Path(site_dir), Path(zip_path)
    if not (site_dir / required).is_file():
        raise FileNotFoundError(f"{site_dir} has no {required}: build it first")
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", "315532800"))
    stamp = time.gmtime(max(epoch, 315532800))[:6]
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_name(zip_path.name + ".part")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
            for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
                info = zipfile.ZipInfo(f"{folder}/{path.relative_to(site_dir).as_posix()}", stamp)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_STORED if path.suffix.lower() in _STORED else zipfile.ZIP_DEFLATED
                zf.writestr(info, path.read_bytes())
        partial.replace(zip_path)
    finally:
        partial.unlink(missing_ok=True)
    return zip_path.stat().st_size


def human_size(size: int) -> str:
    """``2.4 MB``, ``860 KB``: decimal units, as browsers and file managers show them."""
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("KB", 10**3)):
        if size >= scale:
            value = size / scale
            return f"{value:.1f} {unit}" if value < 10 else f"{value:.0f} {unit}"
    return f"{size} bytes"
