"""Pages laid out ahead, in a forked worker process, while the build goes on in this one.

A generated page is its template (``archive/story.html``, say: crumbs, photos, the "About this story"
block, citation, pager) around the body that MkDocs' Markdown makes. Everything but the body is known
once the archive is loaded and MkDocs' files have their URLs, long before MkDocs reaches the page.
On a cold build (``mkdocs build``) a forked child renders each page's template with ``Body`` in the
body's place and streams the two halves back over a pipe, in page order, a chunk at a time; the
build, meanwhile, converts the Markdown on the other core, and puts each page's real body between
its halves (``Worker.take``). The splice gives the template's own output, byte for byte, because the
template may only *place* the body: ``Body`` answers ``__html__`` once (what ``{{ body }}`` and ``|safe``
ask) and refuses everything else (its length, its text, a comparison...). What it cannot refuse is a
template that makes the body Markup once, ``{% set b = body|safe %}``, then looks into that copy (its
length, words, case, a ``'<table' in b``) or places it twice. A template whose source shows it cannot
(``places_only``: the engine's own) is laid out once; any other, twice, around two stand-ins as unlike as
a body can be (a bare comment; a long passage of every element Markdown makes, in mixed case), and its
layout is used only where the two pages are the same outside their one stand-in each (``lay_out``); else
the page is made in this process, as before. A template whose output depends on the body in a way both
stand-ins answer alike (a word in neither of them; a length below the shorter's) is beyond that check.
No stand-in can be empty (``{% if b %}`` would tell): a page with no Markdown is laid out whole, around
its empty body (``Bodiless``), and a body that turns out empty, or not, against what its layout was for
is not spliced (``splice``).

Not under ``mkdocs serve`` (its rebuilds record what each page reads: pagecache.ReadRecorder), not where
``os.fork`` is missing, nor beside another thread (forking a threaded process can deadlock). A page the
child has not sent yet when the build reaches it is made in the build (a busy machine may keep the child
waiting: the build does not wait for it). What the child logs while making a page is logged again here
when the build takes that page (so ``--strict`` counts its warnings, in the order an in-process build
logs them); an exception it raises is raised here when the build reaches that page, with the child's
traceback as its cause. A child that dies without a word only costs the speed: the pages it did not send
are made here. The child leaves with ``os._exit`` (no atexit handlers, no flushed copies of this
process's buffers), and is always waited for (its CPU time is then counted with this process's
children): when its last page is taken, when the build ends (``close``) or fails (``stop_all``).
"""

from __future__ import annotations

import contextlib
import gc
import logging
import mmap
import os
import pickle
import secrets
import select
import struct
import threading
import time
import traceback
import warnings
import weakref
from typing import Callable, Iterable, Iterator

import jinja2
from jinja2 import meta, nodes
from markupsafe import Markup

from . import forked

# Pages a message holds: enough to keep the pickling and the system calls per page small, few
# enough that the first page comes soon.
CHUNK = 16
# Pages the layouts stay ahead of the build while the child makes others whole (start's ``whole``): more than a
# chunk's worth, so that the build never reaches a page whose layout is still waiting to be sent.
LEAD = 4 * CHUNK
_PROGRESS = struct.Struct("<Q")  # the page the build is at, in a shared page of its own (aligned)
_HEADER = struct.Struct("<Q")
Render = Callable[["Body"], str]
log = logging.getLogger("mkdocs.hooks.archive")


class BodyUsedOtherwise(Exception):
    """A template did something with a page's body other than place it."""


