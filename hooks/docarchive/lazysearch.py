"""The search index loads when a reader first opens search, and once per version of the index.

Material 9.8.1's bundle loads the whole index (``search/search_index.json``,
3.7 MB at 1,000 stories) as every page starts, because its search-highlight
feature and, over http, its search worker subscribe to it at once. The bundle
has one function that loads the index, with no option to change it; this
module makes that function call ``__docarchive_search_index`` instead, defined
by the theme's ``assets/javascripts/search-index.js`` (loaded before the
bundle), which waits for the reader to open search and then loads the index
from the browser's cache when it can. The rewrite matches the function by what
it does (loading search_index.js from file://, search_index.json otherwise),
keeps the original as a fallback when the script is missing, and reports when
a Material release no longer has that function, so that it is never applied
blindly.

``write_version`` writes ``search/search_index.version``: a hash of the index,
which the script puts in the index's URL, so that a cached index is used until
the archive changes. Pure functions over a built site folder, run after each build.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

INDEX = "search/search_index.json"
VERSION = "search/search_index.version"
LOADER = "__docarchive_search_index"
BUNDLES = "assets/javascripts/bundle.*.min.js"

# Material's loader, e.g. function ks(){return location.protocol==="file:"?_t(`${new URL(
# "search/search_index.js",Or.base)}`).pipe(m(()=>__index),Z(1)):ze(new URL("search/search_index.json",Or.base))}
_MATERIAL_LOADER = re.compile(
    r'function (?P<name>[\w$]+)\(\)\{return (?P<body>location\.protocol==="file:"\?'
    r'[^;]{0,200}?"search/search_index\.js",(?P<config>[\w$]+)\.base\)[^;]{0,80}?__index'
    r'[^;]{0,80}?"search/search_index\.json",(?P=config)\.base\)\))\}')


def lazy_loader(bundle: str) -> tuple[str, int]:
    """``bundle`` with Material's index loader handing over to the theme's script, and the number of loaders found."""
    found = list(_MATERIAL_LOADER.finditer(bundle))
    if len(found) != 1:
        return bundle, len(found)
    match = found[0]
    replacement = (f"function {match['name']}(){{return typeof {LOADER}==\"function\""
                   f"?{LOADER}({match['config']}.base):{match['body']}}}")
    return bundle[:match.start()] + replacement + bundle[match.end():], 1


def defer_index(site_dir: Path) -> list[str]:
    """Rewrite the index loader in the site's Material bundle; return the problems (empty when it worked)."""
    bundles = sorted(Path(site_dir).glob(BUNDLES))
    if not bundles:
        return [f"no Material bundle ({BUNDLES}) in the site"]
    problems = []
    for path in bundles:
        text = path.read_text(encoding="utf-8")
        if LOADER in text:  # already rewritten (a dirty rebuild that kept the file)
            continue
        new, found = lazy_loader(text)
        if found != 1:
            problems.append(f"{path.name}: found {found} search-index loaders, expected 1")
            continue
        path.write_text(new, encoding="utf-8")
    return problems


def write_version(site_dir: Path) -> str | None:
    """Write the index's version (a hash of its bytes) beside it; ``None`` when the site has no index."""
    index = Path(site_dir) / INDEX
    if not index.is_file():
        return None
    version = hashlib.sha256(index.read_bytes()).hexdigest()[:16]
    (Path(site_dir) / VERSION).write_text(version + "\n", encoding="utf-8")
    return version
