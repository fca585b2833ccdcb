#!/usr/bin/env bash
# Runs the tests (every test, or the pytest arguments given), then ends with how many ran
# and how many were skipped. pytest's exit code 5 ("no tests collected") is a failure: a run
# that tests nothing must not pass. Under CI=true a skipped test fails (tests/support.py).
set -uo pipefail
cd "$(dirname "$0")/.."
export NO_MKDOCS_2_WARNING=1
report=$(mktemp --suffix=.xml)
trap 'rm -f "$report"' EXIT
.venv/bin/python -m pytest --junitxml="$report" "$@"
rc=$?
counts=$(.venv/bin/python - "$report" <<'PY'
import sys
import xml.etree.ElementTree as ET

try:
    root = ET.parse(sys.argv[1]).getroot()
except (OSError, ET.ParseError):
    sys.exit(0)
suite = root if root.tag == "testsuite" else root.find("testsuite")
n = {k: int(suite.get(k, 0)) for k in ("tests", "failures", "errors", "skipped")}
# JUnit XML reports an expected failure (xfail) as skipped: count it apart, as what it is.
xfailed = sum(1 for s in root.iter("skipped") if s.get("type") == "pytest.xfail")
skipped = n["skipped"] - xfailed
run = n["tests"] - skipped
passed = run - n["failures"] - n["errors"] - xfailed
print(f"{run} tests run ({passed} passed, {n['failures']} failed, {n['errors']} errors"
      + (f", {xfailed} expected failures" if xfailed else "") + f"), {skipped} skipped")
PY
)
if [ "$rc" -eq 5 ]; then
  echo "tests: pytest collected no tests (exit code 5): nothing was tested, which is a failure"
  exit 5
fi
echo "tests: ${counts:-no report (pytest stopped before running tests)}"
exit "$rc"
