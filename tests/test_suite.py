"""The suite itself cannot go silently green: CI=true turns skips into failures, `make test`
ends with the counts of tests run and skipped, and a run that collects nothing fails."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from support import REPO

RUN_TESTS = REPO / "tools" / "run-tests.sh"


def environment(**changes: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    for key, value in changes.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


@pytest.fixture
def skipping_suite(tmp_path):
    """A tiny suite with the project's conftest hooks: one test passes, one misses a checker."""
    (tmp_path / "conftest.py").write_text(
        "from support import pytest_make_collect_report, pytest_runtest_makereport  # noqa: F401\n")
    (tmp_path / "test_tiny.py").write_text(
        "from support import need\n\n"
        "def test_passes():\n    assert 1 + 1 == 2\n\n"
        "def test_needs_a_checker():\n    need(False, 'a checker that is not installed')\n")
    return tmp_path


def run_tests(args: list[str], env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(RUN_TESTS), *args, "-p", "no:cacheprovider"], capture_output=True,
                          text=True, timeout=600, env=env)


def test_without_ci_a_missing_checker_is_a_skip_and_the_last_line_counts_it(skipping_suite):
    env = environment(PYTHONPATH=str(REPO / "tests"))
    proc = run_tests([str(skipping_suite), "-rs"], env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.splitlines()[-1] == "tests: 1 tests run (1 passed, 0 failed, 0 errors), 1 skipped"
    assert "needs a checker that is not installed" in proc.stdout


def test_under_ci_every_skip_is_a_failure(skipping_suite):
    env = environment(PYTHONPATH=str(REPO / "tests"), CI="true")
    proc = run_tests([str(skipping_suite), "-rf"], env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "skipped under CI=true, which must test everything: needs a checker that is not installed" in proc.stdout
    assert proc.stdout.splitlines()[-1] == "tests: 2 tests run (1 passed, 1 failed, 0 errors), 0 skipped"


def test_under_ci_a_module_that_skips_itself_fails_the_run(skipping_suite):
    (skipping_suite / "test_module_skip.py").write_text(
        "import pytest\n\npytest.importorskip('no_such_module_for_the_suite_test')\n\n"
        "def test_never_runs():\n    pass\n")
    without = run_tests([str(skipping_suite)], environment(PYTHONPATH=str(REPO / "tests")))
    assert without.returncode == 0 and without.stdout.splitlines()[-1].endswith(", 2 skipped")
    under_ci = run_tests([str(skipping_suite)], environment(PYTHONPATH=str(REPO / "tests"), CI="true"))
    assert under_ci.returncode != 0
    assert "skipped under CI=true, which must test everything" in under_ci.stdout
    assert "no_such_module_for_the_suite_test" in under_ci.stdout


def test_a_run_that_collects_no_test_fails():
    proc = run_tests(["tests/test_docs.py", "-k", "no_test_has_this_name"], environment())
    assert proc.returncode == 5
    assert proc.stdout.splitlines()[-1] == ("tests: pytest collected no tests (exit code 5): nothing was tested, "
                                            "which is a failure")


# The real checkers, each pointed at a place where it is not: every test that needs one must
# fail under CI=true (and skip without it). Each asks for its checker before its build, so
# this costs a pytest start-up, not a build.
NEEDS_A_CHECKER = [
    "tests/test_checkers.py::test_nu_html_validator_finds_no_errors",
    "tests/test_checkers.py::test_axe_finds_no_serious_or_critical_violations",
    "tests/test_checkers.py::test_linkinator_finds_no_broken_links",
    "tests/test_real_site.py::test_real_site_has_no_broken_internal_link",
    "tests/test_real_site.py::test_the_chinese_hand_written_pages_pass_the_nu_validator",
    "tests/test_real_site.py::test_the_chinese_hand_written_pages_pass_axe",
    "tests/test_photo_pages.py::test_lightbox_by_keyboard_over_http",
    "tests/test_photo_pages.py::test_lightbox_by_keyboard_from_file",
    "tests/test_browser_search.py",
]
MISSING = {"CHROMIUM": "/nonexistent/chromium", "NODE_MODULES": "/nonexistent/node_modules"}
REASONS = ("Debian's chromium at /nonexistent/chromium", "npm vnu-jar", "npm axe-core", "npm linkinator")


@pytest.mark.parametrize("ci", [None, "true"])
def test_missing_checkers_skip_without_ci_and_fail_under_ci(ci):
    proc = subprocess.run([sys.executable, "-m", "pytest", *NEEDS_A_CHECKER, "-rfs", "-p", "no:cacheprovider"],
                          cwd=REPO, capture_output=True, text=True, timeout=600,
                          env=environment(CI=ci, **MISSING))
    summary = proc.stdout.splitlines()[-1]
    for reason in REASONS:
        assert reason in proc.stdout, reason
    if ci:
        # A checker asked for by a fixture fails the test in its setup, which pytest counts as an error.
        assert proc.returncode == 1 and (" failed" in summary or " error" in summary), summary
        assert "passed" not in summary and "skipped" not in summary
    else:
        assert proc.returncode == 0 and " skipped" in summary and "passed" not in summary and "failed" not in summary


# The source is known by committed facts (tests/source_facts.py): without ../shared/seeds/, under
# CI=true, the copy check and the names check of the Chinese still run and pass; only the two
# tests that compare those facts with the seed skip, visibly, and the run stays green.
USES_THE_SOURCE = [
    "tests/test_archive_content.py::test_no_sentence_is_copied_from_the_source",
    "tests/test_archive_content.py::test_the_copy_check_finds_a_sentence_of_the_source",
    "tests/test_archive_content.py::test_chinese_text_names_only_the_glossary_and_the_registries",
    "tests/test_archive_content.py::test_the_committed_fingerprint_is_the_seeds",
    "tests/test_archive_content.py::test_the_committed_glossary_terms_are_the_seed_readmes",
]


def test_without_the_seeds_ci_checks_the_archive_against_the_committed_facts(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pytest", *USES_THE_SOURCE, "-rs", "-p", "no:cacheprovider"],
                          cwd=REPO, capture_output=True, text=True, timeout=600,
                          env=environment(CI="true", SEEDS_DIR=str(tmp_path / "no-seeds")))
    assert proc.returncode == 0, proc.stdout
    assert proc.stdout.splitlines()[-1].startswith("=") and " 3 passed, 2 skipped" in proc.stdout.splitlines()[-1]
    assert proc.stdout.count("the committed file stands for it (also under CI)") == 2
