"""The FHIRPath functions added to fhirpathpy, and the catalogue of the package's invariants."""

from __future__ import annotations

import json
from typing import Any

import fhirpathpy
import pytest

from tests.fhir_check.definitions import Definitions, package_dir
from tests.fhir_check.fhirpath_functions import resolving_in
from tests.fhir_check.fhirpath_model import r4b_model
from tests.fhir_check.invariants import OPTIONS, catalogue
from tests.fhir_check.terminology import Unexpandable

pytestmark = pytest.mark.usefixtures("fhir_definitions")


def run(resource: dict[str, Any], expression: str) -> list[Any]:
    result: list[Any] = fhirpathpy.evaluate(resource, expression, {}, r4b_model(), OPTIONS)
    return result


def test_has_value_is_true_only_for_a_primitive_with_a_value() -> None:
    patient = {
        "resourceType": "Patient",
        "gender": "female",
        "_birthDate": {"extension": [{"url": "http://example.org/x", "valueString": "y"}]},
        "name": [{"family": "Doe"}],
    }
    assert run(patient, "gender.hasValue()") == [True]
    assert run(patient, "birthDate.hasValue()") == [False]  # extensions only
    assert run(patient, "name.hasValue()") == [False]  # a complex element


def test_html_checks_accept_plain_xhtml_and_refuse_scripts_and_emptiness() -> None:
    def text(div: str) -> dict[str, Any]:
        return {"resourceType": "Patient", "text": {"status": "generated", "div": div}}

    ns = 'xmlns="http://www.w3.org/1999/xhtml"'
    assert run(text(f"<div {ns}><p>Hello <b>there</b></p></div>"), "text.`div`.htmlChecks()") == [
        True
    ]
    for bad in (
        f"<div {ns}><script>x()</script></div>",
        f'<div {ns}><p onclick="x()">Hi</p></div>',
        f"<div {ns}>   </div>",
        "<div><p>no namespace</p></div>",
        f"<div {ns}><p>unclosed</div>",
    ):
        assert run(text(bad), "text.`div`.htmlChecks()") == [False], bad


def test_resolve_finds_bundle_entries_and_contained_resources_with_their_type() -> None:
    bundle = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient", "id": "p"}},
            {"resource": {"resourceType": "Observation", "subject": {"reference": "urn:uuid:1"}}},
        ],
    }
    with resolving_in(bundle):
        assert run(bundle, "entry[1].resource.subject.resolve() is Patient") == [True]
        assert run(bundle, "entry[1].resource.subject.resolve().id") == ["p"]
    observation = {
        "resourceType": "Observation",
        "contained": [{"resourceType": "Patient", "id": "c"}],
        "subject": {"reference": "#c"},
    }
    with resolving_in(observation):
        assert run(observation, "subject.resolve().ofType(Patient).exists()") == [True]
        assert run(observation, "performer.resolve().exists()") == [False]


def test_member_of_expands_package_value_sets_and_refuses_external_ones() -> None:
    questionnaire = {"resourceType": "Questionnaire", "status": "active"}
    statuses = "http://hl7.org/fhir/ValueSet/publication-status"
    assert run(questionnaire, f"status.memberOf('{statuses}')") == [True]
    assert run(questionnaire, "status.memberOf('http://hl7.org/fhir/ValueSet/item-type')") == [
        False
    ]
    with pytest.raises(Unexpandable):
        run(questionnaire, "status.memberOf('http://hl7.org/fhir/ValueSet/mimetypes')")


def test_conforms_to_knows_the_core_resource_definitions() -> None:
    patient = {"resourceType": "Patient"}
    core = "http://hl7.org/fhir/StructureDefinition/"
    assert run(patient, f"conformsTo('{core}Patient')") == [True]
    assert run(patient, f"conformsTo('{core}Observation')") == [False]


def test_the_catalogue_lists_every_distinct_invariant_of_the_package(
    fhir_definitions: Definitions,
) -> None:
    # Counted straight from the package files, not through the checker's index.
    pairs = set()
    for path in package_dir().glob("StructureDefinition-*.json"):
        definition = json.loads(path.read_text(encoding="utf-8"))
        if definition.get("derivation") == "constraint" or definition.get("kind") == "logical":
            continue
        for element in definition["snapshot"]["element"]:
            for constraint in element.get("constraint", []):
                pairs.add((constraint["key"], constraint.get("expression", "")))
    listed = catalogue()
    assert len(listed) == len(pairs)
    skipped = {label: why for label, why in listed.items() if why is not None}
    assert all(
        why.startswith(("needs FHIRPath", "fhirpathpy cannot", "no expression"))
        for why in skipped.values()
    )