class Body:
    """What a template gets in place of the page's body while the worker lays the page out. Placed (asked
    for its ``__html__``, once: ``{{ body }}``, ``body|safe``) it is the marker; anything else a template
    could do with a body (its length, its text, a comparison, a second placing) is refused."""

    __slots__ = ("marker", "placed", "misused")

    def __init__(self, marker: str):
        self.marker = marker
        self.placed = 0
        self.misused = False

    def __html__(self) -> str:
        self.placed += 1
        return self.marker

    def _refuse(self, *args, **kwargs):
        self.misused = True
        raise BodyUsedOtherwise("the template uses the page's body other than by placing it")

    def __getattr__(self, name):  # only for attributes it does not have: e.g. body.split
        self._refuse()

    __str__ = __len__ = __iter__ = __contains__ = __getitem__ = __bool__ = __format__ = _refuse
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __add__ = __radd__ = __mod__ = __mul__ = _refuse
    __int__ = __float__ = __index__ = __round__ = __reversed__ = __rmod__ = __rmul__ = _refuse
    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return "<the page's body>"


def available() -> bool:
    return hasattr(os, "fork") and hasattr(os, "waitpid") and _alone()


def _alone() -> bool:
    """No other thread (a plugin's, say): one could hold a lock that the forked child would wait for forever."""
    return threading.active_count() == 1


def lay_out(render: Render, marker: str) -> tuple[str, str | None] | None:
    """``render``'s page as the halves around its body, or None when the template does more with the body
    than place it once: laid out around ``marker`` and around a second, unlike stand-in (``_unlike``), the
    two pages must be the same outside their one stand-in each. What the first layout logs is logged once,
    if the layout is used or raises; a page made in the build instead logs it there."""
    if isinstance(render, Bodiless):  # the whole page, as the build would make it
        return render(Markup("")), None
    records: list[tuple[logging.Logger, logging.LogRecord]] = []
    try:
        with _held(records):
            first = _halves(render, marker)
    except Exception:
        with _held([]):
            second = _halves_or_failed(render, _unlike(marker))
        if second is _FAILED:  # fails whatever the body: the build's error, raised at its page
            _log_held(records)
            raise
        return _made_in_build("fails around one stand-in, not around another")
    if first is None:
        return _made_in_build("reads it, or places it other than once")
    if isinstance(render, Layout) and render.places_only():
        _log_held(records)  # its template can do nothing with the body but place it: once is enough
        return first
    with _held([]):
        second = _halves_or_failed(render, _unlike(marker))
    if second != first:
        return _made_in_build("lays the page out differently around two stand-ins")
    _log_held(records)
    return first


_FAILED = object()


def _halves_or_failed(render: Render, marker: str):
    try:
        return _halves(render, marker)
    except Exception:  # noqa: BLE001 - only compared: the first layout's error is the one raised
        return _FAILED


def _made_in_build(why: str) -> None:
    log.debug(f"docarchive: a page's template does more with its body than place it (it {why}): "
              "the page is made in the build")
    return None


@contextlib.contextmanager
def _held(records: list):
    """What is logged meanwhile kept in ``records`` rather than handled (the handlers' own switch, so that the
    worker's copying of records still sees each one it is given)."""
    handle = logging.Logger.callHandlers
    logging.Logger.callHandlers = lambda logger, record: records.append((logger, record))
    try:
        yield
    finally:
        logging.Logger.callHandlers = handle


def unlogged():
    """A block whose log records are dropped: in the child, work the build does again itself, and logs there."""
    return _held([])


def _log_held(records: list) -> None:
    for logger, record in records:
        logging.Logger.callHandlers(logger, record)


def _halves(render: Render, marker: str) -> tuple[str, str] | None:
    body = Body(marker)
    try:
        page = render(body)
    except Exception:
        if body.misused:  # what refused it, even if a filter caught that and raised something else
            return None
        raise
    if body.misused or body.placed != 1 or page.count(marker) != 1:
        return None
    before, after = page.split(marker)
    return before, after


