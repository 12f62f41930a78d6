#!/usr/bin/env bash
# The compiled extensions under AddressSanitizer and UBSan (scripts/test.sh runs this first).
# Builds both from a copy of src with the sanitizers on, then runs the engine and explanation
# tests against that build: a read or write outside a buffer, a use after free or undefined
# behaviour stops the run with a report and a non-zero exit, even where it would not crash.
#
# Usage: bash scripts/sanitize.sh [PYTHON]
#   PYTHON: the interpreter with the test dependencies (default: this repository's
#   .venv/bin/python, which scripts/test.sh creates). The repository is the one this script is in.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY=${1:-$ROOT/.venv/bin/python}
if [ ! -x "$PY" ]; then
  echo "sanitize.sh: no Python at $PY (run scripts/test.sh first, or pass one)" >&2
  exit 1
fi
PY="$(cd "$(dirname "$PY")" && pwd)/$(basename "$PY")" # (the tests run from another folder)
if ! command -v gcc >/dev/null; then
  echo "sanitize.sh: gcc is needed to build the sanitized extensions" >&2
  exit 1
fi
# The runtime must be loaded before anything else: Python itself is not instrumented.
ASAN_LIB=$(gcc -print-file-name=libasan.so)
if [ ! -e "$ASAN_LIB" ]; then
  echo "sanitize.sh: gcc has no AddressSanitizer runtime (libasan)" >&2
  exit 1
fi
started=$SECONDS

WORK=$(mktemp -d "${TMPDIR:-/tmp}/twitchcheck-sanitize.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cp -r "$ROOT/src" "$ROOT/setup.py" "$ROOT/pyproject.toml" "$ROOT/README.md" "$WORK/"
mkdir "$WORK/tests"
cp -r "$ROOT/tests/__init__.py" "$ROOT/tests/conftest.py" "$ROOT/tests/engine" \
  "$ROOT/tests/test_explain.py" "$WORK/tests/"
# The copy must import nothing built before: an extension that failed to build (they are
# optional) would otherwise be replaced silently by the uninstrumented one.
find "$WORK" \( -name '*.so' -o -name __pycache__ \) -prune -exec rm -rf {} +

cd "$WORK"
# Python's own flags include -fwrapv, which makes signed overflow defined and so invisible to
# UBSan: -fno-wrapv puts that check back. -O1 (through setup.py) keeps the reports readable.
SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all"
CFLAGS="$SANITIZE -fno-omit-frame-pointer -fno-wrapv -g -O1" \
  LDFLAGS="-fsanitize=address,undefined" TWITCHCHECK_C_OPTIMIZE=-O1 \
  "$PY" setup.py --quiet build_ext --inplace 2>&1 | { grep -v -e '^$' -e 'Beta' -e 'warnings.warn' || true; }

export PYTHONPATH="$WORK/src"
export CI=true # a missing compiled kernel fails the engine tests instead of skipping them
export ASAN_OPTIONS=detect_leaks=0:halt_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export LD_PRELOAD="$ASAN_LIB"
# Both modules must be the instrumented ones just built in the copy.
"$PY" - "$WORK/src" <<'PYTHON'
import os
import subprocess
import sys

import twitchcheck._explain as explain
import twitchcheck.engine._kernel as kernel

for module in (kernel, explain):
    print(f"{module.__name__}.__file__ = {module.__file__}")
    assert module.__file__.startswith(sys.argv[1] + "/"), "not the sanitized copy"
    # (ldd without the preload, which it would otherwise list for every library)
    plain = {k: v for k, v in os.environ.items() if k != "LD_PRELOAD"}
    needs = subprocess.run(["ldd", module.__file__], capture_output=True, text=True, env=plain).stdout
    assert "libasan" in needs and "libubsan" in needs, f"{module.__file__} is not instrumented"
PYTHON

set +e
# --capture=sys: pytest captures Python's output only, so that a sanitizer's report (written
# straight to file descriptor 2 just before it stops the process) is never swallowed.
"$PY" -m pytest -q -p no:cacheprovider --capture=sys tests/engine tests/test_explain.py
status=$?
set -e
echo "sanitize.sh: the engine and explanation tests under ASan and UBSan took $((SECONDS - started)) s (exit $status)."
if [ "$status" -ne 0 ]; then
  echo "sanitize.sh: FAILED (a failing test, or a sanitizer report above)" >&2
fi
exit "$status"
