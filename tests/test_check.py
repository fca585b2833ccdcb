"""`docarchive check` (and `make check`): validate without building; --strict fails on warnings."""

from __future__ import annotations

import subprocess
import sys

from support import REPO


def check(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docarchive", "check", *args], capture_output=True, text=True,
                          timeout=120)


def add_typo(archive) -> None:
    story = archive / "stories" / "one" / "beta.md"
    story.write_text(story.read_text(encoding="utf-8").replace("featured: false", "featurd: false"), encoding="utf-8")


def test_a_clean_archive_passes_with_its_counts(archive):
    for args in ((str(archive),), (str(archive), "--strict")):
        proc = check(*args)
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.startswith("ok: 3 stages, 6 stories, 3 photos,") and proc.stderr == ""


def test_a_warning_passes_plainly_and_fails_strict(archive):
    add_typo(archive)
    warning = "WARNING stories/one/beta.md:12: featurd: unknown field for a story - did you mean 'featured'?"
    plain, strict = check(str(archive)), check(str(archive), "--strict")
    assert plain.returncode == 0 and warning in plain.stderr
    assert strict.returncode == 1 and warning in strict.stderr


def test_an_error_fails_and_names_every_problem(archive):
    add_typo(archive)
    story = archive / "stories" / "two" / "gamma.md"
    story.write_text(story.read_text(encoding="utf-8").replace("stage: two", "stage: roots"), encoding="utf-8")
    proc = check(str(archive))
    assert proc.returncode == 1 and proc.stdout == ""
    assert "stories/two/gamma.md:3: stage: 'roots' is not a stage - use one of one, two, three" in proc.stderr
    assert "stories/one/beta.md:12: featurd: unknown field" in proc.stderr


def test_the_real_archive_has_no_error():
    proc = check(str(REPO))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("ok: 5 stages,")