# The second stand-in: as long, wordy and varied as the first is short and bare (a comment, no text), so that a
# template measuring, filtering or testing a copy of the body lays the two pages out differently.
_UNLIKE = (
    '<h2 id="da-stand-in">A Heading, Then The Text</h2>\n<p>Some <em>words</em> and <strong>MORE WORDS</strong>, '
    'a <a href="#da-stand-in" title="a link">link</a>, <code>code</code>, <abbr title="an abbreviation">ABBR</abbr>, '
    '<mark>marked</mark>, “quotes” &amp; accents: é, ü, ñ; figures 2010–2020, 3.5%.<sup id="fnref:1">'
    '<a class="footnote-ref" href="#fn:1">1</a></sup><br>\nA second line.</p>\n'
    '<figure><img alt="A photo" src="photo.jpg" width="640" height="480"><figcaption>A caption.</figcaption></figure>\n'
    '<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>first</li>\n</ol>\n<blockquote>\n<p>A quotation.</p>\n'
    '</blockquote>\n<table>\n<thead>\n<tr><th>Year</th><th>Count</th></tr>\n</thead>\n<tbody>\n<tr><td>2015</td>'
    '<td>12</td></tr>\n</tbody>\n</table>\n<pre><code class="language-text">preformatted\n</code></pre>\n'
    '<div class="admonition note">\n<p class="admonition-title">Note</p>\n<p>An aside.</p>\n</div>\n<hr>\n'
    '<h3 id="da-stand-in-2">Another heading</h3>\n<p>The end of the text.</p>\n<div class="footnote">\n<hr>\n<ol>\n'
    '<li id="fn:1">\n<p>A note.&#160;<a class="footnote-backref" href="#fnref:1">&#8617;</a></p>\n</li>\n</ol>\n</div>\n'
)


def _unlike(marker: str) -> str:
    return marker.replace("docarchive:body:", "DOCARCHIVE:BODY:STAND-IN:", 1) + _UNLIKE * 3


class Bodiless:
    """A page whose body will be empty (no Markdown): laid out whole around an empty body, as the build would
    make it, rather than around stand-ins (none of which can be empty: ``{% if b %}`` would tell)."""

    __slots__ = ("render",)

    def __init__(self, render: Render):
        self.render = render

    def __call__(self, body) -> str:
        return self.render(body)


class Layout:
    """A page's layout job that names its template, so that a template that can only place the body
    (``places_only``) is laid out once, around one stand-in (its refusals are then all the check needed)."""

    __slots__ = ("render", "env", "name")

    def __init__(self, render: Render, env: jinja2.Environment, name: str):
        self.render, self.env, self.name = render, env, name

    def __call__(self, body) -> str:
        return self.render(body)

    def places_only(self) -> bool:
        verdicts = _PLACES_ONLY.setdefault(self.env, {})
        if self.name not in verdicts:
            verdicts[self.name] = places_only(self.env, self.name)
        return verdicts[self.name]


_PLACES_ONLY: "weakref.WeakKeyDictionary[jinja2.Environment, dict[str, bool]]" = weakref.WeakKeyDictionary()
# What keeps the output it makes, to hand it on as a value (which a template could then measure): a macro, a call,
# filter or set block, a block (``self.name()``, ``super()``), a recursive loop (``loop(...)``).
_CAPTURING = (nodes.Macro, nodes.CallBlock, nodes.FilterBlock, nodes.AssignBlock, nodes.Block)


def places_only(env: jinja2.Environment, name: str) -> bool:
    """Whether the template ``name`` can do nothing with ``body`` but place it: each ``body`` in it is the whole
    of a ``{{ body }}`` or ``{{ body|safe }}`` that nothing captures, and none in a template it extends, includes or
    imports (not looked into: any there, or a template named at render time, is a no). What makes the body Markup
    (``__html__``) there writes it straight to the page: no copy is left to look into."""
    if env.finalize is not None:
        return False
    try:
        tree = env.parse(env.loader.get_source(env, name)[0], name)
    except Exception:  # noqa: BLE001 - a template that does not parse fails its render, reported there
        return False
    if any(True for _ in tree.find_all(nodes.Extends)) or not _places_only(tree, False):
        return False
    seen, todo = {name}, list(meta.find_referenced_templates(tree))
    while todo:
        other = todo.pop()
        if other is None:
            return False
        if other in seen:
            continue
        seen.add(other)
        try:
            tree = env.parse(env.loader.get_source(env, other)[0], other)
        except Exception:  # noqa: BLE001
            return False
        if not _untouched(tree):
            return False
        todo += meta.find_referenced_templates(tree)
    return True


