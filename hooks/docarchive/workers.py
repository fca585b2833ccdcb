"""The process pool that makes photos' derivatives on a cold build.

"spawn", not "fork": ``mkdocs serve`` has threads running, and forking a
threaded process can deadlock. Spawned workers import the package by name and
need no sys.path patching: the package is installed (``pip install -e .``, as
``make`` does), and spawn hands them this process's sys.path besides. When
no worker can start (a sandbox without
semaphores, say), the remaining jobs run in this process.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import BrokenExecutor, as_completed
from typing import Callable

log = logging.getLogger("mkdocs.hooks.archive")
MAX_WORKERS = 2


def worker_count(jobs: int, workers: int | None) -> int:
    """How many processes for ``jobs`` jobs: ``workers``, or one per CPU up to MAX_WORKERS."""
    if workers is None:
        try:
            cpus = len(os.sched_getaffinity(0))
        except AttributeError:  # not on Linux
            cpus = os.cpu_count() or 1
        workers = min(MAX_WORKERS, cpus)
    return max(1, min(workers, jobs))


def run_all(jobs: dict[str, tuple], function: Callable, count: int, done: Callable[[str, object], None],
            failed: Callable[[str, BaseException], Exception], executor=None) -> None:
    """Run ``function(*jobs[key])`` for every key, handing each result to ``done(key, result)`` as it comes.

    With ``count`` > 1 the jobs go to a pool of ``count`` spawned processes. A job that
    raises stops the run: ``failed(key, exc)`` makes the exception that is raised.
    """
    finished: set[str] = set()
    if count > 1:
        import multiprocessing  # here, with the pool: a build whose photos are all made imports neither
        if executor is None:
            from concurrent.futures import ProcessPoolExecutor as executor
        try:
            with executor(count, mp_context=multiprocessing.get_context("spawn")) as pool:
                futures = {pool.submit(function, *args): key for key, args in jobs.items()}
                for future in as_completed(futures):
                    key = futures[future]
                    try:
                        result = future.result()
                    except BrokenExecutor:
                        raise
                    except Exception as exc:  # noqa: BLE001 - reported with the job's name
                        for other in futures:
                            other.cancel()
                        raise failed(key, exc) from exc
                    finished.add(key)
                    done(key, result)
        except (BrokenExecutor, OSError) as exc:  # no worker could start: carry on in this process
            log.info("photos: no process pool (%s); encoding in this process", exc)
    for key, args in jobs.items():
        if key in finished:
            continue
        try:
            result = function(*args)
        except Exception as exc:  # noqa: BLE001 - reported with the job's name
            raise failed(key, exc) from exc
        finished.add(key)
        done(key, result)
