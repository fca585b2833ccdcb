"""Both editions of the mini fixture archive, as ``make site`` builds them: offline first, then the site,
each in English and then in Chinese (into its zh/ folder).

The fixture gets a little more Chinese here (in its temporary copy, never in
tests/fixtures/): a registered place whose name default jieba splits (积石山县),
named in the middle of a Chinese sentence of one story, and a person's Chinese
alias; in Chinese, the same sentence in the Chinese of that story, and one story
(Delta) left without its Chinese, which the Chinese edition shows in English, marked.
The offline edition uses the repository's own mkdocs-offline.yml and mkdocs-offline-zh.yml.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import yaml
from support import REPO, make_archive, run_mkdocs

ZIP = "dist/mini-offline.zip"
CHINESE_SENTENCE = "工人们从积石山县来到厦门的工厂上班，带来了新的雨具订单。"

EXTRA_PLACES = """
- id: jishishan
  name: Jishishan County
  name_zh: 积石山县
  kind: county
  within: linxia
"""
EXTRA_PEOPLE = """
- id: ma-lan
  name: Ma Lan
  role: Workshop leader
  role_zh: 车间负责人
  aliases: [马兰花]
  sources: [src#part-b]
"""


@dataclass
class Editions:
    root: Path
    site: Path  # the normal build (directory URLs); its Chinese edition is site / "zh"
    offline: Path  # the offline build (file://); its Chinese edition is offline / "zh"
    zip: Path
    outputs: dict[str, str]


def add_chinese(root: Path) -> None:
    with open(root / "data" / "places.yml", "a", encoding="utf-8") as f:
        f.write(EXTRA_PLACES)
    with open(root / "data" / "people.yml", "a", encoding="utf-8") as f:
        f.write(EXTRA_PEOPLE)
    story = root / "stories" / "three" / "epsilon.md"
    story.write_text(story.read_text(encoding="utf-8") + f"\n{CHINESE_SENTENCE}\n", encoding="utf-8")
    story = root / "stories" / "three" / "epsilon.zh.md"
    story.write_text(story.read_text(encoding="utf-8") + f"\n{CHINESE_SENTENCE}\n", encoding="utf-8")
    (root / "stories" / "two" / "delta.zh.md").unlink()


def build_editions(root: Path) -> Editions:
    make_archive(root)
    add_chinese(root)
    config_path = root / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config.setdefault("extra", {})["offline_zip"] = ZIP
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for name in ("mkdocs-offline.yml", "mkdocs-offline-zh.yml"):
        shutil.copy(REPO / name, root / name)

    offline = run_mkdocs(root, "-f", "mkdocs-offline.yml")
    assert offline.returncode == 0, offline.output
    offline_zh = run_mkdocs(root, "-f", "mkdocs-offline-zh.yml")
    assert offline_zh.returncode == 0, offline_zh.output
    packed = subprocess.run([sys.executable, "-m", "docarchive", "zip", "site-offline", ZIP],
                            cwd=root, capture_output=True, text=True, timeout=120)
    assert packed.returncode == 0, packed.stdout + packed.stderr
    site = run_mkdocs(root)
    assert site.returncode == 0, site.output
    site_zh = run_mkdocs(root, "-f", "mkdocs-zh.yml")
    assert site_zh.returncode == 0, site_zh.output
    return Editions(root, root / "site", root / "site-offline", root / ZIP,
                    {"offline": offline.output, "site": site.output, "zip": packed.stdout,
                     "offline_zh": offline_zh.output, "site_zh": site_zh.output})


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Server:
    """The built site over http://127.0.0.1 on a free port, in a thread."""

    def __init__(self, directory: Path):
        handler = functools.partial(QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
