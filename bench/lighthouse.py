"""Lighthouse scores (mobile) of built pages, served over http with gzip.

Not a test. Serves a built site from http://127.0.0.1 with a small stdlib
server that gzips text responses (level 6, as web servers do), runs the pinned
Lighthouse CLI (package.json; ``npm ci`` installs it) once per page with
Debian's chromium (``CHROME_PATH``, never a browser download), and prints the
four category scores per page, the performance metrics, and every audit that
cost points.

Lighthouse's default settings are its mobile preset (a Moto G Power screen,
simulated slow 4G and a 4x slower CPU); ``--desktop`` runs its desktop preset.

A published site has an address (``site_url``): its canonical and hreflang links
are absolute, as search engines require. So ``--archive`` and ``--synthetic``
build a copy with ``site_url`` set to the address it is then served from;
``--site`` audits a folder as it was built (without ``site_url``, Lighthouse's
hreflang audit fails its relative links).

    .venv/bin/python bench/lighthouse.py --archive .                # each page kind, English and /zh/
    .venv/bin/python bench/lighthouse.py --synthetic 1000           # a story page of 1,000 stories
    .venv/bin/python bench/lighthouse.py --site site --pages about/ zh/about/

``make lighthouse`` runs the first two (about ten minutes on 2 cores).
Prints Markdown: a table of scores, then the failing audits under it.
"""

from __future__ import annotations

import argparse
import gzip
import http.server
import json
import mimetypes
import os
import platform
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "bench"), str(REPO / "tests")]
import bench_reader  # noqa: E402  (its server, with our gzip handler)
from support import REAL_PAGE_KINDS  # noqa: E402
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time",
           "cumulative-layout-shift", "speed-index")
# One page of each kind in the real archive, in English and in the Chinese edition.
KINDS = REAL_PAGE_KINDS
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/xml", "image/svg+xml",
                "application/manifest+json")


# ------------------------------------------------------------------ the gzip server


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files as a web server sends them: text gzipped when the client accepts it, 404.html for a miss."""

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self._respond(head=True)

    def do_GET(self):
        self._respond(head=False)

    def _respond(self, head: bool) -> None:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urllib.parse.urlsplit(self.path).path.endswith("/"):
                self.send_response(301)
                self.send_header("Location", urllib.parse.urlsplit(self.path).path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            path = path / "index.html"
        status = 200
        if not path.is_file():
            status, path = 404, Path(self.directory) / "404.html"
        body = path.read_bytes() if path.is_file() else b"not found"
        ctype = self.guess_type(str(path))
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if ctype.startswith(COMPRESSIBLE):
            self.send_header("Vary", "Accept-Encoding")
            if "gzip" in self.headers.get("Accept-Encoding", ""):
                body = gzip.compress(body, compresslevel=6)
                self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(site_dir: Path, port: int = 0):
    """``site_dir`` over http://127.0.0.1 on ``port`` (0: a free one), gzipped, for the length of the ``with``."""
    mimetypes.add_type("application/javascript", ".js")
    mimetypes.add_type("application/manifest+json", ".webmanifest")
    return bench_reader.serve(site_dir, handler=GzipHandler, port=port)


# ------------------------------------------------------------------ one Lighthouse run


@dataclass
class Result:
    page: str
    scores: dict[str, int]  # category -> 0..100
    metrics: dict[str, str]  # metric id -> displayed value
    failing: dict[str, list[str]] = field(default_factory=dict)  # category -> "audit-id (score): title"


def lighthouse(url: str, desktop: bool = False) -> dict:
    """The JSON report of one Lighthouse run on ``url``."""
    if not LIGHTHOUSE.exists():
        raise SystemExit(f"{LIGHTHOUSE} is missing: run npm ci (or make .venv/.test-installed)")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        command = [str(LIGHTHOUSE), url, f"--only-categories={','.join(CATEGORIES)}", "--output=json",
                   f"--output-path={out}", "--quiet", "--no-enable-error-reporting",
                   "--chrome-flags=--headless=new --no-sandbox --disable-gpu"]
        if desktop:
            command.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", CHROMIUM), "TMPDIR": tmp}
        proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
        if proc.returncode != 0 or not out.exists():
            raise SystemExit(f"lighthouse failed on {url}:\n{proc.stderr[-3000:]}")
        return json.loads(out.read_text(encoding="utf-8"))


