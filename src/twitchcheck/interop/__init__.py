"""FHIR R4B (and, beside it, CDS Hooks) faces of the facade: mapping only, no logic of its own.

- :mod:`.outcome`: input errors as OperationOutcome;
- :mod:`.answers`: a QuestionnaireResponse → age, sex and evidence (the conventions are there);
- :mod:`.observations`: Observation ↔ finding;
- :mod:`.questionnaire`: the interview's questions and result as Questionnaire items;
- :mod:`.next_question`: SDC ``$next-question`` over the facade's interview;
- :mod:`.risk`: an assessment as RiskAssessment, Patient and triage Observation; ``$assess``;
- :mod:`.conformance`: CapabilityStatement, OperationDefinitions, CodeSystems;
- :mod:`.resources`: canonical URLs, and the R4B model check of every resource built.

May import only domain, kb and facade (tests/boundaries.py). See docs/fhir.md.
"""
