"""Golden bad-input cases: each folder in tests/golden/ holds files that overlay the
mini fixture archive, and ``expected.txt``: the exact report lines the run must print.

To add a case: make a folder with the bad file(s) at their archive paths, then write
expected.txt by hand (or run this file with UPDATE_GOLDEN=1 and review the result).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from conftest import make_archive

from docarchive import images
from docarchive.model import load_archive
from docarchive.problems import ContentError

GOLDEN = Path(__file__).parent / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if p.is_dir())


def report_for(root: Path, untranslated: bool = True) -> list[str]:
    """The run's report; ``untranslated=False`` leaves out the warnings about missing Chinese."""
    try:
        archive = load_archive(root, inspect_image=images.inspect)
    except ContentError as exc:
        return [str(p) if p.is_error else f"WARNING {p}" for p in exc.problems]
    warnings = set(archive.warnings) | (set(archive.untranslated) if untranslated else set())
    return [f"WARNING {w}" for w in sorted(warnings)]


@pytest.mark.parametrize("case", CASES)
def test_golden_case(case, tmp_path):
    root = make_archive(tmp_path / "archive")
    case_dir = GOLDEN / case
    for path in case_dir.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = root / path.relative_to(case_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    # A new English file has no Chinese: only the zh-* cases, about the Chinese, report that.
    lines = report_for(root, untranslated=case.startswith("zh-"))
    expected_file = case_dir / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        expected_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert lines == expected


def test_every_golden_case_has_expected_output():
    for case in CASES:
        assert (GOLDEN / case / "expected.txt").is_file(), f"{case} has no expected.txt"


def test_clean_fixture_has_no_problems(archive):
    assert report_for(archive) == []
