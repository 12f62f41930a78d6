"""The text is never logged, by the product or by the libraries it uses (issue 17)."""

from __future__ import annotations

import subprocess
import sys

SECRET = "Zorblax quivering nostril since Tuesday, Quimby my uncle had ALS, no weakness"

SCRIPT = f"""
import logging, sys
logging.basicConfig(level=logging.DEBUG, stream=sys.stderr, force=True)
for name in ("spacy", "negspacy", "thinc", "twitchcheck"):
    logging.getLogger(name).setLevel(logging.DEBUG)
import twitchcheck
from twitchcheck.api import default_checker
c = default_checker()
c.text.parse({SECRET!r})
twitchcheck.assess(age=30, sex="female", text={SECRET!r})
logging.getLogger("probe").debug("logging works")
print("done")
"""


def test_the_text_is_never_logged() -> None:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    assert "done" in out.stdout
    assert "logging works" in out.stderr  # DEBUG records do reach stderr
    for word in ("Zorblax", "Quimby", "quivering", "Tuesday", "nostril"):
        assert word not in out.stderr, word
        assert word not in out.stdout, word
