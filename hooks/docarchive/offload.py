"""Work of a cold build done beside it, in a helper process, while MkDocs makes the pages.

Two jobs of a 1,000-story build cost its one thread some 0.6 s, and neither needs the build's
Python: writing the generated files (3,000 of them the citations' downloads, where the cost is
the kernel's file creation, 100-200 us each) and the no-external-request check's parse of every
page (lexbor, in C). A thread cannot take them: after each system call it needs the GIL
back, and while the main thread runs Python that waits for the switch interval (5 ms), so a
thread writing 3,000 files beside a busy main thread had not finished after 3.5 s (0.45 s
alone). A forked child would share the build's memory, but copy on write made the build take
some 12,000 more page faults, on its own time. So the helper is a fresh Python (~0.05 s to
start, on the other core): it reads the files to write from a scratch file, the pages to check
from a pipe. The build waits for it, so its CPU time counts in the build's.

The helper writes the files it was given, each as ``GeneratedFile`` wrote it (the same bytes,
mode and folders); a file it cannot write is removed, not left half-written, and reported
with its path and the system's reason. Then it checks each page the parent names once
MkDocs has written it (``page_written``), and at ``finish`` sends back what it found.
Where no helper can start, ``start`` says so and the caller does both jobs itself.
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import forked, offline

END = "\0"  # the last line the parent sends
BATCH = 64  # measured: the child checks 1,028 pages in 0.19 s of CPU all at once, 0.21 in batches of 256, 0.24 of 32
WRITE_NEW = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
_HEADER = struct.Struct("<II")  # a file's path and data lengths, before them in the scratch file
PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)  # where the helper imports the package from


def write_new(path: str, data: bytes | memoryview) -> None:
    """Write ``data`` as the file at ``path``, making its folder only when the file cannot be made without it."""
    data = memoryview(data)
    try:
        fd = os.open(path, WRITE_NEW, 0o666)
    except FileNotFoundError:  # the first file of its folder
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, WRITE_NEW, 0o666)
    try:
        forked.write_all(fd, data)
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
    """One build's helper: ``start`` runs it with the files to write, ``page_written`` names each page to check,
    ``finish`` waits for it and says what it did."""

    # -P: the build runs in the archive folder, where a file of a pull request (json.py...) must not be imported
    command = [sys.executable, "-P", "-m", "docarchive.offload"]  # the helper's command line (a test may wrap it)

    def __init__(self, site_dir: str, files: list[tuple[str, bytes]]):
        self.site_dir = os.path.join(site_dir, "")
        self.files = files  # (absolute path, bytes), in the order MkDocs would have copied them
        self.process: subprocess.Popen | None = None
        self.told: set[str] = set()  # the pages named to the child
        self.again: set[str] = set()  # named twice (written twice): the child may have read the first
        self._batch: list[str] = []  # named, not yet sent
        self._unsent = b""  # sent, but not yet taken by the pipe: the helper reads it only once its files are written

    def start(self) -> bool:
        """Start the helper; False (and nothing started) where that is not possible."""
        if os.name != "posix":  # pass_fds
            return False
        path = os.fsencode
        payload = b"".join(part for name, data in self.files
                           for part in (_HEADER.pack(len(path(name)), len(data)), path(name), data))
        search_path = os.pathsep.join(filter(None, [PACKAGE_PARENT, os.environ.get("PYTHONPATH")]))
        env = {**os.environ, "PYTHONPATH": search_path}
        try:
            with tempfile.TemporaryFile() as scratch:
                scratch.write(payload)
                scratch.flush()
                self.process = subprocess.Popen([*self.command, self.site_dir, str(scratch.fileno())],
                                                stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                                pass_fds=(scratch.fileno(),), env=env)
        except OSError:
            return False
        os.set_blocking(self.process.stdin.fileno(), False)  # page_written never waits for the helper (_tell)
        self.files = []  # the helper has them; the build needs them no more
        forked.running(self)
        return True

    def page_written(self, path: str) -> None:
        """Tell the child that MkDocs has written the page at ``path`` (absolute), for it to check. Told in
        batches: one system call, and one wake-up of the child, per BATCH pages."""
        if self.process is None or not path.startswith(self.site_dir) or "\n" in path:
            return  # the caller checks any page the child did not
        rel = path[len(self.site_dir):].replace(os.sep, "/")
        if rel in self.told:
            self.again.add(rel)
            return
        self.told.add(rel)
        self._batch.append(rel)
        if len(self._batch) >= BATCH:
            self._tell()

    def _tell(self, wait: bool = False) -> None:
        """Send the batch: what the pipe has room for now, the rest with the next batch (``wait``: all of it,
        waiting for the helper to read). The helper reads the names only once it has written every file,
        which may take longer than a pipe's worth (64 KB) of names: the build does not wait for it."""
        message, self._batch = "".join(rel + "\n" for rel in self._batch), []
        self._unsent += message.encode("utf-8", "surrogateescape")
        fd = self.process.stdin.fileno()
        try:
            if wait:
                os.set_blocking(fd, True)
                forked.write_all(fd, self._unsent)
                self._unsent = b""
            else:
                self._unsent = forked.write_what_fits(fd, self._unsent)
        except OSError:  # the child is gone: finish finds out how, and the caller does its work
            self._unsent = b""
            self.again.update(self.told)

    def finish(self) -> Outcome:
        """Wait for the child to write and check everything it was given; what it did."""
        if self.process is None:
            return Outcome(complete=False)
        self._batch.append(END)  # a process forked after the helper started holds this pipe too: it may never close
        self._tell(wait=True)
        process, self.process = self.process, None
        report = process.communicate()[0]  # closes its stdin, reads its report, reaps it
        forked.ended(self)
        if process.returncode != 0 or not report:
            return Outcome(complete=False)
        report = json.loads(report)
        fetches = {rel: urls for rel, urls in report["fetches"].items() if rel not in self.again}
        return Outcome(report["failed"], fetches)

    def stop(self) -> None:
        """A build that failed (forked.stop_all): the helper's stdin closed (it then ends once its files are
        written), and the helper killed if it has not ended within forked.TIMEOUT; always reaped."""
        process, self.process = self.process, None
        forked.ended(self)
        if process is None:
            return
        try:
            process.communicate(timeout=forked.TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()


def main() -> int:
    """The helper: ``python -m docarchive.offload SITE_DIR FD``, the files to write in the scratch file FD, then
    the pages to check on stdin, one a line, until END; what it did, as JSON on stdout."""
    site_dir, scratch = sys.argv[1], int(sys.argv[2])
    if hasattr(os, "nice"):  # on a busy machine, the build's own process comes first: the helper takes what is left
        os.nice(10)
    with os.fdopen(scratch, "rb") as source:
        source.seek(0)
        payload = memoryview(source.read())
    failed, at = [], 0
    while at < len(payload):
        name_length, data_length = _HEADER.unpack_from(payload, at)
        at += _HEADER.size
        path = os.fsdecode(bytes(payload[at:at + name_length]))
        data = payload[at + name_length:at + name_length + data_length]
        at += name_length + data_length
        try:
            write_new(path, data)
        except OSError as exc:
            failed.append(f"{path}: {exc.strerror or exc}")
            try:
                os.unlink(path)  # nothing half-written
            except OSError:
                pass
    fetches = {}
    for line in sys.stdin.buffer:
        rel = line[:-1].decode("utf-8", "surrogateescape")
        if rel == END:
            break
        try:
            fetches[rel] = offline.off_site_fetches(site_dir + rel)
        except OSError:  # not written after all: the caller checks what is there
            continue
    sys.stdout.buffer.write(json.dumps({"failed": failed, "fetches": fetches}).encode("ascii"))
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
