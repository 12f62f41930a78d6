"""The official R4B definitions (npm package hl7.fhir.r4b.core 4.3.0), loaded once per process.

scripts/fetch_fhir_definitions.sh (run by scripts/test.sh) fetches the package with npm, checks
its pinned SHA-256 and unpacks it into the git-ignored .cache/fhir/. Nothing here touches the
network: when the cache is missing, loading fails with a message that says what to run.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_NAME = "hl7.fhir.r4b.core-4.3.0"
#: Where scripts/fetch_fhir_definitions.sh unpacks the package (override for a shared cache).
PACKAGE_DIR_ENV = "TWITCHCHECK_FHIR_PACKAGE_DIR"
CANONICAL_SD = "http://hl7.org/fhir/StructureDefinition/"


class DefinitionsMissing(RuntimeError):
    """The R4B package is not in the cache: the message says how to fetch it."""


def package_dir() -> Path:
    configured = os.environ.get(PACKAGE_DIR_ENV)
    folder = Path(configured) if configured else ROOT / ".cache" / "fhir" / PACKAGE_NAME / "package"
    if not (folder / "openapi" / "fhir.schema.json").is_file():
        raise DefinitionsMissing(
            f"The FHIR R4B definitions are not in {folder}. Run `bash scripts/test.sh` once "
            "(or just `bash scripts/fetch_fhir_definitions.sh`): it fetches hl7.fhir.r4b.core "
            "4.3.0 with npm, checks its pinned SHA-256 and unpacks it there."
        )
    return folder


@dataclass(frozen=True)
class Structure:
    """One StructureDefinition's snapshot, indexed by element path (slices left out)."""

    name: str
    kind: str
    base: str | None
    elements: dict[str, dict[str, Any]]
    children: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _index(definition: dict[str, Any]) -> Structure:
    elements: dict[str, dict[str, Any]] = {}
    children: dict[str, list[dict[str, Any]]] = {}
    for element in definition["snapshot"]["element"]:
        if "sliceName" in element or ":" in element["id"]:
            continue  # the core types slice nothing that the checker relies on
        path = element["path"]
        elements[path] = element
        parent, _, _ = path.rpartition(".")
        if parent:
            children.setdefault(parent, []).append(element)
    base = definition.get("baseDefinition")
    return Structure(
        name=definition["type"],
        kind=definition["kind"],
        base=base.removeprefix(CANONICAL_SD) if base else None,
        elements=elements,
        children=children,
    )


@dataclass(frozen=True)
class Definitions:
    """Everything the checker reads from the package."""

    schema: dict[str, Any]
    structures: dict[str, Structure]
    value_sets: dict[str, dict[str, Any]]
    code_systems: dict[str, dict[str, Any]]
    #: Each resource and data type's constraints as the package states them, for the catalogue.
    raw_structures: dict[str, dict[str, Any]]
    #: The core extension definitions (StructureDefinitions of type Extension), by url.
    extensions: dict[str, dict[str, Any]]
    #: The package's own example resources (their ids start with "example").
    examples: dict[str, dict[str, Any]]


def _read(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@cache
def load() -> Definitions:
    folder = package_dir()
    structures: dict[str, Structure] = {}
    raw: dict[str, dict[str, Any]] = {}
    value_sets: dict[str, dict[str, Any]] = {}
    code_systems: dict[str, dict[str, Any]] = {}
    examples: dict[str, dict[str, Any]] = {}
    extensions: dict[str, dict[str, Any]] = {}
    for path in sorted(folder.glob("*.json")):
        if path.name == "package.json":
            continue
        resource = _read(path)
        kind = resource.get("resourceType")
        if kind == "StructureDefinition" and resource.get("derivation") == "specialization":
            structures[resource["type"]] = _index(resource)
            raw[resource["type"]] = resource
        elif kind == "StructureDefinition" and resource.get("type") == "Extension":
            extensions[resource["url"]] = resource
        elif kind == "ValueSet":
            value_sets[resource["url"]] = resource
        elif kind == "CodeSystem":
            code_systems[resource["url"]] = resource
        if str(resource.get("id", "")).startswith("example"):
            examples[path.stem] = resource
    # The base types have no derivation (Element, Resource, Base): index them too.
    for name in ("Base", "Element", "BackboneElement", "Resource", "DomainResource"):
        path = folder / f"StructureDefinition-{name}.json"
        if name not in structures and path.is_file():
            resource = _read(path)
            structures[name] = _index(resource)
            raw[name] = resource
    return Definitions(
        schema=_read(folder / "openapi" / "fhir.schema.json"),
        structures=structures,
        value_sets=value_sets,
        code_systems=code_systems,
        raw_structures=raw,
        extensions=extensions,
        examples=examples,
    )


def package_resources(resource_type: str) -> dict[str, dict[str, Any]]:
    """The package's own resources of one type (e.g. its 47 OperationDefinitions), by file stem."""
    return {
        path.stem: _read(path) for path in sorted(package_dir().glob(f"{resource_type}-*.json"))
    }
