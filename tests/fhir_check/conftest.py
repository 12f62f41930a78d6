"""The R4B definitions, loaded once per session; a clear failure when the cache is missing."""

from __future__ import annotations

import pytest

from tests.fhir_check.definitions import Definitions, DefinitionsMissing, load
from tests.fhir_check.responses import fhir_responses_validated  # noqa: F401 (a fixture)


@pytest.fixture(scope="session")
def fhir_definitions() -> Definitions:
    try:
        return load()
    except DefinitionsMissing as missing:
        pytest.fail(str(missing), pytrace=False)