def _places_only(node: nodes.Node, captured: bool) -> bool:
    for child in node.iter_child_nodes():
        if _is_body(child) or isinstance(child, nodes.Filter) and child.name == "safe" and _is_body(child.node) \
                and not (child.args or child.kwargs or child.dyn_args or child.dyn_kwargs):
            if captured or not isinstance(node, nodes.Output):
                return False
        elif not _innocent(child) or not _places_only(
                child, captured or isinstance(child, _CAPTURING) or isinstance(child, nodes.For) and child.recursive):
            return False
    return True


def _untouched(tree: nodes.Node) -> bool:
    """No ``body`` anywhere in ``tree`` (an included or imported template, which sees this one's context)."""
    if any(node.name == "body" for node in tree.find_all(nodes.Name)):
        return False
    return all(map(_innocent, tree.find_all(nodes.Node)))


def _is_body(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Name) and node.name == "body"


def _innocent(node: nodes.Node) -> bool:
    """Not a private attribute (``self._TemplateReference__context``: the render's variables, the body among them)."""
    if isinstance(node, nodes.Getattr):
        return not node.attr.startswith("_")
    if isinstance(node, nodes.Getitem):
        return not (isinstance(node.arg, nodes.Const) and str(node.arg.value).startswith("_"))
    return not (isinstance(node, nodes.Filter) and node.name == "attr")


def splice(halves: tuple[str, str | None], body: str) -> str | None:
    """The page: ``body`` put between the halves ``lay_out`` made, or the whole page laid out for a ``Bodiless``
    one; None (made in the build) where the body is not the kind it was laid out for: empty, or not empty."""
    before, after = halves
    if after is None:
        return before if body == "" else None
    return before + body + after if body else None


def start(jobs: Iterable[tuple[str, Render]], side: Callable[[str], str] | None = None,
          after: dict[str, Callable[[], object]] | None = None, make_whole: Callable[[str], object] | None = None,
          lead: int = LEAD) -> "Worker | None":
    """Fork a child that lays out every job's page (``render(body)``), in order; None where fork is missing.
    With ``side``, the child also makes ``side(key)`` for each page it lays out (other work for the page that
    needs the archive but not its body), sent with the page (Worker.side); with ``after``, each ``make()``
    once the pages are done (Worker.after). Either is None where it failed or logged. With ``make_whole``, the
    child makes the last pages whole instead (``make_whole(key)``: the body too, from the page's Markdown),
    from the last one back, while it keeps the layouts ``lead`` pages ahead of the build (``_order``); the
    build takes those with ``Worker.whole``."""
    jobs = list(jobs)
    if not jobs or not available():
        return None
    marker = f"<!--docarchive:body:{secrets.token_hex(16)}-->"
    # One byte a page, shared by both processes: set by the build for each page it makes itself, which the
    # child then skips (behind the build, it catches up instead of making pages no one will take). And the
    # number of the page the build is at, which tells the child how far ahead it is (``_order``).
    claimed, progress = mmap.mmap(-1, len(jobs)), mmap.mmap(-1, _PROGRESS.size)
    child = forked.fork(lambda fd: _child(jobs, marker, fd, (claimed, progress), side, after or {}, make_whole,
                                          lead), pipe_size=1 << 20)
    if child is None:
        claimed.close()
        progress.close()
        return None
    pid, read_fd = child
    os.set_blocking(read_fd, False)
    worker = Worker(pid, read_fd, [key for key, _ in jobs], claimed, progress)
    worker.due = set(after or ())
    return forked.running(worker)


# ---------------------------------------------------------------- the child


