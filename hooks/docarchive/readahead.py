"""The story files read and checked in a forked process, while this one does the rest of the build's start.

A cold ``mkdocs build`` of 1,000 stories spends about 0.2 s of its start on the
stories' front matter and checks (loader.read_story), and about as long, just
before, on work that needs none of it (jieba's dictionary, jiebacache.py; the
registries; the photos). The machine's other core is idle meanwhile. So the
build forks a worker that reads and checks every story file, and hands what
each gave back as loader.ParsedFiles entries: the load then finds each file
already read, as a ``make serve`` save finds its unchanged files, and reports
the problems the worker found, at their lines, as its own. The worker runs the
same function on the same text: a file whose text is not the one it read is
read here again (ParsedFiles compares the text), and a worker that fails or
cannot start leaves every file to this process, as before.

Only in a one-off build (the hook's command is ``build``) with no other thread
running: forking a threaded process (``mkdocs serve``) can deadlock.
"""

from __future__ import annotations

import gc
import logging
import mmap
import os
import pickle
import threading
from pathlib import Path
from typing import Callable, Iterable

from . import forked

log = logging.getLogger("mkdocs.hooks.archive")
STEP = "story"  # the loader's name for a story's read_story (loader.load_story)
WORKER, PARENT = 1, 2  # who has taken a story file to read (Ahead.claims)
# Whether the build reads story files too, from the last one back, while it waits for the worker's: the two
# then meet where the work is shared evenly, whatever the machine, the number of stories or the other work.
PARENT_SHARES = True


class Ahead:
    """The worker: ``take()`` waits for what it found in the story files; ``close()`` for the worker's end."""

    def __init__(self, pid: int, fd: int, root: Path, paths: list[Path], claims):
        self.pid, self.fd = pid, fd
        self.root, self.paths, self.claims = root, paths, claims
        self.taken: tuple[dict, dict] | None = None
        self.status: int | None = None

    def take(self) -> tuple[dict[str, tuple[str, object]], dict]:
        """(rel -> (text, read_story's result), the allowlist verdicts the worker used); empty if it failed.
        The worker closes its end once it has sent them: a result cut short does not unpickle."""
        if self.taken is None:
            chunks = []
            try:
                while chunk := os.read(self.fd, 1 << 20):
                    chunks.append(chunk)
            finally:
                os.close(self.fd)
            self.taken = ({}, {})
            try:
                self.taken = pickle.loads(b"".join(chunks))
            except Exception as exc:  # noqa: BLE001 - the files are then read here
                log.debug(f"readahead: no result from the worker ({exc!r}); the stories are read here")
        return self.taken

    def entries(self, verdicts) -> dict[str, tuple[str, object]]:
        """The ParsedFiles entries of the story files: the worker's, and those this process reads itself
        from the last file back (``PARENT_SHARES``) until it meets the worker's, instead of waiting for them.
        The verdicts the worker used are kept in ``verdicts`` (the load's sanitize.VerdictCache, or None),
        as if this process had met those bodies; its own go there as it meets them."""
        own = read_claimed(self.root, self.paths, self.claims, range(len(self.paths) - 1, -1, -1), PARENT) \
            if PARENT_SHARES else {}
        entries, used = self.take()
        if verdicts is not None:
            verdicts.used.update(used)
        return {**entries, **own}

    def close(self, stop: bool = False) -> None:
        """Wait for the worker's end (``stop``: end it now, its work no longer wanted) and reap it."""
        if self.status is not None:
            return
        if stop:
            forked.kill(self.pid)
        self.take()
        self.status = forked.reap(self.pid)
        forked.ended(self)

    def stop(self) -> None:  # forked.stop_all: a build that failed before it closed its worker
        self.close(stop=True)


def start(root: Path, verdicts_folder: Path | None, then: Callable[[], None] | None = None) -> Ahead | None:
    """Fork the worker for the story files under ``root`` (as loader.Reader names them: ``root`` resolved),
    or None where forking is not safe or not possible. Once it has sent them, the worker runs ``then()``
    (work whose result it leaves on disk, such as compiled templates) before it ends."""
    for left in forked.still_running():  # a worker of an earlier build that failed before closing it
        if isinstance(left, Ahead):
            left.stop()
    if threading.active_count() > 1:
        return None
    root = Path(root)
    paths = story_files(root)
    try:
        claims = mmap.mmap(-1, max(1, len(paths)))  # shared with the worker: who reads which file
    except OSError:
        return None
    child = forked.fork(lambda fd: _work(root, verdicts_folder, paths, claims, fd, then))
    if child is None:
        return None
    return forked.running(Ahead(*child, root, paths, claims))


def _work(root: Path, verdicts_folder: Path | None, paths: list[Path], claims, fd: int,
          then: Callable[[], None] | None) -> None:
    gc.disable()  # a short-lived process: nothing it makes is garbage before it ends
    try:
        found = read_stories(root, verdicts_folder, paths, claims)
        forked.write_all(fd, pickle.dumps(found, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        os.close(fd)  # the parent reads to the end of what was sent, and goes on
    if then is not None:
        then()


def story_files(root: Path) -> list[Path]:
    """The English story files under ``root``, in the loader's order (loader.story_paths)."""
    from .translations import is_chinese_file

    story_dir = root / "stories"
    return [path for path in (sorted(story_dir.rglob("*.md")) if story_dir.is_dir() else [])
            if not is_chinese_file(path)]


def read_stories(root: Path, verdicts_folder: Path | None, paths: list[Path], claims) -> tuple[dict, dict]:
    """In the worker: what loader.read_story gives for the story files, from the first on, with their texts,
    and the allowlist verdicts it used (read from ``verdicts_folder``'s cache or made)."""
    from . import sanitize

    with sanitize.verdicts_kept_in(verdicts_folder, save=False) as verdicts:
        out = read_claimed(root, paths, claims, range(len(paths)), WORKER)
    return out, (verdicts.used if verdicts is not None else {})


def read_claimed(root: Path, paths: list[Path], claims, order: Iterable[int], mark: int) -> dict:
    """rel -> (text, loader.read_story's result) of each file of ``paths`` in ``order``, each first marked in
    ``claims`` as this process's, up to the first the other process has marked: the worker reads from the
    front, the parent from the back, and they stop where they meet. Every file is read by one of them (a
    file both reach at once is read twice, to the same result); one that cannot be read is left out, for the
    load to read and report."""
    from .loader import read_story

    out = {}
    for index in order:
        if claims[index]:
            break
        claims[index] = mark
        path = paths[index]
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        rel = path.relative_to(root).as_posix()
        out[rel] = (text, read_story(text, rel))
    return out
