"""Check FHIR JSON files from the command line: ``python -m tests.fhir_check FILE.json ...``.

Prints every issue and a summary line per file (invariants evaluated and skipped); exits 1 when
any file has an error. Handy for a resource captured from the running server or a docs example.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.fhir_check import check


def main(paths: list[str]) -> int:
    if not paths:
        print("usage: python -m tests.fhir_check FILE.json [FILE.json ...]", file=sys.stderr)
        return 2
    failed = False
    for name in paths:
        report = check(json.loads(Path(name).read_text(encoding="utf-8")))
        for issue in report.issues:
            print(f"{name}: {issue}")
        print(f"{name}: {report.summary()}")
        failed = failed or bool(report.errors)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
