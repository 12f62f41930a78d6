"""An R4B type model for fhirpathpy, built from the package's StructureDefinitions.

fhirpathpy ships models for DSTU2, STU3, R4 and R5 but not R4B; a model is four tables (an
element path's type, the choice types at a path, the paths defined elsewhere by contentReference,
and each type's parent). Building them from the R4B snapshots keeps `ofType()`, `is()` and the
choice types right for R4B's own elements instead of borrowing R4's.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from tests.fhir_check.definitions import load

FHIRPATH_SYSTEM = "http://hl7.org/fhirpath/System."


def type_code(code: str) -> str:
    """A snapshot type code as fhirpathpy names it (``System.String`` for the FHIRPath types)."""
    return (
        "System." + code.removeprefix(FHIRPATH_SYSTEM) if code.startswith(FHIRPATH_SYSTEM) else code
    )


def capitalised(code: str) -> str:
    return code[:1].upper() + code[1:]


@cache
def r4b_model() -> dict[str, dict[str, Any]]:
    path2type: dict[str, str] = {}
    choices: dict[str, list[str]] = {}
    elsewhere: dict[str, str] = {}
    parents: dict[str, str] = {}
    for name, structure in load().structures.items():
        if structure.base:
            parents[name] = structure.base
        for path, element in structure.elements.items():
            if path == name:
                continue
            if "contentReference" in element:
                elsewhere[path] = element["contentReference"].split("#", 1)[1]
                continue
            codes = [type_code(kind["code"]) for kind in element.get("type", [])]
            if path.endswith("[x]"):
                stem = path[:-3]
                choices[stem] = [capitalised(code) for code in codes]
                for code in codes:
                    path2type[stem + capitalised(code)] = code
            elif path in structure.children:
                continue  # a backbone element: fhirpathpy keeps its path as its type
            elif len(codes) == 1:
                path2type[path] = codes[0]
    return {
        "path2Type": path2type,
        "choiceTypePaths": choices,
        "pathsDefinedElsewhere": elsewhere,
        "type2Parent": parents,
    }
