"""Pages laid out ahead, in a forked worker process, while the build goes on in this one.

A generated page is its template (``archive/story.html``, say: crumbs, photos, the "About this story"
block, citation, pager) around the body that MkDocs' Markdown makes. Everything but the body is known
once the archive is loaded and MkDocs' files have their URLs, long before MkDocs reaches the page.
On a cold build (``mkdocs build``) a forked child renders each page's template with ``Body`` in the
body's place and streams the two halves back over a pipe, in page order, a chunk at a time; the
build, meanwhile, converts the Markdown on the other core, and puts each page's real body between
its halves (``Worker.take``). The splice gives the template's own output, byte for byte, because the
template may only *place* the body: ``Body`` answers ``__html__`` once (what ``{{ body }}`` and ``|safe``
ask) and refuses everything else (its length, its text, a comparison...); a template that looks at
the body, or places it other than exactly once, has its pages made in this process, as before. (What
is out of its sight: a template that makes the body Markup once, ``{% set b = body|safe %}``, then both
places ``b`` and looks into it.)

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

import atexit
import gc
import logging
import mmap
import os
import pickle
import secrets
import select
import signal
import struct
import threading
import time
import traceback
from typing import Callable, Iterable

# Pages a message holds: enough to keep the pickling and the system calls per page small, few
# enough that the first page comes soon.
CHUNK = 16
_HEADER = struct.Struct("<Q")
_RUNNING: set["Worker"] = set()
Render = Callable[["Body"], str]


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


def lay_out(render: Render, marker: str) -> tuple[str, str] | None:
    """``render``'s page as the halves around its body, or None when the template does not simply place it once."""
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


def start(jobs: Iterable[tuple[str, Render]], side: Callable[[str], str] | None = None,
          after: dict[str, Callable[[], object]] | None = None) -> "Worker | None":
    """Fork a child that lays out every job's page (``render(body)``), in order; None where fork is missing.
    With ``side``, the child also makes ``side(key)`` for each page it lays out (other work for the page that
    needs the archive but not its body), sent with the page (Worker.side); with ``after``, each ``make()``
    once the pages are done (Worker.after). Either is None where it failed or logged."""
    jobs = list(jobs)
    if not jobs or not available():
        return None
    marker = f"<!--docarchive:body:{secrets.token_hex(16)}-->"
    # One byte a page, shared by both processes: set by the build for each page it makes itself, which the
    # child then skips (behind the build, it catches up instead of making pages no one will take).
    claimed = mmap.mmap(-1, len(jobs))
    read_fd, write_fd = os.pipe()  # not inherited by anything either process starts
    _grow_pipe(write_fd)
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd), os.close(write_fd)
        claimed.close()
        return None
    if pid == 0:  # the child: never returns
        status = 1
        try:
            os.close(read_fd)
            _child(jobs, marker, write_fd, claimed, side, after or {})
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    os.set_blocking(read_fd, False)
    worker = Worker(pid, read_fd, [key for key, _ in jobs], claimed)
    worker.due = set(after or ())
    _RUNNING.add(worker)
    return worker


def _grow_pipe(fd: int) -> None:
    """A larger pipe (Linux), so that the child is not held up each time the build is busy elsewhere."""
    try:
        import fcntl
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):
        pass


# ---------------------------------------------------------------- the child


