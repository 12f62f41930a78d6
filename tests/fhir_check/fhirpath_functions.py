"""The FHIR-specific FHIRPath functions fhirpathpy lacks, added through its user invocation table.

FHIR's FHIRPath additions (https://hl7.org/fhir/R4B/fhirpath.html#functions): hasValue(),
htmlChecks(), resolve(), memberOf() and conformsTo(). fhirpathpy passes each function the raw
data of its input collection (not typed nodes), which is enough for all five; resolve() needs the
resource being checked, which the caller sets with `resolving_in`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from fhirpathpy.engine.nodes import ResourceNode

from tests.fhir_check.terminology import Unexpandable, expand

XHTML = "{http://www.w3.org/1999/xhtml}"
# The Narrative rule (https://hl7.org/fhir/R4B/narrative.html#xhtml): only the basic formatting
# elements of HTML 4.0 chapters 7-11 (less 9.4) and 12, <a>, images and inline style; no head,
# body, scripts, forms, frames, objects, base/link or event attributes.
ALLOWED_ELEMENTS = frozenset(
    [
        "p",
        "br",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "a",
        "span",
        "b",
        "em",
        "i",
        "strong",
        "small",
        "big",
        "tt",
        "dfn",
        "q",
        "var",
        "abbr",
        "acronym",
        "cite",
        "blockquote",
        "hr",
        "address",
        "bdo",
        "kbd",
        "sub",
        "sup",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "pre",
        "table",
        "caption",
        "colgroup",
        "col",
        "thead",
        "tr",
        "tfoot",
        "tbody",
        "th",
        "td",
        "code",
        "samp",
        "img",
        "map",
        "area",
    ]
)
EVENT_ATTRIBUTE = re.compile(r"^on", re.IGNORECASE)

#: The resources resolve() searches: the resource being checked and, for a Bundle, its entries.
_resolving: ContextVar[tuple[dict[str, Any], ...]] = ContextVar("fhir_check_resolving", default=())


@contextmanager
def resolving_in(*resources: dict[str, Any]) -> Iterator[None]:
    token = _resolving.set(tuple(resources))
    try:
        yield
    finally:
        _resolving.reset(token)


def _is_extension_shadow(item: Any) -> bool:
    """The ``_name`` object fhirpathpy hands over beside a primitive that has extensions."""
    return isinstance(item, dict) and set(item) <= {"id", "extension"}


def has_value(inputs: list[Any]) -> list[bool]:
    """True for a single primitive that has a value (not only extensions)."""
    values = [item for item in inputs if not _is_extension_shadow(item)]
    return [len(values) == 1 and values[0] is not None and not isinstance(values[0], dict | list)]


def html_checks(inputs: list[Any]) -> list[bool]:
    return [all(isinstance(div, str) and _narrative_ok(div) for div in inputs)]


def _narrative_ok(div: str) -> bool:
    try:
        root = ElementTree.fromstring(div)
    except ElementTree.ParseError:
        return False
    if root.tag != XHTML + "div":
        return False
    for element in root.iter():
        if not element.tag.startswith(XHTML) or element.tag[len(XHTML) :] not in ALLOWED_ELEMENTS:
            return False
        if any(EVENT_ATTRIBUTE.match(name) for name in element.attrib):
            return False
    # txt-2: some non-whitespace content (text or an image).
    text = "".join(root.itertext()).strip()
    return bool(text) or any(element.tag == XHTML + "img" for element in root.iter())


def _candidates() -> Iterator[tuple[str, dict[str, Any]]]:
    """Each resource resolve() can reach, under each name a reference may use for it."""
    for resource in _resolving.get():
        for contained in resource.get("contained", []):
            yield "#" + str(contained.get("id")), contained
        for entry in resource.get("entry", []):
            target = entry.get("resource")
            if not isinstance(target, dict):
                continue
            if "fullUrl" in entry:
                yield entry["fullUrl"], target
            if "id" in target:
                yield f"{target.get('resourceType')}/{target['id']}", target


def resolve(inputs: list[Any]) -> list[ResourceNode]:
    """Typed nodes (so that ``resolve() is Patient`` works) for references within the resource."""
    found: list[ResourceNode] = []
    for item in inputs:
        reference = item.get("reference") if isinstance(item, dict) else item
        if not isinstance(reference, str):
            continue
        found.extend(
            ResourceNode.create_node(target, target.get("resourceType"))
            for name, target in _candidates()
            if name == reference
        )
    return found


def member_of(inputs: list[Any], value_set: str) -> list[bool]:
    """Raises Unexpandable (the invariant is then skipped) when the value set is external."""
    codes = expand(value_set)
    if len(inputs) != 1:
        return []
    item = inputs[0]
    if isinstance(item, str):
        return [any(code == item for _, code in codes)]
    codings = item.get("coding", []) if "coding" in item else [item]
    return [any((coding.get("system"), coding.get("code")) in codes for coding in codings)]


def conforms_to(inputs: list[Any], url: str) -> list[bool]:
    base = "http://hl7.org/fhir/StructureDefinition/"
    if not url.startswith(base):
        raise Unexpandable(f"conformsTo({url}): only the core resource definitions are known")
    return [
        len(inputs) == 1
        and isinstance(inputs[0], dict)
        and inputs[0].get("resourceType") == url[len(base) :]
    ]


USER_FUNCTIONS: dict[str, dict[str, Any]] = {
    "hasValue": {"fn": has_value, "arity": {0: []}},
    "htmlChecks": {"fn": html_checks, "arity": {0: []}},
    "resolve": {"fn": resolve, "arity": {0: []}},
    "memberOf": {"fn": member_of, "arity": {1: ["String"]}},
    "conformsTo": {"fn": conforms_to, "arity": {1: ["String"]}},
}
