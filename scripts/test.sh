#!/usr/bin/env bash
# The test command (README's second command; .ci/run calls it too).
# Installs everything the tests need into .venv, then runs the whole suite with pytest.
# Fails when any test fails or when no test ran.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
# The browser tests drive Debian's Chromium (never a downloaded browser).
bash scripts/ensure_chromium.sh

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "No tests ran: failing on purpose." >&2
  exit 1
fi
exit "$status"
