"""The build's child processes (readahead's and prerender's forked workers, offload's helper): how one is
forked, fed through a pipe and always reaped, and the one list of those still running.

A build that fails, or a process that exits, must leave no child behind, running or unreaped: each
child is put in the list when it starts (``running``) and taken out once reaped (``ended``), and
``stop_all`` (mkdocs_glue.build_failed, and at exit) stops every one still there, each as it knows how,
none waited for longer than ``TIMEOUT`` before it is killed.
"""

from __future__ import annotations

import atexit
import logging
import os
import pickle
import signal
import time
from typing import Callable, Protocol

TIMEOUT = 10.0  # seconds a stopping child is given before it is killed (a test may shorten it)


class Child(Protocol):
    def stop(self) -> None:
        """End the child (its work no longer wanted) and reap it, within TIMEOUT."""


_RUNNING: list[Child] = []


def running(child: Child) -> Child:
    _RUNNING.append(child)
    return child


def ended(child: Child) -> None:
    if child in _RUNNING:
        _RUNNING.remove(child)


def still_running() -> list[Child]:
    return list(_RUNNING)


def stop_all() -> None:
    """Stop and reap every child still running, the last started first."""
    for child in reversed(list(_RUNNING)):
        try:
            child.stop()
        finally:
            ended(child)


atexit.register(stop_all)


def fork(child: Callable[[int], None], pipe_size: int = 0) -> tuple[int, int] | None:
    """Fork a process that runs ``child(fd)``, ``fd`` the write end of a pipe: (its pid, the read end), or None
    where fork or the pipe is not possible. ``pipe_size``: a larger pipe (Linux), so that the child is not held
    up each time the reader is busy elsewhere. The child never returns (``_exit_after``)."""
    if not hasattr(os, "fork"):
        return None
    try:
        read_fd, write_fd = os.pipe()
    except OSError:
        return None
    if pipe_size:
        _grow_pipe(write_fd, pipe_size)
    try:
        pid = os.fork()
    except OSError:
        os.close(read_fd), os.close(write_fd)
        return None
    if pid == 0:
        os.close(read_fd)
        _exit_after(child, write_fd)
    os.close(write_fd)
    return pid, read_fd


def _exit_after(child: Callable[[int], None], fd: int) -> None:
    """In the child: run it, then leave with os._exit (0, or 1 if it raised): no atexit handlers (the
    parent's stop_all), no buffers of the parent's flushed twice, no exception let up into the parent's code."""
    status = 1
    try:
        _RUNNING.clear()  # the parent's children: not this process's to stop
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # a ^C ends it at once; the build deals with its own
        child(fd)
        status = 0
    except BaseException:  # noqa: BLE001 - the parent does itself whatever the child did not
        pass
    finally:
        os._exit(status)


def _grow_pipe(fd: int, size: int) -> None:
    try:
        import fcntl
        fcntl.fcntl(fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), size)
    except (ImportError, OSError):
        pass


def write_all(fd: int, data: bytes | memoryview) -> None:
    """Write every byte of ``data`` to ``fd`` (a pipe or a file: one write may take only part)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def write_what_fits(fd: int, data: bytes) -> bytes:
    """Write to ``fd`` (non-blocking) what its pipe has room for now; the rest, to be written later."""
    view = memoryview(data)
    try:
        while view:
            view = view[os.write(fd, view):]
    except BlockingIOError:
        pass
    return bytes(view)


def kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def reap(pid: int, timeout: float | None = None, stop: bool = False) -> int:
    """Wait for the child ``pid`` and return its exit code (negative: the signal that ended it): killed at
    once if ``stop``, or once ``timeout`` seconds have passed (None: wait for its end however long)."""
    if stop:
        kill(pid)
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while deadline is not None:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            if time.monotonic() >= deadline:
                kill(pid)
                break
            time.sleep(0.005)
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    except ChildProcessError:  # reaped already (by a test, say)
        return -signal.SIGKILL


# ---------------------------------------------------------------- what a child sends back


def portable_record(record: logging.LogRecord) -> logging.LogRecord:
    """The record with its message made, and no traceback object, so that it pickles."""
    record.msg, record.args = record.getMessage(), None
    if record.exc_info:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.exc_info = None
    return record


def portable_error(exc: BaseException, stand_in: type[Exception]) -> bytes:
    """``exc`` pickled, or, if it does not come back whole, a ``stand_in`` with its type and message."""
    try:
        data = pickle.dumps(exc, pickle.HIGHEST_PROTOCOL)
        pickle.loads(data)  # some exceptions pickle but do not unpickle (required arguments)
        return data
    except Exception:  # noqa: BLE001 - then its type and message, as text
        return pickle.dumps(stand_in(f"{type(exc).__name__}: {exc}"), pickle.HIGHEST_PROTOCOL)
