"""The build's child processes (docarchive.forked): a build that fails leaves none behind, running or unreaped,
and returns even when a child would never end; page names sent to a helper that is not reading yet never
hold the build up.

The failing builds run in a fresh process (a subprocess with a generous timeout, so that a hang fails the
test rather than the run), which lists its own children from /proc once the build has failed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest
from support import REPO, make_archive

from docarchive import forked, offload

FAILING_BUILD = r"""
import os, sys
from mkdocs.commands import build as mkdocs_build
from mkdocs.config import load_config
from docarchive import forked, mkdocs_glue, offload, render

def fails(*args):
    raise RuntimeError("the build fails here")

where = sys.argv[1]
if where == "page_content":  # before on_env: readahead's worker has not been closed yet, prerender's is running
    render.page_body = fails
else:  # in the pages' writing: the helper has started, and never ends by itself
    mkdocs_glue.ArchiveBuild.post_page = fails
    offload.Offload.command = [sys.executable, "-c", "import threading; threading.Event().wait()"]
    forked.TIMEOUT = 0.5
config = load_config("mkdocs.yml")
config.plugins.on_startup(command="build", dirty=False)
try:
    mkdocs_build.build(config)
except RuntimeError as exc:
    print("failed:", exc)
me = str(os.getpid())
children = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
        command = cmdline.read().replace(b"\0", b" ").decode()
    # Python's own multiprocessing resource tracker (started by a library) lives as long as this process
    if fields[1] == me and "multiprocessing.resource_tracker" not in command:
        children.append(f"{pid} {fields[0]} {command}")  # state Z: ended, not reaped
print("children:", children)
"""


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="lists children from /proc (Linux)")
@pytest.mark.parametrize("where", ["page_content", "post_page"])
def test_a_failed_build_leaves_no_child_process(tmp_path, where):
    root = make_archive(tmp_path / "archive")
    env = {**os.environ, "PYTHONPATH": str(REPO / "hooks"), "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run([sys.executable, "-c", FAILING_BUILD, where], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "failed: the build fails here" in proc.stdout, proc.stdout + proc.stderr
    assert "children: []" in proc.stdout, proc.stdout + proc.stderr


def test_page_names_for_a_helper_not_reading_yet_never_hold_the_build_up(tmp_path, monkeypatch):
    """The helper reads the names only once its files are written: here it waits at a gate (a FIFO) until
    more than five pipes' worth of names (64 KB each) have been told, then checks every page."""
    site = tmp_path / "site"
    site.mkdir()
    names = [f"page-{n:05d}-{'x' * 90}.html" for n in range(4000)]
    for name in names:
        (site / name).write_text(f'<p>{name}</p><img src="https://cdn.example.org/{name}.png" alt="">\n')
    gate = tmp_path / "gate"
    os.mkfifo(gate)
    gated = f"open({str(gate)!r}, 'rb').read(); import sys; from docarchive import offload; sys.exit(offload.main())"
    monkeypatch.setattr(offload.Offload, "command", [sys.executable, "-c", gated])
    helper = offload.Offload(str(site), [])
    assert helper.start()
    with open(gate, "wb"):  # opens once the helper is waiting at the gate; closed, the gate opens
        told = threading.Thread(target=lambda: [helper.page_written(str(site / name)) for name in names])
        told.start()
        told.join(timeout=300)  # a build stalled on a full pipe would still be here
        assert not told.is_alive(), "page_written waited for the helper"
        assert sum(len(name) + 1 for name in names) > 5 * 65536 and len(helper._unsent) > 0
    outcome = helper.finish()
    assert outcome.complete and sorted(outcome.fetches) == names
    assert all(urls == [f"https://cdn.example.org/{name}.png"] for name, urls in outcome.fetches.items())
    assert helper not in forked.still_running()