def _child(jobs: list[tuple[str, Render]], marker: str, fd: int, shared: tuple[mmap.mmap, mmap.mmap],
           side: Callable[[str], str] | None = None, after: dict[str, Callable[[], object]] | None = None,
           make_whole: Callable[[str], object] | None = None, lead: int = LEAD) -> None:
    gc.freeze()  # the collector leaves the inherited objects alone: their pages stay shared with the build
    records: list[logging.LogRecord] = []

    def keep(self: logging.Logger, record: logging.LogRecord) -> None:  # Logger.callHandlers in the child
        records.append(forked.portable_record(record))

    logging.Logger.callHandlers = keep
    chunk: list[tuple] = []
    afters = list((after or {}).items())
    for number, kind in _order(len(jobs), *shared, lead if make_whole is not None else None):
        key, render = jobs[number]
        if kind == "whole":
            if any(message[0] == "page" for message in chunk):  # layouts the build will soon want: sent first
                _send(fd, chunk)
                chunk = []
            message = _whole_page(make_whole, side, key, records)
            if message is None:  # failed or warned: the build makes the page, and raises, warns or logs there
                continue
            chunk.append(message)
        else:
            try:
                halves = lay_out(render, marker)
            except Exception as exc:  # noqa: BLE001 - any failure is the build's, reported there
                chunk.append(("error", key, forked.portable_error(exc, WorkerError), traceback.format_exc(),
                              records[:]))
                _send(fd, chunk)
                return
            chunk.append(("page", key, halves, _side(side, key, records), records[:]))
        records.clear()
        if len(chunk) >= CHUNK:
            if afters and _backed_up(fd):  # the build has pages to take for a while: the next ``after`` now
                chunk.append(_made_after(*afters.pop(0), records))
            _send(fd, chunk)
            chunk = []
    for key, make in afters:
        _send(fd, chunk)
        chunk = [_made_after(key, make, records)]
    chunk.append(("end",))
    _send(fd, chunk)


def _order(count: int, claimed: mmap.mmap, progress: mmap.mmap, lead: int | None) -> Iterator[tuple[int, str]]:
    """The child's jobs, as (page number, "page" or "whole"): each page laid out in order, skipping those the
    build made itself; with a ``lead``, pages made whole from the last one back whenever the layouts are
    ``lead`` pages ahead of the build, until the two meet. The build, taking the laid-out pages, converts
    their Markdown itself; the pages made whole it only takes: so each process makes about as many pages as
    its core can, and no page is made twice (but one the build reaches while the child is making it). A
    progress read as the build writes it could be torn: that would only make the child choose the other job."""
    front, back = 0, count - 1
    while front <= back:
        if lead is not None and front >= _PROGRESS.unpack_from(progress)[0] + lead:
            if not claimed[back]:
                yield back, "whole"
            back -= 1
        else:
            if not claimed[front]:
                yield front, "page"
            front += 1


def _whole_page(make_whole: Callable[[str], object], side: Callable[[str], str] | None, key: str,
                records: list) -> tuple | None:
    """The "whole" message for the page: ``make_whole(key)`` and its side value, with what they logged. None,
    the page left to the build, where either fails, or a Python warning is raised (the build's warnings are
    shown once each, in its order), or the side value failed or logged (the build logs it after the page's
    Markdown and template, which would come first here)."""
    logged = len(records)
    try:
        with warnings.catch_warnings(record=True) as warned:
            warnings.simplefilter("always")
            made = make_whole(key)
    except Exception:  # noqa: BLE001 - the build makes the page, raising there
        made = None
    value = _side(side, key, records) if made is not None and not warned else None
    if made is None or warned or (side is not None and value is None):
        del records[logged:]
        return None
    return ("whole", key, made, value, records[:])


def _made_after(key: str, make: Callable[[], object], records: list) -> tuple:
    return ("after", key, _side(lambda _: make(), key, records, object))


def _backed_up(fd: int) -> bool:
    """Whether half the pipe or more is sent pages the build has not read yet (Linux): it is behind, and
    will not run out of pages while the child does other work. Otherwise (or elsewhere), False."""
    try:
        import fcntl
        import termios
        unread = struct.unpack("i", fcntl.ioctl(fd, termios.FIONREAD, b"\0\0\0\0"))[0]
        return unread >= fcntl.fcntl(fd, getattr(fcntl, "F_GETPIPE_SZ", 1032)) // 2
    except (ImportError, OSError, AttributeError):
        return False


