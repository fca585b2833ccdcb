"""Golden bad-input cases: each folder in tests/golden/ holds files that overlay the
mini fixture archive, and ``expected.txt``: the exact report lines the run must print.

To add a case: make a folder with the bad file(s) at their archive paths, then write
expected.txt by hand (or run this file with UPDATE_GOLDEN=1, which writes each expected.txt
and skips its comparison, then review the result with git diff). UPDATE_GOLDEN is refused
under CI: a golden written from the output would only compare the output with itself.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from support import REPO, make_archive, under_ci

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


def archive_with_case(case: str, tmp_path: Path) -> Path:
    """The fixture archive with the case's files laid over it (all but its expected.txt)."""
    root = make_archive(tmp_path / "archive")
    case_dir = GOLDEN / case
    for path in case_dir.rglob("*"):
        if path.is_file() and path.name != "expected.txt":
            target = root / path.relative_to(case_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    return root


@pytest.mark.parametrize("case", CASES)
def test_golden_case(case, tmp_path):
    root = archive_with_case(case, tmp_path)
    # A new English file has no Chinese: only the zh-* cases, about the Chinese, report that.
    lines = report_for(root, untranslated=case.startswith("zh-"))
    expected_file = GOLDEN / case / "expected.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        if under_ci():
            pytest.fail("UPDATE_GOLDEN is refused under CI: it would compare the output with itself")
        expected_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
        pytest.skip(f"UPDATE_GOLDEN: wrote {expected_file.relative_to(REPO)}; review it with git diff")
    expected = expected_file.read_text(encoding="utf-8").splitlines()
    assert lines == expected


def test_every_golden_case_has_expected_output():
    for case in CASES:
        assert (GOLDEN / case / "expected.txt").is_file(), f"{case} has no expected.txt"


def test_clean_fixture_has_no_problems(archive):
    assert report_for(archive) == []


REPORT_LINE = re.compile(r"^(?:WARNING )?(?P<path>[^:]+):(?P<line>\d+): (?P<field>[^:]+): (?P<message>.*)$")


@pytest.mark.parametrize("case", CASES)
def test_each_golden_line_points_at_the_line_to_fix(case):
    """A review of the goldens that cannot rot: each reported line holds what the report names.
    "contains 'X'" is on a line holding X; a field's problem is on the line of that field; a
    missing field is reported at its record, which really has no such field."""
    case_dir = GOLDEN / case
    for report in (case_dir / "expected.txt").read_text(encoding="utf-8").splitlines():
        found = REPORT_LINE.match(report)
        if not found or not (case_dir / found["path"]).is_file() or found["field"] in ("yaml", "front matter"):
            continue
        lines = (case_dir / found["path"]).read_text(encoding="utf-8").splitlines()
        number, field, message = int(found["line"]), found["field"], found["message"]
        text = lines[number - 1]
        record = [text]
        for following in lines[number:]:
            if following.startswith(("- ", "---")):
                break
            record.append(following)
        if message.startswith("required field is missing"):
            assert not any(re.match(rf"\s*(- )?{field}:", line) for line in record), report
        elif " has no Chinese for " in message:  # on the English field; no Chinese sibling follows it
            assert re.match(rf"\s*(- )?{field}:", text), report
            assert not any(re.match(rf"\s*{field}_zh:", line) for line in record), report
        elif message.startswith("contains '"):
            assert message.split("'")[1] in text, report
        else:
            assert re.match(rf"\s*(- )?{field}:", text), report


def test_update_golden_is_refused_under_ci():
    import subprocess
    import sys

    case = "timeline-bad-refs"
    before = (GOLDEN / case / "expected.txt").read_bytes()
    env = {**os.environ, "CI": "true", "UPDATE_GOLDEN": "1"}
    proc = subprocess.run([sys.executable, "-m", "pytest", f"tests/test_golden.py::test_golden_case[{case}]",
                           "-p", "no:cacheprovider"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
    assert (GOLDEN / case / "expected.txt").read_bytes() == before
    assert proc.returncode == 1 and "UPDATE_GOLDEN is refused under CI" in proc.stdout
