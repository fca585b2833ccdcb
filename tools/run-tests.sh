#!/usr/bin/env bash
# Runs every test. pytest's exit code 5 means "no tests collected": say so plainly.
set -uo pipefail
cd "$(dirname "$0")/.."
export NO_MKDOCS_2_WARNING=1
.venv/bin/python -m pytest "$@"
rc=$?
if [ "$rc" -eq 5 ]; then
  echo "pytest collected no tests (exit code 5)"
  exit 0
fi
exit "$rc"
