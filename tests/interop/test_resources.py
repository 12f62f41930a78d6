"""interop.resources: every resource built is emptied of empty elements and checked against R4B;
a client's resource that does not fit R4B is a 400."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from twitchcheck.interop.outcome import FhirInputError
from twitchcheck.interop.resources import parse, resource


def test_empty_elements_are_removed_at_every_depth() -> None:
    built = resource(
        {
            "resourceType": "Questionnaire",
            "status": "active",
            "item": [{"linkId": "a", "type": "display", "text": "x", "item": []}],
            "subjectType": [],
            "extension": None,
        }
    )
    assert built == {
        "resourceType": "Questionnaire",
        "status": "active",
        "item": [{"linkId": "a", "type": "display", "text": "x"}],
    }


def test_a_built_resource_that_does_not_fit_r4b_raises() -> None:
    with pytest.raises(ValidationError):
        resource({"resourceType": "Questionnaire", "status": "active", "colour": "red"})


def test_a_clients_resource_that_does_not_fit_r4b_is_a_400_naming_where() -> None:
    with pytest.raises(FhirInputError) as err:
        parse({"resourceType": "QuestionnaireResponse", "status": "x", "authored": "soon"}, "It")
    assert err.value.status == 400 and err.value.code == "structure"
    assert "authored" in err.value.message