def summarise(page: str, report: dict) -> Result:
    """Scores, metrics, and the weighted audits that lost points, from one report."""
    categories, audits = report["categories"], report["audits"]
    scores = {c: round((categories[c]["score"] or 0) * 100) for c in CATEGORIES}
    metrics = {m: audits[m].get("displayValue", "") for m in METRICS if m in audits}
    failing = {}
    for c in CATEGORIES:
        lost = []
        passing = 0.9 if c == "performance" else 1  # the metrics' values are in the table: name the slow ones
        for ref in categories[c]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < passing:
                lost.append(f"{ref['id']} ({audit['score']:.2f}): {audit['title']}{_items(audit)}")
        if lost:
            failing[c] = lost
    return Result(page, scores, metrics, failing)


def _items(audit: dict, limit: int = 3) -> str:
    """A few of the elements an audit names, so that the table says where to look."""
    items = (audit.get("details") or {}).get("items") or []
    snippets = []
    for item in items[:limit]:
        node = item.get("node") or (item["source"] if isinstance(item.get("source"), dict) else {})
        label = node.get("selector") or node.get("snippet") or item.get("url") or ""
        if label:
            snippets.append(str(label)[:90])
    return f" [{'; '.join(snippets)}]" if snippets else ""


def audit_pages(site_dir: Path, pages: dict[str, str], desktop: bool, keep: Path | None = None,
                port: int = 0, runs: int = 1) -> list[Result]:
    """Each page's scores (of the median of ``runs``); with ``keep``, each full JSON report is written there too."""
    results = []
    with serve(site_dir, port) as base:
        for label, page in pages.items():
            if not (site_dir / page / "index.html").is_file():
                raise SystemExit(f"{site_dir / page}index.html is missing: build the site first (make site)")
            reports = sorted((lighthouse(base + page, desktop) for _ in range(runs)),
                             key=lambda r: r["categories"]["performance"]["score"] or 0)
            report = reports[len(reports) // 2]  # the median run by performance, as Lighthouse advises
            if keep:
                keep.mkdir(parents=True, exist_ok=True)
                name = "".join(ch if ch.isalnum() else "-" for ch in label).strip("-") or "home"
                (keep / f"{name}.json").write_text(json.dumps(report), encoding="utf-8")
            result = summarise(label, report)
            print(f"  {label}: {' '.join(str(result.scores[c]) for c in CATEGORIES)}", file=sys.stderr, flush=True)
            results.append(result)
    return results


# ------------------------------------------------------------------ the sites, built with an address


def set_site_url(config: Path, url: str) -> None:
    text = config.read_text(encoding="utf-8")
    text, found = re.subn(r"^#? ?site_url:.*$", f"site_url: {url}", text, count=1, flags=re.M)
    config.write_text(text if found else f"site_url: {url}\n{text}", encoding="utf-8")


def synthetic_site(n: int, tmp: Path, url: str) -> Path:
    """bench/bench_build.py's archive of ``n`` generated stories, built at ``url``; returns its site/."""
    from bench_build import ENV, make_archive_with

    root = make_archive_with(n, tmp / f"a{n}")
    set_site_url(root / "mkdocs.yml", url)
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=root, env=ENV,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"build of the {n}-story archive failed:\n{proc.stdout}{proc.stderr}")
    return root / "site"


ARCHIVE_PARTS = ("docs", "stories", "photos", "data", "hooks")  # linked, read-only; .cache is copied


