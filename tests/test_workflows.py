"""The pull-request workflow: actionlint (pinned on PyPI) finds nothing, and it does what editors rely on."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml
from support import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
ACTIONLINT = Path(sys.executable).parent / "actionlint"


def test_actionlint_passes_every_workflow():
    assert WORKFLOWS, "no workflow in .github/workflows/"
    binary = str(ACTIONLINT) if ACTIONLINT.exists() else shutil.which("actionlint")
    assert binary, "actionlint is missing: it is pinned in pyproject.toml's [test] extra"
    out = subprocess.run([binary, "-no-color", "-oneline", *map(str, WORKFLOWS)], cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr


def test_actionlint_would_catch_a_script_injection(tmp_path):
    # The checker really checks: an untrusted title in a shell script is an error.
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo \"${{ github.event.pull_request.title }}\"\n")
    binary = str(ACTIONLINT) if ACTIONLINT.exists() else shutil.which("actionlint")
    out = subprocess.run([binary, "-no-color", "-oneline", str(bad)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and "potentially untrusted" in out.stdout


def pr_steps() -> list[dict]:
    workflow = yaml.safe_load((REPO / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    (job,) = workflow["jobs"].values()
    return job["steps"]


def test_the_pull_request_workflow_checks_builds_tests_uploads_and_diffs():
    steps = pr_steps()
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "docarchive check . --format github" in runs
    assert "make site" in runs  # both editions: site/ and the offline edition with its zip
    assert "make test" in runs
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert "site/" in upload["with"]["path"]
    assert re.search(r"docarchive diff \.\./base-site site --format markdown >> \"\$GITHUB_STEP_SUMMARY\"", runs)
    assert runs.index("--format github") < runs.index("make site") < runs.index("make test")


def test_no_step_fetches_a_browser_chromium_comes_from_apt():
    steps = pr_steps()
    text = (REPO / ".github/workflows/pull-request.yml").read_text(encoding="utf-8")
    assert "playwright install" not in text
    for step in steps:
        uses = step.get("uses", "")
        assert not re.search(r"chrome|chromium|browser|playwright|puppeteer", uses, re.I), uses
        if uses:
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+", uses), f"unpinned action {uses}"
    assert re.search(r"apt-get install[^\n]*(\\\n[^\n]*)*\bchromium\b", text)


def test_pull_request_template_and_contributing_point_editors_to_the_guide():
    template = (REPO / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert template.count("- [ ]") >= 6 and "docarchive check" in template and "source" in template
    contributing = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "(docs/editing.md)" in contributing and "docarchive new story" in contributing
