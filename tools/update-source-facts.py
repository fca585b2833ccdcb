#!/usr/bin/env python3
"""Make tests/fixtures/source-ngrams.sha256 and tests/fixtures/glossary-zh.txt again from the seed.

Usage: python tools/update-source-facts.py [SEEDS_FOLDER]
(default: $SEEDS_DIR, else ../shared/seeds/ beside the repository). Run it when the
seed or its README changes; the tests compare both files with the seed wherever it is present.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import source_facts as facts  # noqa: E402 - tests/ is put on the path just above


def main(argv: list[str]) -> int:
    seed = Path(argv[0]) / facts.SEED_NAME if argv else facts.seed_file()
    readme = seed.parent / "README.md"
    for path in (seed, readme):
        if not path.is_file():
            print(f"update-source-facts: {path} is missing - give the seeds folder as argument or set SEEDS_DIR",
                  file=sys.stderr)
            return 1
    facts.FINGERPRINT.write_text(facts.fingerprint_file_text(seed), encoding="utf-8")
    facts.GLOSSARY.write_text(facts.glossary_file_text(readme), encoding="utf-8")
    for path in (facts.FINGERPRINT, facts.GLOSSARY):
        print(f"wrote {path.relative_to(facts.REPO)} ({len(facts.read_list(path))} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
