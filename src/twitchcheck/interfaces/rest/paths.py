"""Where things are served: the API's prefix and the pages that show personal data."""

from __future__ import annotations

API = "/api/v1"
DIARY_API = f"{API}/diary"
AUTH_API = f"{API}/auth"
#: CDS Hooks 2.0 services (routes/cds_hooks.py).
CDS = "/cds-services"
#: Pages that show diary data or sign-in forms: never cached either.
PERSONAL_PAGES = ("/diary", "/login", "/register", "/logout")
#: Largest id in a path: a larger number names nothing, and PostgreSQL would refuse to compare
#: it with an ``integer`` column (a 500 instead of a 404).
MAX_ID = 2**31 - 1
#: The FHIR R4B face (contracts §6): its errors are OperationOutcome, not problem documents.
FHIR = "/fhir"