def _side(side: Callable[[str], object] | None, key: str, records: list, kind: type = str) -> object:
    """``side(key)``, or None when it failed or logged: the build then makes it itself, raising or logging
    there, in its own order."""
    if side is None:
        return None
    logged = len(records)
    try:
        value = side(key)
    except Exception:  # noqa: BLE001 - raised again where the build makes it
        value = None
    if len(records) > logged:
        del records[logged:]
        value = None
    return value if isinstance(value, kind) else None


def _send(fd: int, chunk: list) -> None:
    data = pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL)
    forked.write_all(fd, _HEADER.pack(len(data)) + data)


# ---------------------------------------------------------------- the build's side


class WorkerError(RuntimeError):
    """An error of the worker's that could not be sent as itself: its type and message."""


class WorkerTraceback(Exception):
    """Where the worker process was when it raised (the cause of the exception raised in the build)."""


class Worker:
    def __init__(self, pid: int, fd: int, keys: list[str], claimed: mmap.mmap, progress: mmap.mmap | None = None):
        self.pid, self.fd, self.claimed, self.progress = pid, fd, claimed, progress
        self.keys = len(keys)
        self.index = {key: number for number, key in enumerate(keys)}
        self.pending = set(keys)  # laid out by the child, not yet taken
        self.taken = 0  # pages the build took laid out or whole (not made again in the build)
        self.taken_whole = 0  # of those, pages the child made whole (``whole``)
        self.whole_sides: dict[str, object] = {}  # the side values of pages taken whole, until ``side`` asks
        self.waited = 0.0  # seconds the build spent receiving the child's pages
        self.sided = 0  # pages whose side value the build took from the child
        self.afters: dict[str, object] = {}  # what the child made after the pages (start's ``after``)
        self.due: set[str] = set()  # what it is to make after the pages and has not sent yet
        self.ready: dict[str, tuple] = {}
        self.buffer = bytearray()  # what the child has sent of its next messages
        self.ended = False  # the child sent its last message (or will send nothing more)
        self.exit_status: int | None = None

    def take(self, key: str, wait: bool = False) -> tuple[str, str] | None:
        """The page's halves, or None: make it in this process. A page the child has not sent yet, whole, is
        None too, unless ``wait`` (the child is well ahead on an idle core; on a busy machine the build does
        not stand idle for it). Logs what the child logged making the page; raises what it raised."""
        if key not in self.pending:
            return None
        start = time.perf_counter()
        while key not in self.ready and not self.ended and self._receive(wait):
            pass
        self.waited += time.perf_counter() - start
        message = self.ready.pop(key, None)
        if message is not None and message[0] == "whole":  # made whole, yet not asked for (``whole``): made here
            message = None
        if self._hand_over(key, message) is None:
            return None
        if message[0] == "error":
            raise pickle.loads(message[2]) from WorkerTraceback(
                f"in the worker process that lays out pages ahead (docarchive.prerender):\n{message[3]}")
        self.taken += message[2] is not None
        return message[2]

    def side(self, key: str, wait: bool = False) -> str | None:
        """The ``side(key)`` the child made with the page, if it has sent the page already (or with ``wait``, as
        ``take``); else None: make it here. Leaves the page to ``take``."""
        if key in self.whole_sides:
            value = self.whole_sides.pop(key)
            self.sided += value is not None
            return value
        if key not in self.pending:
            return None
        while key not in self.ready and not self.ended and self._receive(wait):
            pass
        message = self.ready.get(key)
        value = message[3] if message is not None and message[0] == "page" else None
        self.sided += value is not None
        return value

    def whole(self, key: str, wait: bool = False) -> object:
        """What the child made of start's ``make_whole(key)``, if it has sent it (with ``wait``, once the child
        has sent the page in either form); else None, and the page is left to ``take``. Asked as the build
        reaches each page, which the child learns (``_order``); what the child has sent meanwhile is read first,
        so that its pipe never fills while the build is busy. Logs what the child logged making the page."""
        if self.progress is not None and not self.progress.closed:
            _PROGRESS.pack_into(self.progress, 0, self.index.get(key, 0))
        if key not in self.pending:
            return None
        start = time.perf_counter()
        while not self.ended and self._receive(False):
            pass
        while wait and key not in self.ready and not self.ended and self._receive(True):
            pass
        self.waited += time.perf_counter() - start
        message = self.ready.get(key)
        if message is None or message[0] != "whole":
            return None
        del self.ready[key]
        self._hand_over(key, message)
        self.whole_sides[key] = message[3]
        self.taken += 1
        self.taken_whole += 1
        return message[2]

    def _hand_over(self, key: str, message: tuple | None) -> tuple | None:
        """The page's message, taken by the build (None: made here, which the child learns): the page is no
        longer pending, the child is reaped once nothing more is to come, and what it logged making the page
        is logged here."""
        self.pending.discard(key)
        if message is None and not self.claimed.closed:
            self.claimed[self.index[key]] = 1  # made here: the child need not make it
        if (not self.pending and not self.due) or self.ended:  # nothing more to take, or to come: reaped now
            self.close()
        for record in message[-1] if message is not None else ():
            logging.getLogger(record.name).handle(record)
        return message

    def after(self, key: str) -> object:
        """What the child made of start's ``after[key]`` (None where it failed: make it here). Asked once the
        pages are taken, so the child has nothing else to do: waiting for it costs less than making it again.
        The child is reaped once it has sent everything and every page is taken."""
        while key in self.due and not self.ended and self._receive(True):
            pass
        if not self.due and not self.pending:
            self.close()
        return self.afters.pop(key, None)

    def _receive(self, wait: bool) -> bool:
        """Read what the child has sent (with ``wait``, once something is there) and take in each whole
        message; False when there was nothing to read. The pipe does not block: a message half written
        by a child the machine keeps waiting never holds the build up."""
        if wait:
            select.select([self.fd], [], [])
        try:
            data = os.read(self.fd, 1 << 20)
        except BlockingIOError:
            return False
        if not data:  # the child is gone, with or without its last message: the rest is made here
            self.ended = True
            return False
        self.buffer += data
        while len(self.buffer) >= _HEADER.size:
            end = _HEADER.size + _HEADER.unpack_from(self.buffer)[0]
            if len(self.buffer) < end:
                break
            chunk = pickle.loads(self.buffer[_HEADER.size:end])
            del self.buffer[:end]
            for message in chunk:
                if message[0] == "after":
                    self.afters[message[1]] = message[2]
                    self.due.discard(message[1])
                    continue
                if message[0] not in ("page", "whole"):  # "end", or "error": the child sends nothing after it
                    self.ended = True
                if message[0] != "end" and message[1] in self.pending:  # not made in the build meanwhile
                    self.ready[message[1]] = message
        return True

    def close(self, kill: bool = False) -> None:
        """Wait for the child and close the pipe: killed first if it has not sent its last message (its last
        pages come with it), or if ``kill``. Pages already received can still be taken, unless ``kill``."""
        if kill:
            self.pending.clear()
            self.ready.clear()
        if self.exit_status is not None:
            return
        while not kill and not self.ended and self._receive(False):
            pass
        os.close(self.fd)
        self.claimed.close()
        if self.progress is not None:
            self.progress.close()
        self.exit_status = forked.reap(self.pid, forked.TIMEOUT, stop=not self.ended)
        self.ended = True
        forked.ended(self)

    def stop(self) -> None:  # forked.stop_all: a failed build, or the process exiting
        self.close(kill=True)


def stop_all() -> None:
    """Kill and wait for every worker still running (forked.stop_all stops these and the other children)."""
    for worker in forked.still_running():
        if isinstance(worker, Worker):
            worker.stop()
