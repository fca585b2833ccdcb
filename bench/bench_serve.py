"""The live preview's answer to a save: seconds from saving one story to its page being served with the change.

Not a test. Starts ``mkdocs serve`` on an archive (by default a synthetic one of
N stories from bench_build.py), waits for its first build, appends a sentence
to one story and polls that story's page until the sentence is there. Prints
the time from the save to the changed page and the rebuild's own log line
(pages made and reused).

    .venv/bin/python bench/bench_serve.py [N]

``edit_latency`` is the function bench/bench_build.py's table calls.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_build import make_archive_with  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _served(url: str, marker: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return marker in response.read().decode("utf-8")
    except OSError:
        return False


def edit_latency(root: Path, story: str = "stories/one/bench-0.md", page: str = "stories/one/bench-0/",
                 timeout: float = 600) -> dict:
    """Seconds from a one-story save to its page served changed, under ``mkdocs serve`` on ``root``."""
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    threading.Thread(target=lambda: lines.extend(line.rstrip() for line in proc.stdout), daemon=True).start()
    try:
        deadline = time.monotonic() + timeout
        while not any("Documentation built in" in line for line in lines):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("\n".join(lines[-20:]))
            time.sleep(0.2)
        first_build = next(line for line in lines if "Documentation built in" in line)
        time.sleep(1.5)  # let the watcher settle after the first build
        marker = f"Edited for the benchmark at {time.time():.0f}."
        path = root / story
        saved = time.perf_counter()
        path.write_text(path.read_text(encoding="utf-8") + f"\n{marker}\n", encoding="utf-8")
        url = f"http://127.0.0.1:{port}/{page}"
        while not _served(url, marker):
            if time.monotonic() > deadline:
                raise RuntimeError("the edit never reached the page:\n" + "\n".join(lines[-20:]))
            time.sleep(0.05)
        seconds = time.perf_counter() - saved
        rebuild = [line for line in lines if "Live preview:" in line or "Documentation built in" in line][-2:]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return {"seconds": seconds, "first_build": first_build.split("INFO")[-1].strip(" -"),
            "rebuild": [line.split("INFO")[-1].strip(" -") for line in rebuild]}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as tmp:
        root = make_archive_with(n, Path(tmp) / f"a{n}")
        result = edit_latency(root)
    print(f"{n} stories: first build: {result['first_build']}; a one-story save served in "
          f"{result['seconds']:.2f} s ({'; '.join(result['rebuild'])})")


if __name__ == "__main__":
    main()