def archive_site(archive: Path, tmp: Path, url: str) -> Path:
    """The archive at ``archive`` (both editions, as ``make site``), built at ``url``; returns the site folder."""
    root = tmp / "archive"
    root.mkdir()
    for name in ARCHIVE_PARTS:
        if (archive / name).exists():
            (root / name).symlink_to((archive / name).resolve())
    for config in archive.glob("mkdocs*.yml"):
        shutil.copy(config, root / config.name)
    set_site_url(root / "mkdocs.yml", url)
    if (archive / ".cache").is_dir():  # photo derivatives, jieba, citations: not this benchmark's subject
        shutil.copytree(archive / ".cache", root / ".cache", symlinks=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    zips = sorted((archive / "dist").glob("*-offline.zip"))
    if zips:  # the footer links the offline edition, as on the published site
        env["DOCARCHIVE_OFFLINE_ZIP"] = str(zips[0].resolve())
    proc = subprocess.run([sys.executable, "-m", "docarchive", "editions", str(root)], env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"build of {archive} failed:\n{proc.stdout}{proc.stderr}")
    return root / ".site-build"


# ------------------------------------------------------------------ the report


def table(results: list[Result]) -> str:
    lines = ["| page | performance | accessibility | best practices | SEO | FCP | LCP | TBT | CLS |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        scores = " | ".join(str(r.scores[c]) for c in CATEGORIES)
        metrics = " | ".join(r.metrics.get(m, "-") for m in METRICS[:4])
        lines.append(f"| {r.page} | {scores} | {metrics} |")
    return "\n".join(lines)


def failures(results: list[Result]) -> str:
    lines = []
    for r in results:
        for category, lost in r.failing.items():
            for audit in lost:
                lines.append(f"- {r.page}, {category}: {audit}")
    return "\n".join(lines) or "- none: every weighted audit passed on every page."


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    version = subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True).stdout.strip()
    return (f"Lighthouse {version}, {os.cpu_count()} CPUs ({platform.machine()}), load average {load}, "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")


def real_pages(site_dir: Path) -> dict[str, str]:
    pages = {label: page for label, page in KINDS.items()}
    if (site_dir / "zh").is_dir():
        pages.update({f"{label} (zh)": f"zh/{page}" for label, page in KINDS.items()})
    return pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archive", type=Path, help="build this archive (its mkdocs.yml's folder) and audit it")
    parser.add_argument("--site", type=Path, help="audit a folder as built (site/ after make site)")
    parser.add_argument("--pages", nargs="*", help="pages to audit (default: one of each kind, English and zh/)")
    parser.add_argument("--synthetic", type=int, metavar="N", help="also a story page of an N-story synthetic archive")
    parser.add_argument("--desktop", action="store_true", help="Lighthouse's desktop preset instead of mobile")
    parser.add_argument("--json-dir", type=Path, help="keep each page's full Lighthouse report (JSON) here")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; the median by performance is shown")
    args = parser.parse_args()
    if not (args.site or args.archive or args.synthetic):
        parser.error("give --archive DIR, --site DIR or --synthetic N")
    started = machine()
    results = []
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.synthetic:
            port = free_port()
            site = synthetic_site(args.synthetic, tmp, f"http://127.0.0.1:{port}/")
            results += audit_pages(site, {f"story of {args.synthetic:,}": "stories/one/bench-0/"}, args.desktop,
                                   args.json_dir, port, args.runs)
        for folder, build in ((args.archive, True), (args.site, False)):
            if folder is None:
                continue
            port = free_port()
            site = archive_site(folder, tmp, f"http://127.0.0.1:{port}/") if build else folder
            pages = {f"/{p}": p for p in args.pages} if args.pages else real_pages(site)
            results += audit_pages(site, pages, args.desktop, args.json_dir, port, args.runs)
    runs = f", median of {args.runs} runs" if args.runs > 1 else ""
    print(f"{started}, {'desktop' if args.desktop else 'mobile'} preset, gzip{runs}:\n")
    print(table(results) + "\n\nAudits that cost points:\n\n" + failures(results))


if __name__ == "__main__":
    main()
