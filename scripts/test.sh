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
.venv/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
# The C extensions, rebuilt in a copy under AddressSanitizer and UBSan, run the engine and
# explanation tests first: any sanitizer report fails the run.
bash scripts/sanitize.sh .venv/bin/python
# The independent FHIR checker's definitions (the official R4B package, pinned by SHA-256).
bash scripts/fetch_fhir_definitions.sh
# The browser tests drive Debian's Chromium (never a downloaded browser).
bash scripts/ensure_chromium.sh
# The storage tests run against SQLite and a real PostgreSQL server (installed and started here).
if PG_URL=$(bash scripts/ensure_postgres.sh | tail -1); then
  export TWITCHCHECK_TEST_POSTGRES_URL="$PG_URL"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL could not be made available: failing (CI must not skip database tests)." >&2
  exit 1
else
  echo "PostgreSQL is not available: its tests will be skipped (they fail under CI=true)." >&2
fi

set +e
.venv/bin/python -m pytest "$@"
status=$?
set -e
if [ "$status" -eq 5 ]; then
  echo "No tests ran: failing on purpose." >&2
  exit 1
fi
exit "$status"
