"""Expanding the package's ValueSets from its ValueSets and CodeSystems, for required bindings.

Only what the package itself defines is expanded: an include of a whole CodeSystem that the
package ships complete, an enumerated concept list, an is-a / descendent-of filter on a
hierarchical CodeSystem, imported ValueSets and excludes. Anything else (external terminologies
such as UCUM, BCP-47 or MIME types, other filters) cannot be expanded offline: the checker names
such bindings in its report instead of guessing.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from typing import Any

from tests.fhir_check.definitions import load

Code = tuple[str, str]  # (system, code)


class Unexpandable(Exception):
    """The value set cannot be expanded from the package; the message says why."""


def _concepts(concepts: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for concept in concepts:
        yield concept
        yield from _concepts(concept.get("concept", []))


def _descendants(concepts: list[dict[str, Any]], root: str, inside: bool = False) -> set[str]:
    found: set[str] = set()
    for concept in concepts:
        here = inside or concept["code"] == root
        if here:
            found.add(concept["code"])
        found |= _descendants(concept.get("concept", []), root, here)
    return found


def _code_system(url: str) -> dict[str, Any]:
    system = load().code_systems.get(url)
    if system is None:
        raise Unexpandable(f"CodeSystem {url} is not in the package")
    if system.get("content") != "complete":
        raise Unexpandable(f"CodeSystem {url} is not complete in the package")
    return system


def _include(part: dict[str, Any]) -> set[Code]:
    codes: set[Code] | None = None
    system = part.get("system")
    if system is not None:
        if "concept" in part:
            codes = {(system, concept["code"]) for concept in part["concept"]}
        else:
            content = _code_system(system).get("concept", [])
            codes = {(system, concept["code"]) for concept in _concepts(content)}
            for rule in part.get("filter", []):
                if (
                    rule.get("op") not in ("is-a", "descendent-of")
                    or rule.get("property") != "concept"
                ):
                    raise Unexpandable(
                        f"filter {rule.get('property')} {rule.get('op')} on {system}"
                    )
                kept = _descendants(content, rule["value"])
                if rule["op"] == "descendent-of":
                    kept.discard(rule["value"])
                codes = {code for code in codes if code[1] in kept}
    for imported in part.get("valueSet", []):
        other = expand(imported)
        codes = set(other) if codes is None else codes & other
    if codes is None:
        raise Unexpandable("an include with neither a system nor a value set")
    return codes


@cache
def expand(url: str) -> frozenset[Code]:
    """All (system, code) pairs of the value set at ``url`` (a ``|version`` suffix is ignored)."""
    canonical = url.split("|", 1)[0]
    value_set = load().value_sets.get(canonical)
    if value_set is None:
        raise Unexpandable(f"ValueSet {canonical} is not in the package")
    if "compose" not in value_set:
        contains = value_set.get("expansion", {}).get("contains")
        if contains is None:
            raise Unexpandable(f"ValueSet {canonical} has neither a compose nor an expansion")
        return frozenset((entry["system"], entry["code"]) for entry in _concepts(contains))
    included: set[Code] = set()
    for part in value_set["compose"].get("include", []):
        included |= _include(part)
    for part in value_set["compose"].get("exclude", []):
        included -= _include(part)
    return frozenset(included)


@cache
def _concepts_of(system: str) -> dict[str, dict[str, Any]] | None:
    """code -> concept of a CodeSystem the package holds complete; None for any other system."""
    code_system = load().code_systems.get(system)
    if code_system is None or code_system.get("content") != "complete":
        return None
    return {concept["code"]: concept for concept in _concepts(code_system.get("concept", []))}


def coding_problems(coding: dict[str, Any]) -> list[tuple[str, str, bool]]:
    """(location suffix, message, is_error) for a Coding whose system the package holds complete:
    the code must be one of its codes, and a display should be the code's display (or one of its
    designations). Codings of other systems (SNOMED CT, LOINC, the project's) are not checked."""
    system, code = coding.get("system"), coding.get("code")
    if not isinstance(system, str) or not isinstance(code, str):
        return []
    concepts = _concepts_of(system)
    if concepts is None:
        return []
    concept = concepts.get(code)
    if concept is None:
        return [(".code", f"{code!r} is not a code of {system}", True)]
    display = coding.get("display")
    known = {concept.get("display")} | {d.get("value") for d in concept.get("designation", [])}
    if isinstance(display, str) and display not in known:
        return [(".display", f"{display!r} is not the display of {system}#{code}", False)]
    return []
