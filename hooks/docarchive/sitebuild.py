"""Every edition, as ``make site`` builds them: the offline edition and its zip, then the site.

Each is a folder of builds (a tree): the main language at its root, and each
other language (``mkdocs-zh.yml``, whose ``site_dir`` is ``site/zh``) in its
folder. Separate ``mkdocs build`` processes would each parse the archive, start
jieba and compile the templates. Here the archive is loaded once first
(``mkdocs_glue.preload``: the loaded archive, kept by ``mkdocs_glue`` keyed by
the size and modification time of every content file, so a changed file is
always read again; jieba's dictionary; the compiled templates, also cached on
disk, ``.cache/jinja/``; the photo derivatives, on disk, ``.cache/photos/``),
and every build reuses it. A tree's builds after the first run at the same time
as it, each in a forked process that shares that work copy on write
(``EditionProcess``): on two cores the Chinese edition costs little wall time.
Each edition is built into a scratch folder and swapped in only when its build
succeeded, so a failed build leaves the previous one. ``DOCARCHIVE_EDITIONS=
sequential`` builds one after the other in this process, with the same bytes.

Builds are reproducible: when ``SOURCE_DATE_EPOCH`` is unset it is set to the
time of the archive's last git commit (the one date MkDocs writes, in the
sitemap and its gzip header), and the zip is dated and ordered the same way
every time (``offline.make_zip``).
"""

from __future__ import annotations

import functools
import logging
import os
import pickle
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path
from typing import Iterator

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import BuildError

from . import forked


def source_date_epoch(root: Path) -> str | None:
    """``SOURCE_DATE_EPOCH`` if set, else the archive's last commit time; ``None`` outside git."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return os.environ["SOURCE_DATE_EPOCH"]
    try:
        proc = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"],
                              capture_output=True, text=True, timeout=30)
    except OSError:
        return None
    stamp = proc.stdout.strip()
    return stamp if proc.returncode == 0 and stamp.isdigit() else None


# Each folder of the site and the configurations built into it, the main language first.
TREES = {"offline": ("mkdocs-offline.yml", "mkdocs-offline-zh.yml"), "site": ("mkdocs.yml", "mkdocs-zh.yml")}
SEQUENTIAL = "DOCARCHIVE_EDITIONS"  # =sequential: a tree's builds one after the other, in this process
WAIT = "DOCARCHIVE_EDITION_WAIT"  # seconds an edition's process is waited for once the main one is built


def build_tree(root: Path, configs: tuple[str, ...]) -> tuple[Path, float]:
    """Build ``configs`` (those that exist) into the scratch folder of the first one's site_dir.

    The first is built at the folder's root, every other in its own ``site_dir``
    under it (``site/zh``). The scratch folder of ``site`` is ``.site-build``;
    the Makefile renames it into place once every build succeeded. Where it can,
    the builds after the first run at the same time as it, each in a forked
    process (``in_parallel``). Returns the scratch folder and the seconds taken.
    """
    started = time.perf_counter()
    names = [name for name in configs if (root / name).is_file()]
    if not names:
        return None, time.perf_counter() - started
    config = load_config(config_file=str(root / names[0]), strict=True)
    target = Path(config.site_dir).resolve()
    scratch = target.with_name(f".{target.name}-build")
    shutil.rmtree(scratch, ignore_errors=True)
    if len(names) > 1 and in_parallel(config):
        _build_beside(root, names, config, target, scratch)
    else:
        _build_into(config, target, scratch)
        for name in names[1:]:
            _build_into(load_config(config_file=str(root / name), strict=True), target, scratch)
    return scratch, time.perf_counter() - started


def in_parallel(config) -> bool:
    """Whether the other editions can be built beside the first: fork is there, no thread or worker is running
    (a forked copy would inherit it), ``DOCARCHIVE_EDITIONS`` is not ``sequential``, and the archive
    preloads (with content problems, the first build reports them, alone, as it would)."""
    from . import mkdocs_glue

    if os.environ.get(SEQUENTIAL, "").strip().lower() == "sequential":
        return False
    if not EditionProcess.available() or not mkdocs_glue.idle():
        return False
    return mkdocs_glue.preload(config)


def _build_into(config, target: Path, scratch: Path) -> None:
    site_dir = Path(config.site_dir).resolve()
    config.site_dir = str(scratch / site_dir.relative_to(target))
    _run(config)


def _run(config) -> None:
    config.plugins.on_startup(command="build", dirty=False)
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()


def apart(scratch: Path, rel: Path) -> Path:
    """Where an edition built beside the first goes until both are done: ``.site-build-zh`` for ``zh``.
    Not inside the first one's folder, which MkDocs empties as its build begins."""
    return scratch.with_name(f"{scratch.name}-{'-'.join(rel.parts)}")