def _child(jobs: list[tuple[str, Render]], marker: str, fd: int, claimed: mmap.mmap,
           side: Callable[[str], str] | None = None, after: dict[str, Callable[[], object]] | None = None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a ^C ends it at once; the build deals with its own
    gc.freeze()  # the collector leaves the inherited objects alone: their pages stay shared with the build
    records: list[logging.LogRecord] = []

    def keep(self: logging.Logger, record: logging.LogRecord) -> None:  # Logger.callHandlers in the child
        records.append(_portable(record))

    logging.Logger.callHandlers = keep
    chunk: list[tuple] = []
    afters = list((after or {}).items())
    for number, (key, render) in enumerate(jobs, 1):
        if claimed[number - 1]:
            continue
        try:
            halves = lay_out(render, marker)
        except Exception as exc:  # noqa: BLE001 - any failure is the build's, reported there
            chunk.append(("error", key, _portable_error(exc), traceback.format_exc(), records[:]))
            _send(fd, chunk)
            return
        chunk.append(("page", key, halves, _side(side, key, records), records[:]))
        records.clear()
        if len(chunk) >= CHUNK and number < len(jobs):  # the last pages go with the "end"
            if afters and _backed_up(fd):  # the build has pages to take for a while: the next ``after`` now
                chunk.append(_made_after(*afters.pop(0), records))
            _send(fd, chunk)
            chunk = []
    for key, make in afters:
        _send(fd, chunk)
        chunk = [_made_after(key, make, records)]
    chunk.append(("end",))
    _send(fd, chunk)


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


def _portable(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its message made, and no traceback object, so that it pickles."""
    record.msg, record.args = record.getMessage(), None
    if record.exc_info:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
    return record


def _portable_error(exc: BaseException) -> bytes:
    try:
        data = pickle.dumps(exc, pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)  # some exceptions pickle but do not unpickle (required arguments)
        return data
    except Exception:  # noqa: BLE001 - then its type and message, as text
        return pickle.dumps(WorkerError(f"{type(exc).__name__}: {exc}"), pickle.HIGHEST_PROTOCOL)


def _send(fd: int, chunk: list) -> None:
    data = pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view):]


# ---------------------------------------------------------------- the build's side


class WorkerError(RuntimeError):
    """An error of the worker's that could not be sent as itself: its type and message."""


class WorkerTraceback(Exception):
    """Where the worker process was when it raised (the cause of the exception raised in the build)."""


class Worker:
    def __init__(self, pid: int, fd: int, keys: list[str], claimed: mmap.mmap):
        self.pid, self.fd, self.claimed = pid, fd, claimed
        self.keys = len(keys)
        self.index = {key: number for number, key in enumerate(keys)}
        self.pending = set(keys)  # laid out by the child, not yet taken
        self.taken = 0  # pages the build took laid out (not made again in the build)
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
        self.pending.discard(key)
        message = self.ready.pop(key, None)
        if message is None and not self.claimed.closed:
            self.claimed[self.index[key]] = 1  # made here: the child need not make it
        if (not self.pending and not self.due) or self.ended:  # nothing more to take, or to come: reaped now
            self.close()
        if message is None:
            return None
        for record in message[-1]:
            logging.getLogger(record.name).handle(record)
        if message[0] == "error":
            raise pickle.loads(message[2]) from WorkerTraceback(
                f"in the worker process that lays out pages ahead (docarchive.prerender):\n{message[3]}")
        self.taken += message[2] is not None
        return message[2]

    def side(self, key: str, wait: bool = False) -> str | None:
        """The ``side(key)`` the child made with the page, if it has sent the page already (or with ``wait``, as
        ``take``); else None: make it here. Leaves the page to ``take``."""
        if key not in self.pending:
            return None
        while key not in self.ready and not self.ended and self._receive(wait):
            pass
        message = self.ready.get(key)
        value = message[3] if message is not None and message[0] == "page" else None
        self.sided += value is not None
        return value

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
                if message[0] != "page":  # "end", or "error": the child sends nothing after it
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
        if not self.ended:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        os.close(self.fd)
        self.claimed.close()
        _, status = os.waitpid(self.pid, 0)
        self.exit_status = os.waitstatus_to_exitcode(status)
        self.ended = True
        _RUNNING.discard(self)


def stop_all() -> None:
    """Kill and wait for every worker still running (a failed build, or the process exiting)."""
    for worker in list(_RUNNING):
        worker.close(kill=True)


atexit.register(stop_all)
