"""Serve benchmark: where the time goes between saving one story and the served page showing it.

Not a test. Makes the synthetic archive of N stories (bench_build's generator),
runs ``mkdocs serve`` with the Makefile's flags (as ``make serve`` does), waits
for the first build, then saves one story's title several times, one save at a
time. For each save it prints, in wall seconds from the save:

- ``detected``: MkDocs' watcher saw the change (its polling, then its 0.1 s quiet wait);
- ``built``: the rebuild finished (MkDocs logs "Reloading browsers");
- ``page``: an HTTP client polling the story's URL got the page with the new title;

and the serve process's CPU seconds (user + system) from the save to the page, and
the load average then (the machine may be shared: CPU time is the steadier figure).

    .venv/bin/python bench/bench_serve.py --stories 1000 --saves 3
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import ENV, fetch, free_port, make_archive_with, serve_arguments, story_text  # noqa: E402

TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of process ``pid`` and of its waited-for children (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / TICKS


class Server:
    """``mkdocs serve`` with the Makefile's flags; each output line kept with the time it arrived."""

    def __init__(self, root: Path, port: int):
        self.proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", *serve_arguments(),
                                      "-a", f"127.0.0.1:{port}"], cwd=root, env=ENV, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.lines: list[tuple[float, str]] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append((time.perf_counter(), line.rstrip("\n")))

    def first(self, text: str, after: float) -> float | None:
        return next((t for t, line in list(self.lines) if t >= after and text in line), None)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def one_save(server: Server, story: Path, url: str, n: int) -> dict:
    marker = f"Edited story {n} {time.time_ns()}"
    cpu0 = cpu_seconds(server.proc.pid)
    start = time.perf_counter()
    story.write_text(story_text("one", 0, title=marker), encoding="utf-8")
    while marker not in fetch(url):
        if time.perf_counter() - start > 300 or server.proc.poll() is not None:
            raise SystemExit("mkdocs serve never showed the edit:\n" + "\n".join(l for _, l in server.lines[-20:]))
        time.sleep(0.05)
    page = time.perf_counter() - start
    cpu = cpu_seconds(server.proc.pid) - cpu0
    time.sleep(0.5)  # the log line of the build's end may come just after the page
    detected, built = (server.first(text, start) for text in ("Detected file changes", "Reloading browsers"))
    made = next((line.split("Live preview: ", 1)[1] for t, line in server.lines if t >= start and "Live preview" in line), "")
    return {"detected": detected - start if detected else None, "built": built - start if built else None,
            "page": page, "cpu": cpu, "load": os.getloadavg()[0], "made": made}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--saves", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = make_archive_with(args.stories, Path(tmp) / "archive")
        port = free_port()
        url = f"http://127.0.0.1:{port}/stories/one/bench-0/"
        server = Server(root, port)
        try:
            start = time.perf_counter()
            while "Synthetic story 0" not in fetch(url):
                if server.proc.poll() is not None or time.perf_counter() - start > 900:
                    raise SystemExit("mkdocs serve did not serve " + url)
                time.sleep(0.2)
            print(f"{args.stories} stories; first build served after {time.perf_counter() - start:.1f} s; "
                  f"serve flags: {' '.join(serve_arguments())}")
            time.sleep(2)  # let the watcher settle after the first build
            rows = []
            for n in range(args.saves):
                row = one_save(server, root / "stories" / "one" / "bench-0.md", url, n)
                rows.append(row)
                print("save {}: detected {}, built {}, page {:.2f} s; CPU {:.2f} s; load {:.2f}; {}".format(
                    n + 1, *(f"{row[k]:.2f} s" if row[k] is not None else "-" for k in ("detected", "built")),
                    row["page"], row["cpu"], row["load"], row["made"]), flush=True)
                time.sleep(1)
            print(f"median: page {statistics.median(r['page'] for r in rows):.2f} s wall, "
                  f"CPU {statistics.median(r['cpu'] for r in rows):.2f} s")
        finally:
            server.stop()


if __name__ == "__main__":
    main()
