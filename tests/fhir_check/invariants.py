"""The StructureDefinitions' FHIRPath invariants (constraint.expression), run with fhirpathpy.

Each expression is compiled once, against the R4B model built from the package and with the FHIR
functions fhirpathpy lacks (fhirpath_functions.py). An invariant is skipped, with its reason, when
its expression does not parse or calls a function neither fhirpathpy nor this checker provides,
or when evaluating it raises (e.g. memberOf() on a value set the package cannot expand).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import fhirpathpy
from fhirpathpy.engine.invocations import invocation_registry
from fhirpathpy.engine.nodes import ResourceNode
from fhirpathpy.parser import parse

from tests.fhir_check.definitions import load
from tests.fhir_check.fhirpath_functions import USER_FUNCTIONS
from tests.fhir_check.fhirpath_model import r4b_model

# FHIRPath's `as` takes a single item; the R4B dom-3 applies it to descendants() (many items).
# The HL7 validator reads that as a filter, which is what ofType() is; so does this checker.
LENIENT_AS = re.compile(r"descendants\(\)\.as\(")
FUNCTION_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")
STRING_LITERAL = re.compile(r"'(?:[^'\\]|\\.)*'")
# Operators that a parenthesis may follow ("x in (a | b)").
OPERATORS = frozenset({"in", "and", "or", "xor", "implies", "div", "mod"})
KNOWN_FUNCTIONS = frozenset(invocation_registry) | frozenset(USER_FUNCTIONS) | OPERATORS
OPTIONS = {"userInvocationTable": USER_FUNCTIONS, "traceFn": lambda *_: None}


@dataclass(frozen=True)
class Invariant:
    key: str
    severity: str
    human: str
    expression: str


def normalised(expression: str) -> str:
    return LENIENT_AS.sub("descendants().ofType(", expression)


@cache
def why_unsupported(expression: str) -> str | None:
    """None when fhirpathpy can evaluate the expression, else the reason it is skipped."""
    code = STRING_LITERAL.sub("''", expression)
    unknown = sorted({name for name in FUNCTION_CALL.findall(code)} - KNOWN_FUNCTIONS)
    if unknown:
        return "needs FHIRPath function(s) not available: " + ", ".join(unknown)
    try:
        parse(expression)
    except Exception as error:  # fhirpathpy raises plain Exceptions for syntax errors
        return f"fhirpathpy cannot parse it: {error}"
    return None


@cache
def _compiled(expression: str) -> Callable[..., list[Any]]:
    compiled: Callable[..., list[Any]] = fhirpathpy.compile(
        normalised(expression), model=r4b_model(), options=OPTIONS
    )
    return compiled


def evaluate(
    invariant: Invariant, data: Any, base: str, resource: dict[str, Any], root: dict[str, Any]
) -> bool:
    """True when the invariant holds on ``data`` (an element of type/path ``base``).

    An empty result counts as not satisfied, as in the HL7 validator; raises when fhirpathpy does.
    """
    node = ResourceNode.create_node(data, base)
    result = _compiled(invariant.expression)(node, {"resource": resource, "rootResource": root})
    return bool(result) and all(value is True for value in result)


@cache
def catalogue() -> dict[str, str | None]:
    """Every distinct invariant of the package's resource and data type definitions.

    Maps a label to None (evaluated) or the reason it is skipped. The label is the key, with a
    variant number and the first definition using it when one key has several expressions.
    """
    first_seen: dict[tuple[str, str], str] = {}
    for name, definition in load().raw_structures.items():
        for element in definition["snapshot"]["element"]:
            for constraint in element.get("constraint", []):
                pair = (constraint["key"], constraint.get("expression", ""))
                first_seen.setdefault(pair, name)
    per_key: dict[str, int] = {}
    for key, _ in first_seen:
        per_key[key] = per_key.get(key, 0) + 1
    found: dict[str, str | None] = {}
    variant: dict[str, int] = {}
    for (key, expression), name in first_seen.items():
        variant[key] = variant.get(key, 0) + 1
        label = key if per_key[key] == 1 else f"{key} (variant {variant[key]}, first in {name})"
        found[label] = why_unsupported(expression) if expression else "no expression"
    return found
