"""What the tests know of the source without holding its text: a fingerprint and the glossary's Chinese terms.

The archive's only source (``../shared/seeds/``) is not part of the repository and
may be missing where the tests run (CI). Two facts derived from it are committed
instead, and ``tools/update-source-facts.py`` makes them again from the seed:

- ``tests/fixtures/source-ngrams.sha256``: the fingerprint used by the copy check,
  one line per distinct run of ``N`` words of the source (lowercased, letters and
  digits only), the first 16 hex digits of the SHA-256 of the run's words joined
  by single spaces, sorted. A run cannot be read back from its hash, and 64 bits
  make a false match between the archive's and the source's few thousand runs
  practically impossible.
- ``tests/fixtures/glossary-zh.txt``: the Chinese column of the seed README's
  glossary (terms, not sentences), sorted, for the names check of the Chinese text.

Where the seed is present, tests compare both files with it (test_archive_content.py).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SEED_NAME = "000_df44da0f92d277fe.txt"
FINGERPRINT = FIXTURES / "source-ngrams.sha256"
GLOSSARY = FIXTURES / "glossary-zh.txt"
N = 14  # words in a run: longer than an official title or a name, shorter than most sentences
HEX_DIGITS = 16


def seed_file() -> Path:
    """The archive's only source text: in $SEEDS_DIR if set, else in shared/seeds/ beside the
    repository (or beside the folder of its worktrees)."""
    if os.environ.get("SEEDS_DIR"):
        return Path(os.environ["SEEDS_DIR"]) / SEED_NAME
    folders = [REPO.parent / "shared" / "seeds", REPO.parent.parent / "shared" / "seeds"]
    return next((f / SEED_NAME for f in folders if (f / SEED_NAME).is_file()), folders[0] / SEED_NAME)


def runs(text: str, n: int = N) -> set[str]:
    """Every run of ``n`` words in a row, normalised: lowercase letters and digits, single spaces."""
    tokens = re.findall(r"[a-z0-9]+", text.lower())
    return {" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)}


def run_hash(run: str) -> str:
    return hashlib.sha256(run.encode("utf-8")).hexdigest()[:HEX_DIGITS]


def fingerprint(text: str) -> list[str]:
    return sorted({run_hash(run) for run in runs(text)})


def copied_runs(text: str, hashes: set[str]) -> list[str]:
    """The runs of ``text`` (outside quotation marks) whose hash is in the source's fingerprint."""
    quoted = re.compile(r'"[^"\n]*"|“[^”\n]*”')
    return sorted(run for run in runs(quoted.sub(" zzquotedzz ", text)) if run_hash(run) in hashes)


def glossary_terms(readme: Path) -> list[str]:
    """The Chinese column of the seed README's glossary table (``| in the source | means | Chinese |``)."""
    han = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
    terms = set()
    for line in readme.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and han.search(cells[2]):
            terms.update(part.strip() for part in re.split(r"[,/，、]", cells[2]) if han.fullmatch(part.strip()))
    return sorted(terms)


def read_list(path: Path) -> list[str]:
    """A committed list: its lines, without the '#' comment lines of its header."""
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line and not line.startswith("#")]


def list_text(header: str, items: list[str]) -> str:
    return "".join(f"# {line}\n" for line in header.splitlines()) + "".join(f"{item}\n" for item in items)


FINGERPRINT_HEADER = (f"The copy check's fingerprint of {SEED_NAME}: the first {HEX_DIGITS} hex digits of the SHA-256\n"
                      f"of each run of {N} words (lowercase a-z0-9, single spaces), sorted. Not the text.\n"
                      "Made by tools/update-source-facts.py; see tests/source_facts.py.")
GLOSSARY_HEADER = ("The Chinese terms of the glossary in ../shared/seeds/README.md, sorted.\n"
                   "Made by tools/update-source-facts.py; see tests/source_facts.py.")


def fingerprint_file_text(seed: Path) -> str:
    return list_text(FINGERPRINT_HEADER, fingerprint(seed.read_text(encoding="utf-8")))


def glossary_file_text(readme: Path) -> str:
    return list_text(GLOSSARY_HEADER, glossary_terms(readme))