def _build_beside(root: Path, names: list[str], config, target: Path, scratch: Path) -> None:
    """The first build here, each other one at the same time in a forked process, into its own scratch
    folder (``apart``), moved into the first one's once all succeeded. Each process's log is printed whole,
    this one's first, then the others' in order; a failure of any fails the tree."""
    children = []
    try:
        for name in names[1:]:
            children.append(EditionProcess.start(name, functools.partial(_build_apart, root, name, target, scratch)))
        began = time.perf_counter()
        _build_into(config, target, scratch)
        patience = float(os.environ.get(WAIT) or max(300.0, 5 * (time.perf_counter() - began)))
        for name, child in zip(names[1:], children):
            if child is None:  # it could not be forked: built here, now
                _build_into(load_config(config_file=str(root / name), strict=True), target, scratch)
                continue
            rel = child.finish(patience)
            place = scratch / rel
            shutil.rmtree(place, ignore_errors=True)  # as that build would have emptied it
            place.parent.mkdir(parents=True, exist_ok=True)
            os.rename(apart(scratch, rel), place)
    finally:
        for child in children:
            if child is not None:
                child.stop()


def _build_apart(root: Path, name: str, target: Path, scratch: Path) -> Path:
    """In the forked process: build ``name`` into its scratch folder; returns its place under the first's."""
    config = load_config(config_file=str(root / name), strict=True)
    rel = Path(config.site_dir).resolve().relative_to(target)
    out = apart(scratch, rel)
    shutil.rmtree(out, ignore_errors=True)
    config.site_dir = str(out)
    _run(config)
    return rel


def build_editions(root: Path, zip_path: Path | None, site: bool = True) -> Iterator[str]:
    """The offline edition and its zip (when ``zip_path`` is given), then the site, into their scratch places.

    The site links the new zip (``DOCARCHIVE_OFFLINE_ZIP``). Yields a line as each is done.
    """
    from .offline import human_size, make_zip

    root = Path(root).resolve()
    epoch = source_date_epoch(root)
    if epoch is not None:
        os.environ["SOURCE_DATE_EPOCH"] = epoch
    if zip_path is not None:
        offline_dir, seconds = build_tree(root, TREES["offline"])
        yield f"built the offline edition into {offline_dir.name}/ in {seconds:.1f} s"
        zip_path = root / zip_path
        size = make_zip(offline_dir, zip_path, zip_path.name.removesuffix(".zip"))
        os.environ["DOCARCHIVE_OFFLINE_ZIP"] = str(zip_path)
        yield f"wrote {zip_path.relative_to(root)} ({human_size(size)})"
    if site:
        site_dir, seconds = build_tree(root, TREES["site"])
        yield f"built the site into {site_dir.name}/ in {seconds:.1f} s"


# ---------------------------------------------------------------- an edition's build in a forked process


class EditionFailed(BuildError):
    """An edition's build in its own process ended without its result (killed, or no answer in time)."""


class EditionTraceback(Exception):
    """Where the edition's process was when it raised (the cause of the error raised here)."""


_HEADER = struct.Struct("<Q")  # the length of the one message an edition's process sends


