"""FHIR R4B (and, beside it, CDS Hooks) faces of the facade: mapping only, no logic of its own.

- :mod:`.outcome`: input errors as OperationOutcome;
- :mod:`.answers`: a QuestionnaireResponse → age, sex and evidence (the conventions are there);
- :mod:`.observations`: Observation ↔ finding.

May import only domain, kb and facade (tests/boundaries.py). See docs/fhir.md.
"""
