"""Walking a resource against the R4B StructureDefinitions: element names, cardinalities (in
backbone elements and choice types too), real calendar dates, required bindings and each element's
FHIRPath invariants. The JSON Schema is checked separately (schema.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tests.fhir_check import extensions, invariants, references
from tests.fhir_check.definitions import CANONICAL_SD, Structure, load
from tests.fhir_check.fhirpath_functions import resolving_in
from tests.fhir_check.fhirpath_model import capitalised, type_code
from tests.fhir_check.issues import Issue, Report, Severity
from tests.fhir_check.terminology import Unexpandable, coding_problems, expand

CODED = frozenset({"code", "Coding", "CodeableConcept"})
EXTENSIONS = ("extension", "modifierExtension")


@dataclass(frozen=True)
class Scope:
    """The resource an element belongs to (%resource) and its container (%rootResource)."""

    resource: dict[str, Any]
    root: dict[str, Any]


def _is_primitive(code: str) -> bool:
    return code[:1].islower() or code.startswith("System.")


def _present(obj: dict[str, Any], name: str) -> list[tuple[Any, Any]]:
    """(value, extension shadow) pairs of one JSON property, lists aligned as FHIR JSON has them."""
    values, shadows = obj.get(name), obj.get("_" + name)
    if values is None and shadows is None:
        return []
    values_list = [] if values is None else values if isinstance(values, list) else [values]
    shadows_list = [] if shadows is None else shadows if isinstance(shadows, list) else [shadows]
    length = max(len(values_list), len(shadows_list))
    values_list += [None] * (length - len(values_list))
    shadows_list += [None] * (length - len(shadows_list))
    return list(zip(values_list, shadows_list, strict=True))


def _claimed_profiles(resource: dict[str, Any]) -> list[str]:
    meta = resource.get("meta")
    profiles = meta.get("profile", []) if isinstance(meta, dict) else []
    return [profile for profile in profiles if isinstance(profile, str)]


class Walker:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.definitions = load()
        #: The Bundles being walked, innermost last (references resolve against the last one).
        self.bundles: list[dict[str, Any]] = []

    def error(self, source: str, location: str, message: str, key: str | None = None) -> None:
        self.report.add(Issue("error", source, location, message, key))  # type: ignore[arg-type]

    # -- resources -----------------------------------------------------------------------------
    def resource(self, data: Any, location: str, container: dict[str, Any] | None = None) -> None:
        if not isinstance(data, dict):
            self.error("structure", location, "a resource must be a JSON object")
            return
        kind = data.get("resourceType")
        structure = self.definitions.structures.get(kind) if isinstance(kind, str) else None
        if structure is None or structure.kind != "resource":
            self.error("structure", location, f"unknown resourceType {kind!r}")
            return
        scope = Scope(resource=data, root=container if container is not None else data)
        if kind == "Bundle":
            self.bundles.append(data)
            for suffix, message in references.bundle_problems(data):
                self.error("structure", location + suffix, message)
        for profile in _claimed_profiles(data):
            if profile.split("|", 1)[0] != CANONICAL_SD + kind:
                message = f"claims the profile {profile}, which this checker does not check"
                self.report.add(Issue("warning", "structure", f"{location}.meta.profile", message))
        try:
            with resolving_in(data, *([container] if container is not None else [])):
                self.complex(data, structure, structure.name, location, scope, is_resource=True)
        finally:
            if kind == "Bundle":
                self.bundles.pop()

    # -- complex values ------------------------------------------------------------------------
    def complex(
        self,
        data: Any,
        structure: Structure,
        path: str,
        location: str,
        scope: Scope,
        is_resource: bool = False,
        where: str | None = None,
    ) -> None:
        """``path`` is the element's path in ``structure``; ``where`` its path in the resource
        (they differ for data types and contentReference: CodeableConcept vs Observation.code)."""
        if not isinstance(data, dict):
            self.error("structure", location, f"expected a JSON object for {path}")
            return
        where = where or path
        self.invariants(data, structure.elements.get(path), path, location, scope)
        known = {"resourceType"} if is_resource else set()
        for child in structure.children.get(path, []):
            known |= self.child(data, structure, child, location, scope, where)
        for name in sorted(set(data) - known):
            self.error("structure", f"{location}.{name}", f"unknown element {name!r} in {path}")
        self.extensions(data, self.contexts(structure, path, where), location)

    def contexts(self, structure: Structure, path: str, where: str) -> set[str]:
        """The extension contexts (element paths and type names) an element stands for."""
        found = {path, where, "Element"}
        if path != structure.name:
            return found | {"BackboneElement"}
        name: str | None = structure.name
        while name is not None and name in self.definitions.structures:
            found.add(name)
            name = self.definitions.structures[name].base
        return found

    def extensions(self, data: dict[str, Any], contexts: set[str], location: str) -> None:
        for key in EXTENSIONS:
            values = data.get(key)
            for index, extension in enumerate(values if isinstance(values, list) else []):
                if not isinstance(extension, dict):
                    continue
                modifier = key == "modifierExtension"
                for suffix, message in extensions.problems(extension, contexts, modifier):
                    self.error("structure", f"{location}.{key}[{index}]{suffix}", message)

    def child(
        self,
        data: dict[str, Any],
        structure: Structure,
        element: dict[str, Any],
        location: str,
        scope: Scope,
        where: str,
    ) -> set[str]:
        """Check one child element definition against ``data``; return the JSON names it covers."""
        stem = element["path"].rsplit(".", 1)[1]
        kinds = [(type_code(kind["code"]), kind) for kind in element.get("type", [])]
        if stem.endswith("[x]"):
            names = {stem[:-3] + capitalised(code): kind for code, kind in kinds}
        else:
            names = {stem: kinds[0][1] if kinds else {"code": ""}}
        used = [name for name in names if name in data or "_" + name in data]
        if len(used) > 1:
            self.error(
                "structure", f"{location}.{stem}", f"more than one choice used: {', '.join(used)}"
            )
        occurrences = [
            (name, value, shadow) for name in used for value, shadow in _present(data, name)
        ]
        maximum = element.get("max", "*")
        label = f"{location}.{used[0] if used else stem}"
        if len(occurrences) < element.get("min", 0):
            self.error(
                "structure",
                label,
                f"missing required element {element['path']} (min {element['min']})",
            )
        if maximum != "*" and len(occurrences) > int(maximum):
            self.error(
                "structure",
                label,
                f"{element['path']} allows at most {maximum}, found {len(occurrences)}",
            )
        for name in used:
            if maximum == "*" and name in data and not isinstance(data[name], list):
                self.error(
                    "structure", f"{location}.{name}", f"{element['path']} must be a JSON array"
                )
            if data.get(name) == [] or data.get(name) == {}:
                self.error(
                    "structure", f"{location}.{name}", "FHIR JSON has no empty arrays or objects"
                )
        counts: dict[str, int] = {}
        for name, value, shadow in occurrences:
            index = counts.get(name, 0)
            counts[name] = index + 1
            at = f"{location}.{name}" + (f"[{index}]" if maximum == "*" else "")
            place = (at, f"{where}.{stem}")
            self.value(value, shadow, names[name], element, structure, place, scope)
        return set(names) | {"_" + name for name in names}

    def value(
        self,
        value: Any,
        shadow: Any,
        kind: dict[str, Any],
        element: dict[str, Any],
        structure: Structure,
        place: tuple[str, str],
        scope: Scope,
    ) -> None:
        """One value of an element: ``kind`` is its type entry, ``place`` (instance location,
        element path in the resource)."""
        location, where = place
        path, code = element["path"], type_code(kind["code"])
        if shadow is not None:
            element_type = self.definitions.structures["Element"]
            self.complex(shadow, element_type, "Element", location, scope, where=where)
        if value is None:
            if shadow is None:
                self.error("structure", location, "null is not a FHIR value")
            return
        if "contentReference" in element:
            target = element["contentReference"].split("#", 1)[1]
            self.complex(value, structure, target, location, scope, where=where)
        elif path in structure.children:
            self.complex(value, structure, path, location, scope, where=where)
        elif code == "Resource":
            contained = path.endswith(".contained")
            self.resource(value, location, container=scope.root if contained else None)
        elif _is_primitive(code):
            self.primitive(value, code, location)
            self.invariants(value, element, path, location, scope)
        elif code in self.definitions.structures:
            data_type = self.definitions.structures[code]
            self.complex(value, data_type, code, location, scope, where=where)
        if code == "Coding" and isinstance(value, dict):
            for suffix, message, is_error in coding_problems(value):
                severity: Severity = "error" if is_error else "warning"
                self.report.add(Issue(severity, "terminology", location + suffix, message))
        if code == "Reference" and isinstance(value, dict):
            bundle = self.bundles[-1] if self.bundles else None
            targets = kind.get("targetProfile", [])
            for suffix, message in references.problems(value, targets, scope.root, bundle):
                self.error("structure", location + suffix, message)
        binding = element.get("binding", {})
        if binding.get("strength") == "required" and code in CODED and "valueSet" in binding:
            self.binding(value, code, binding["valueSet"], location)

    def primitive(self, value: Any, code: str, location: str) -> None:
        """Calendar validity, which the schema's patterns cannot see (e.g. 2023-02-30)."""
        if code not in ("date", "dateTime", "instant") or not isinstance(value, str):
            return
        text = value.replace("Z", "+00:00")
        try:
            if "T" in text:
                datetime.fromisoformat(text)
            elif len(text) == 10:
                date.fromisoformat(text)
            elif len(text) == 7:
                date.fromisoformat(text + "-01")
        except ValueError:
            self.error("structure", location, f"{value!r} is not a real {code}")

    # -- required bindings ---------------------------------------------------------------------
    def binding(self, value: Any, code: str, value_set: str, location: str) -> None:
        try:
            allowed = expand(value_set)
        except Unexpandable as reason:
            self.report.unexpanded[value_set] = str(reason)
            return
        if code == "code":
            ok = isinstance(value, str) and any(
                value == allowed_code for _, allowed_code in allowed
            )
            shown = repr(value)
        else:
            codings = value.get("coding", []) if code == "CodeableConcept" else [value]
            pairs = [
                (coding.get("system"), coding.get("code"))
                for coding in codings
                if isinstance(coding, dict)
            ]
            ok = any(pair in allowed for pair in pairs)
            shown = ", ".join(f"{system}|{code_}" for system, code_ in pairs) or "no coding"
        if not ok:
            name = value_set.split("|", 1)[0]
            self.error("binding", location, f"{shown} is not in the required value set {name}")

    # -- invariants ----------------------------------------------------------------------------
    def invariants(
        self, data: Any, element: dict[str, Any] | None, base: str, location: str, scope: Scope
    ) -> None:
        if element is None:
            return
        for constraint in element.get("constraint", []):
            key, expression = constraint["key"], constraint.get("expression")
            if not expression:
                self.report.skipped[key] = "no expression"
                continue
            reason = invariants.why_unsupported(expression)
            if reason is not None:
                self.report.skipped[key] = reason
                continue
            invariant = invariants.Invariant(
                key, constraint.get("severity", "error"), constraint.get("human", ""), expression
            )
            try:
                holds = invariants.evaluate(invariant, data, base, scope.resource, scope.root)
            except Exception as error:  # fhirpathpy raises plain Exceptions
                self.report.skipped[key] = f"fhirpathpy could not evaluate it: {error}"[:300]
                continue
            self.report.evaluated.add(key)
            if not holds:
                level: Severity = "warning" if invariant.severity == "warning" else "error"
                self.report.add(Issue(level, "invariant", location, invariant.human, key))
