"""Extensions against the package's own extension definitions (398 StructureDefinitions of type
Extension): a URL in the core namespace must be one of them, the value must have an allowed type
(or be absent for a complex extension), and the extension must be used where its context allows.
Extensions defined elsewhere (SDC, the project's own) are only checked for a url (structure) and,
for SDC, by sdc.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from tests.fhir_check.definitions import CANONICAL_SD, load
from tests.fhir_check.fhirpath_model import capitalised, type_code


@dataclass(frozen=True)
class ExtensionDefinition:
    url: str
    contexts: frozenset[str]
    value_types: frozenset[str]  # JSON property names, e.g. "valueBoolean"
    value_min: int
    value_max: str
    nested_max: str
    is_modifier: bool


def _definition(resource: dict[str, Any]) -> ExtensionDefinition:
    elements = {element["id"]: element for element in resource["snapshot"]["element"]}
    value = elements.get("Extension.value[x]", {})
    return ExtensionDefinition(
        url=resource["url"],
        contexts=frozenset(
            context["expression"]
            for context in resource.get("context", [])
            if context.get("type") == "element"
        ),
        value_types=frozenset(
            "value" + capitalised(type_code(kind["code"])) for kind in value.get("type", [])
        ),
        value_min=int(value.get("min", 0)),
        value_max=str(value.get("max", "1")),
        nested_max=str(elements.get("Extension.extension", {}).get("max", "*")),
        is_modifier=bool(elements.get("Extension", {}).get("isModifier", False)),
    )


@cache
def definitions() -> dict[str, ExtensionDefinition]:
    return {url: _definition(resource) for url, resource in load().extensions.items()}


def problems(
    extension: dict[str, Any], contexts: set[str], modifier: bool
) -> list[tuple[str, str]]:
    """(location suffix, message) for each problem of one extension used at ``contexts``."""
    url = extension.get("url")
    if not isinstance(url, str):
        return []  # the structure walk reports the missing url
    definition = definitions().get(url)
    if definition is None:
        if url.startswith(CANONICAL_SD):
            return [(".url", f"no core extension is defined at {url}")]
        return []
    found = []
    values = [name for name in extension if name.startswith("value")]
    if definition.value_max == "0" and values:
        found.append(("", f"{url} is a complex extension: it takes no value"))
    elif definition.value_min > 0 and not values:
        found.append(("", f"{url} needs a value"))
    for name in values:
        if name not in definition.value_types:
            allowed = ", ".join(sorted(definition.value_types))
            found.append((f".{name}", f"{url} takes {allowed}, not {name}"))
    if definition.nested_max == "0" and extension.get("extension"):
        found.append((".extension", f"{url} takes no nested extensions"))
    if definition.is_modifier != modifier:
        where = "modifierExtension" if definition.is_modifier else "extension"
        found.append(("", f"{url} belongs in {where}"))
    if definition.contexts and not definition.contexts & contexts:
        allowed = ", ".join(sorted(definition.contexts))
        found.append(("", f"{url} is not allowed here (its context: {allowed})"))
    return found
