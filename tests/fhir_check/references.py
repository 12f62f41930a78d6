"""References: what they point at, when that can be known offline, against the element's
allowed target types (ElementDefinition.type.targetProfile).

Within a Bundle, a `urn:uuid:`/`urn:oid:` reference must be an entry's fullUrl, and a `#id` must
name a contained resource of the resource that holds it (FHIR R4B references.html §2.3.0.4-5).
"""

from __future__ import annotations

import re
from typing import Any

from tests.fhir_check.definitions import CANONICAL_SD, load

# [base/]Type/id[/_history/version] (FHIR R4B references.html, the regex for RESTful references)
RESTFUL = re.compile(
    r"(?:^|/)([A-Z][A-Za-z]+)/[A-Za-z0-9\-.]{1,64}(?:/_history/[A-Za-z0-9\-.]{1,64})?$"
)


def _in_bundle(reference: str, bundle: dict[str, Any]) -> dict[str, Any] | None:
    for entry in bundle.get("entry", []):
        resource = entry.get("resource")
        if not isinstance(resource, dict):
            continue
        if entry.get("fullUrl") == reference:
            return resource
        match = RESTFUL.search(reference)
        if match and f"{resource.get('resourceType')}/{resource.get('id')}" == reference:
            return resource
    return None


def problems(
    value: dict[str, Any],
    targets: list[str],
    container: dict[str, Any],
    bundle: dict[str, Any] | None,
) -> list[tuple[str, str]]:
    """(location suffix, message) for each problem of one Reference value."""
    reference = value.get("reference")
    if not isinstance(reference, str):
        return []
    kind: str | None = None
    if reference.startswith("#"):
        if reference == "#":
            kind = container.get("resourceType")
        else:
            found = [
                r for r in container.get("contained", []) if "#" + str(r.get("id")) == reference
            ]
            if not found:
                return [(".reference", f"no contained resource has the id {reference[1:]!r}")]
            kind = found[0].get("resourceType")
    elif bundle is not None and (target := _in_bundle(reference, bundle)) is not None:
        kind = target.get("resourceType")
    elif reference.startswith(("urn:uuid:", "urn:oid:")):
        if bundle is not None:
            return [(".reference", f"{reference} is not the fullUrl of any entry of the Bundle")]
    elif match := RESTFUL.search(reference):
        kind = match.group(1)
        if load().structures.get(kind) is None:
            return [(".reference", f"{kind!r} is not a resource type")]
    stated = value.get("type")
    if kind and isinstance(stated, str) and stated != kind:
        return [(".type", f"type says {stated} but the reference points at a {kind}")]
    allowed = {target.removeprefix(CANONICAL_SD) for target in targets}
    if kind and allowed and not allowed & {"Resource", "DomainResource", kind}:
        names = ", ".join(sorted(allowed))
        return [(".reference", f"a {kind} is not an allowed target here ({names})")]
    return []


UUID_URN = re.compile(r"^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def bundle_problems(bundle: dict[str, Any]) -> list[tuple[str, str]]:
    """Each entry's fullUrl against its resource (R4B bundle.html: the fullUrl "SHALL NOT
    disagree with the id in the resource"), and urn:uuid fullUrls well formed (datatypes.html,
    uri: "urn:uuid:" followed by a lower-case UUID)."""
    found = []
    for index, entry in enumerate(bundle.get("entry", [])):
        full_url, resource = entry.get("fullUrl"), entry.get("resource")
        if not isinstance(full_url, str) or not isinstance(resource, dict):
            continue
        where = f".entry[{index}].fullUrl"
        if full_url.startswith("urn:uuid:") and not UUID_URN.match(full_url):
            found.append((where, f"{full_url} is not urn:uuid: and a lower-case UUID"))
        match = RESTFUL.search(full_url.split("/_history/", 1)[0])
        if match and not full_url.startswith("urn:"):
            kind, tail = match.group(1), full_url.rstrip("/").rsplit("/", 1)[1]
            if kind != resource.get("resourceType") or (
                "id" in resource and tail != resource["id"]
            ):
                found.append((where, f"{full_url} disagrees with the entry's resource type or id"))
    return found
