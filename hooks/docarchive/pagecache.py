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

A read's arguments are noted so that it can be made again on the next
archive: the page's own record, plain values (a number, a string), or another
record by its kind and id (``Ref``: a story page asks for the stories of its
stage). A read with any other argument cannot be made again later; the page then
depends on the whole archive (``WHOLE``), as the home, timeline and other pages
built from the whole archive do. Nothing here touches MkDocs; ``mkdocs_glue`` uses it only
under ``mkdocs serve``, so ``mkdocs build`` always renders everything.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

SELF = "<the page's record>"  # stands for the page's own record among a read's arguments
WHOLE = ("<the whole archive>",)  # a page that depends on every record
# The archive's records by kind: the collection that holds them, and the field that names one.
COLLECTIONS = {"Stage": ("stages", "id"), "Story": ("stories", "slug"), "Photo": ("photos", "id"),
               "Event": ("events", "id"), "Figure": ("figures", "id"), "Person": ("people", "id"),
               "Place": ("places", "id"), "Organization": ("organizations", "id"), "Source": ("sources", "id")}


@dataclass(frozen=True)
class Ref:
    """A record among a read's arguments, by kind and id: found again in the next archive by ``Digests.find``."""

    kind: str
    id: str


def ref_to(value: Any) -> Ref | None:
    kind = type(value).__name__
    if kind not in COLLECTIONS or not is_dataclass(value):
        return None
    return Ref(kind, getattr(value, COLLECTIONS[kind][1]))


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
        return ref_to(arg) or WHOLE

    def _note(self, read: tuple) -> None:
        if read not in self.reads:
            self.reads.append(read)

    @property
    def replayable(self) -> tuple:
        """The reads, or ``WHOLE`` when one of them cannot be made again on another archive."""
        if any(WHOLE in args for _, args in self.reads if args is not None):
            return WHOLE
        return tuple(self.reads)


class Digests:
    """Digests of model values for one build, each record's computed once (a record is read by many pages)."""

    def __init__(self):
        self._memo: dict[int, tuple[Any, str]] = {}  # id -> (the value, kept alive; its digest)
        self._records: dict[str, dict] = {}  # kind -> id -> record, of this build's archive

    def find(self, archive: Any, ref: Ref) -> Any:
        """The record ``ref`` names in ``archive``; KeyError when it is gone."""
        if ref.kind not in self._records:
            collection, key = COLLECTIONS[ref.kind]
            self._records[ref.kind] = {getattr(r, key): r for r in getattr(archive, collection)}
        return self._records[ref.kind][ref.id]

    def __call__(self, value: Any) -> str:
        if isinstance(value, (list, tuple)):
            return _sha("[" + ",".join(self(item) for item in value) + "]")
        if not is_dataclass(value):
            return _sha(repr(value))
        known = self._memo.get(id(value))
        if known is None:
            # Field by field, a record's records by their own (memoised) digests: a story's stage, places and
            # sources are shared by many stories, and their repr would be made again inside every story's.
            parts = (f"{f.name}={self._part(getattr(value, f.name))}" for f in fields(value))
            known = self._memo[id(value)] = (value, _sha(f"{type(value).__name__}({','.join(parts)})"))
        return known[1]

    def _part(self, value: Any) -> str:
        if is_dataclass(value):
            return self(value)
        if isinstance(value, (list, tuple)) and any(is_dataclass(item) for item in value):
            return "[" + ",".join(self._part(item) for item in value) + "]"
        return repr(value)


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def page_key(build_key: str, spec: Any, archive: Any, reads: tuple, whole: str, digest: Digests) -> str | None:
    """The digest of everything ``spec``'s page is made from; ``None`` when a read fails on this archive.

    ``whole`` is a digest of the whole archive (the content files' fingerprint),
    used for pages made from the archive itself and for ``WHOLE`` reads.
    """
    parts = [build_key, repr((spec.src_uri, spec.title, spec.kind, spec.markdown, spec.description))]
    own = spec.obj
    if own is archive or reads == WHOLE:
        parts.append(whole)
    if own is not archive:
        parts.append(digest(own))
    if reads != WHOLE:
        for name, args in reads:
            try:
                value = getattr(archive, name)
                if args is not None:
                    value = value(*(own if a == SELF else digest.find(archive, a) if isinstance(a, Ref) else a
                                    for a in args))
            except Exception:  # the record it was about is gone: make the page again
                return None
            parts.append(repr((name, args)) + digest(value))
    return _sha("\n".join(parts))


@dataclass
class CachedPage:
    key: str
    reads: tuple
    output: str  # the page's HTML as written
    dest_uri: str  # where it is written, relative to the site


class PageCache:
    """What the last build under ``mkdocs serve`` made: its pages by source path, their search entries,
    every file it wrote and its build key. One build's worth is kept."""

    def __init__(self):
        self.clear()

    def clear(self) -> None:
        self.pages: dict[str, CachedPage] = {}
        self.entries: dict[str, list] = {}  # src_uri -> Material's search entries, for every page
        self.dests: set[str] = set()
        self.outputs: dict[str, bytes] = {}  # dest_uri -> digest of each generated file written (not pages)
        self.build_key = ""

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
        for uri in set(self.entries) - src_uris:
            del self.entries[uri]
