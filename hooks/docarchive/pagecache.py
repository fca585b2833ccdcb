"""Live preview that scales: under ``mkdocs serve``, a page whose inputs did not change is not made again.

Every generated page is made from its own record (``spec.obj``) and from what
its template reads of the archive: a story page reads its neighbours, a stage
page its stories and events, an entity page the stories about it, and so on.
Rather than keep a list of those reads by hand (templates change), each
render goes through ``ReadRecorder``, which notes every attribute and method
of the archive the template used; the page's key is then the digest of its
record, of the result of each of those reads, and of everything every page
shares (the build key: configuration, navigation, templates, Material). On the
next build the same reads are made on the new archive: when the key is the
same, the page's HTML and its search entries are taken from the last build;
when any of them changed, the page is made afresh and its reads recorded again.

A read whose arguments are not the page's own record or plain values (a
number, a string) cannot be made again later; the page then depends on the
whole archive (``WHOLE``), as the home, timeline and other pages built from the
whole archive do. Nothing here touches MkDocs; ``mkdocs_glue`` uses it only
under ``mkdocs serve``, so ``mkdocs build`` always renders everything.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

SELF = "<the page's record>"  # stands for the page's own record among a read's arguments
WHOLE = ("<the whole archive>",)  # a page that depends on every record


class ReadRecorder:
    """The archive as a template sees it, noting each read: ``(name, args)``, ``args`` None for attributes."""

    def __init__(self, archive: Any, own: Any):
        self._archive = archive
        self._own = own
        self.reads: list[tuple] = []

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._archive, name)
        if not callable(value):
            self._note((name, None))
            return value

        def call(*args):
            self._note((name, tuple(self._replayable(a) for a in args)))
            return value(*args)

        return call

    def _replayable(self, arg: Any) -> Any:
        if arg is self._own or (arg == self._own and type(arg) is type(self._own)):
            return SELF
        if arg is None or isinstance(arg, (str, int, float, bool)):
            return arg
        return WHOLE

    def _note(self, read: tuple) -> None:
        if read not in self.reads:
            self.reads.append(read)

    @property
    def replayable(self) -> tuple:
        """The reads, or ``WHOLE`` when one of them cannot be made again on another archive."""
        if any(WHOLE in args for _, args in self.reads if args is not None):
            return WHOLE
        return tuple(self.reads)


def page_key(build_key: str, spec: Any, archive: Any, reads: tuple, whole: str) -> str | None:
    """The digest of everything ``spec``'s page is made from; ``None`` when a read fails on this archive.

    ``whole`` is a digest of the whole archive (the content files' fingerprint),
    used for pages made from the archive itself and for ``WHOLE`` reads.
    """
    digest = hashlib.sha256()
    for part in (build_key, spec.src_uri, spec.title, spec.kind, spec.markdown, spec.description):
        digest.update(repr(part).encode("utf-8", "surrogatepass"))
    own = spec.obj
    if own is archive or reads == WHOLE:
        digest.update(whole.encode())
    if own is not archive:
        digest.update(repr(own).encode("utf-8", "surrogatepass"))
    if reads != WHOLE:
        for name, args in reads:
            try:
                value = getattr(archive, name)
                if args is not None:
                    value = value(*(own if a == SELF else a for a in args))
            except Exception:  # the record it was about is gone: make the page again
                return None
            digest.update(repr((name, args, value)).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass
class CachedPage:
    key: str
    reads: tuple
    output: str  # the page's HTML as written
    search_entries: list = field(default_factory=list)  # Material's index entries for the page


class PageCache:
    """The pages of the last build under ``mkdocs serve``, by source path; one build's worth is kept."""

    def __init__(self):
        self.pages: dict[str, CachedPage] = {}

    def get(self, src_uri: str, key: str | None) -> CachedPage | None:
        page = self.pages.get(src_uri)
        return page if page is not None and key is not None and page.key == key else None

    def reads(self, src_uri: str) -> tuple | None:
        page = self.pages.get(src_uri)
        return page.reads if page is not None else None

    def keep(self, src_uri: str, page: CachedPage) -> None:
        self.pages[src_uri] = page

    def forget_all_but(self, src_uris: set[str]) -> None:
        for uri in set(self.pages) - src_uris:
            del self.pages[uri]