class EditionProcess:
    """One build in a forked process. Its log records are kept there (each for the handler that would have
    printed it) and sent back whole with its result or its error, in one message, with what it wrote on
    stdout and stderr: ``finish()``, called once this process's own build is done, prints them through the
    same handlers and returns the result, or raises the error. It stays in this process's group, so that a
    signal to the group (^C, make killed) ends it too; ``stop()`` asks it to end (SIGTERM: it stops its own
    workers, as a failed build does), then kills it."""

    def __init__(self, name: str, pid: int, fd: int, streams: tuple, handlers: list[logging.Handler]):
        self.name, self.pid, self.fd, self.streams, self.handlers = name, pid, fd, streams, handlers
        self.status: int | None = None  # its exit status, once reaped

    @staticmethod
    def available() -> bool:
        """fork is there, and no other thread runs (one could hold a lock the forked copy would wait for)."""
        return hasattr(os, "fork") and threading.active_count() == 1

    @classmethod
    def start(cls, name: str, work) -> "EditionProcess | None":
        """Fork a process that runs ``work()`` (its result is pickled back); None if it cannot be forked."""
        handlers = _all_handlers()
        sys.stdout.flush()  # nothing buffered here is printed again by the copy
        sys.stderr.flush()
        try:
            streams = (tempfile.TemporaryFile(), tempfile.TemporaryFile())
        except OSError:
            return None
        child = forked.fork(lambda fd: _edition_main(work, fd, streams, handlers))  # never returns there
        if child is None:
            for stream in streams:
                stream.close()
            return None
        return cls(name, *child, streams, handlers)

    def finish(self, patience: float):
        """Wait (at most ``patience`` seconds) for the process's message; print its log; its result, or raise."""
        data, timed_out = self._receive(time.monotonic() + patience)
        if timed_out:
            self.stop()
            raise EditionFailed(f"{self.name}: build: no result after {patience:.0f} s in its own process, which "
                                f"was stopped - look for what hangs in that build, or set {WAIT} to wait longer "
                                f"(or {SEQUENTIAL}=sequential to build one after the other)")
        self._reap()
        message = pickle.loads(data) if data is not None else None
        for index, record in message[2] if message else ():
            self.handlers[index].handle(record)
        self._print_streams()
        if message is None:
            raise EditionFailed(f"{self.name}: build: its process ended without a result ({self._how_it_ended()}) "
                                f"- build again; if it recurs, set {SEQUENTIAL}=sequential to build it here")
        result, error = message[0], message[1]
        if error is not None:
            raise pickle.loads(error[0]) from EditionTraceback(f"in the process building {self.name}:\n{error[1]}")
        return result

    def _receive(self, deadline: float) -> tuple[bytes | None, bool]:
        """(the message, or None if the process ended without it whole; whether the deadline passed first)."""
        buffer = bytearray()
        while len(buffer) < _HEADER.size or len(buffer) < _HEADER.size + _HEADER.unpack_from(buffer)[0]:
            left = deadline - time.monotonic()
            if left <= 0:
                return None, True
            ready, _, _ = select.select([self.fd], [], [], min(left, 1.0))
            if not ready:
                # A worker of the process may hold the pipe open after it died: check the process itself.
                pid, status = os.waitpid(self.pid, os.WNOHANG) if self.status is None else (0, 0)
                if pid == self.pid:
                    self.status = status
                    ready = select.select([self.fd], [], [], 0)[0]
                    if not ready:
                        return None, False
                continue
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return None, False
            buffer += chunk
        return bytes(buffer[_HEADER.size:]), False

    def _reap(self) -> None:
        if self.status is None:
            self.status = os.waitpid(self.pid, 0)[1]

    def _how_it_ended(self) -> str:
        if os.WIFSIGNALED(self.status):
            return f"killed by signal {os.WTERMSIG(self.status)}"
        return f"exit status {os.waitstatus_to_exitcode(self.status)}"

    def _print_streams(self) -> None:
        for stream, target in zip(self.streams, (sys.stdout, sys.stderr)):
            stream.seek(0)
            if text := stream.read():
                target.flush()
                target.buffer.write(text) if hasattr(target, "buffer") else target.write(text.decode(errors="replace"))
                target.flush()

    def stop(self, grace: float = 5.0) -> None:
        """End the process unless it has ended (asked first, killed after ``grace`` seconds), reap it, close the
        pipe and files."""
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if self.status is not None:
                break
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass
            deadline = time.monotonic() + grace
            while self.status is None and (sig == signal.SIGKILL or time.monotonic() < deadline):
                pid, status = os.waitpid(self.pid, 0 if sig == signal.SIGKILL else os.WNOHANG)
                if pid == self.pid:
                    self.status = status
                else:
                    time.sleep(0.05)
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
            for stream in self.streams:
                stream.close()


def _all_handlers() -> list[logging.Handler]:
    """Every log handler of this process, each once: the forked process keeps what each would print."""
    loggers = [logging.getLogger(), *(logger for logger in logging.Logger.manager.loggerDict.values()
                                      if isinstance(logger, logging.Logger))]
    return list({id(h): h for logger in loggers for h in logger.handlers}.values())


def _edition_main(work, fd: int, streams: tuple, handlers: list[logging.Handler]) -> None:
    """The forked process: run ``work``, send (result, error, log records) in one message, and leave."""
    status = 1
    try:
        signal.signal(signal.SIGTERM, _stopped)  # stop() asks: end as a failed build does, workers stopped
        for number, stream in zip((1, 2), streams):  # what is printed otherwise, printed after the records
            os.dup2(stream.fileno(), number)
        records: list[tuple[int, logging.LogRecord]] = []
        for index, handler in enumerate(handlers):
            handler.handle = functools.partial(_keep, records, index, handler)
        try:
            result, error = work(), None
        except BaseException as exc:  # noqa: BLE001 - raised again by the parent, with this traceback
            result, error = None, (forked.portable_error(exc, BuildError), traceback.format_exc())
            from . import mkdocs_glue
            mkdocs_glue.build_failed()  # its workers and helper stopped and waited for, whatever failed
        forked.stop_all()  # what the atexit handlers, skipped by os._exit, would do
        sys.stdout.flush()
        sys.stderr.flush()
        data = pickle.dumps((result, error, records), pickle.HIGHEST_PROTOCOL)
        forked.write_all(fd, _HEADER.pack(len(data)) + data)
        status = 0 if error is None else 1
    finally:
        os._exit(status)  # no atexit handlers, no buffers of the parent's flushed twice


def _stopped(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _keep(records: list, index: int, handler: logging.Handler, record: logging.LogRecord) -> bool:
    """In the edition's process, instead of ``handler.handle``: the record kept, its message made, to pickle."""
    if not handler.filter(record):
        return False
    records.append((index, forked.portable_record(record)))
    return True
