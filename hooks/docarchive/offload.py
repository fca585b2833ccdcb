"""Work of a cold build done beside it, in a forked process, while MkDocs makes the pages.

Two jobs of a 1,000-story build cost its one thread some 0.5 s, and neither needs the build's
Python: writing the generated files (3,000 of them the citations' downloads, where the cost is
the kernel's file creation, ~100 us each) and the no-external-request check's parse of every
page (lexbor, in C). A thread cannot take them: after each system call it needs the GIL
back, and while the main thread runs Python that waits for the switch interval (5 ms), so a
thread writing 3,000 files beside a busy main thread had not finished after 3.5 s (0.45 s
alone). A forked child shares the parent's memory (copy on write: forking a 200 MB build
takes ~5 ms, and ~11,000 of its pages are copied while the child lives) and runs on the
other core; the parent waits for it, so its CPU time counts in the build's.

The child writes the files it was given, each as ``GeneratedFile`` wrote it (the same bytes,
mode and folders); a file it cannot write is removed, not left half-written, and reported
with its path and the system's reason. Then it checks each page the parent names once
MkDocs has written it (``page_written``), and at ``finish`` sends back what it found.
Where there is no fork, or it fails, ``start`` says so and the caller does both jobs itself.
Never under ``mkdocs serve``, nor beside any other thread: forking a threaded process can
deadlock (workers.py).
"""

from __future__ import annotations

import gc
import json
import os
import signal
import threading
from dataclasses import dataclass, field

from . import offline

END = "\0"  # the last line the parent sends
BATCH = 64  # measured: the child checks 1,028 pages in 0.19 s of CPU all at once, 0.21 in batches of 256, 0.24 of 32
WRITE_NEW = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


def write_new(path: str, data: bytes | memoryview) -> None:
    """Write ``data`` as the file at ``path``, making its folder only when the file cannot be made without it."""
    data = memoryview(data)
    try:
        fd = os.open(path, WRITE_NEW, 0o666)
    except FileNotFoundError:  # the first file of its folder
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, WRITE_NEW, 0o666)
    try:
        while data:
            data = data[os.write(fd, data):]
    finally:
        os.close(fd)


@dataclass
class Outcome:
    """What the child did: the files it could not write (``path: reason``) and each page it checked, with the
    off-site URLs it fetches (pages by their path in the site). ``complete`` is False when the child died:
    then nothing it did can be trusted, and the caller writes and checks everything itself."""
    failed: list[str] = field(default_factory=list)
    fetches: dict[str, list[str]] = field(default_factory=dict)
    complete: bool = True


class Offload:
    """One build's helper: ``start`` forks it with the files to write, ``page_written`` names each page to check,
    ``finish`` waits for it and says what it did."""

    def __init__(self, site_dir: str, files: list[tuple[str, bytes]]):
        self.site_dir = os.path.join(site_dir, "")
        self.files = files  # (absolute path, bytes), in the order MkDocs would have copied them
        self.pid = 0
        self._orders = self._results = -1
        self.told: set[str] = set()  # the pages named to the child
        self.again: set[str] = set()  # named twice (written twice): the child may have read the first
        self._batch: list[str] = []  # named, not yet sent

    def start(self) -> bool:
        """Fork the child; False (and nothing started) where that is not possible, or not safe: with other threads
        running (a plugin's, say), one of them may hold a lock the child would wait for forever."""
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return False
        orders, results = os.pipe(), os.pipe()
        try:
            pid = os.fork()
        except OSError:
            for fd in (*orders, *results):
                os.close(fd)
            return False
        if pid == 0:  # the child: only system calls and the check, then out without Python's exit handlers
            status = 1
            try:
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops it (finish), not Ctrl-C
                gc.disable()  # a collection would touch, and so copy, the parent's every object
                _close_all_but(orders[0], results[1])  # another process's pipes too: it sees its ends close
                status = self._child(orders[0], results[1])
            finally:
                os._exit(status)
        os.close(orders[0]), os.close(results[1])
        self.pid, self._orders, self._results = pid, orders[1], results[0]
        self.files = []  # the child has them; the parent needs them no more
        return True

    def page_written(self, path: str) -> None:
        """Tell the child that MkDocs has written the page at ``path`` (absolute), for it to check. Told in
        batches: one system call, and one wake-up of the child, per BATCH pages."""
        if not self.pid or not path.startswith(self.site_dir) or "\n" in path:
            return  # the caller checks any page the child did not
        rel = path[len(self.site_dir):].replace(os.sep, "/")
        if rel in self.told:
            self.again.add(rel)
            return
        self.told.add(rel)
        self._batch.append(rel)
        if len(self._batch) >= BATCH:
            self._tell()

    def _tell(self) -> None:
        message, self._batch = "".join(rel + "\n" for rel in self._batch), []
        try:
            _write_all(self._orders, message.encode("utf-8", "surrogateescape"))
        except OSError:  # the child is gone: finish finds out how, and the caller does its work
            self.again.update(self.told)

    def finish(self) -> Outcome:
        """Wait for the child to write and check everything it was given; what it did."""
        if not self.pid:
            return Outcome(complete=False)
        self._batch.append(END)  # a process forked after this one holds this pipe too: it may never close
        self._tell()
        os.close(self._orders)
        chunks = []
        while chunk := os.read(self._results, 1 << 16):
            chunks.append(chunk)
        os.close(self._results)
        _, status = os.waitpid(self.pid, 0)
        self.pid = 0
        if os.waitstatus_to_exitcode(status) != 0 or not chunks:
            return Outcome(complete=False)
        report = json.loads(b"".join(chunks))
        fetches = {rel: urls for rel, urls in report["fetches"].items() if rel not in self.again}
        return Outcome(report["failed"], fetches)

    def _child(self, orders: int, results: int) -> int:
        failed = []
        for path, data in self.files:
            try:
                write_new(path, data)
            except OSError as exc:
                failed.append(f"{path}: {exc.strerror or exc}")
                try:
                    os.unlink(path)  # nothing half-written
                except OSError:
                    pass
        fetches = {}
        with os.fdopen(orders, "rb") as told:
            for line in told:
                rel = line[:-1].decode("utf-8", "surrogateescape")
                if rel == END:
                    break
                try:
                    fetches[rel] = offline.off_site_fetches(self.site_dir + rel)
                except OSError:  # not written after all: the caller checks what is there
                    continue
        _write_all(results, json.dumps({"failed": failed, "fetches": fetches}).encode("ascii"))
        os.close(results)
        return 0


def _close_all_but(*keep: int) -> None:
    start = 3  # stdin, stdout and stderr stay
    for fd in sorted(keep):
        os.closerange(start, fd)
        start = fd + 1
    os.closerange(start, os.sysconf("SC_OPEN_MAX") if hasattr(os, "sysconf") else 65536)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
