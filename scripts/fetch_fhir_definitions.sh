#!/usr/bin/env bash
# Fetch the official FHIR R4B definitions (npm package hl7.fhir.r4b.core 4.3.0, CC0) for the
# independent FHIR checker (tests/fhir_check): the R4B JSON Schema and every StructureDefinition,
# ValueSet and CodeSystem. `npm pack` by package name and version, then the tarball's SHA-256 must
# match the pinned one before it is unpacked into the git-ignored cache. Idempotent: nothing is
# fetched when the cache already holds the unpacked package. Nothing loads it at test time from
# anywhere but this cache.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGE="hl7.fhir.r4b.core"
VERSION="4.3.0"
SHA256="2abd390aa5ad25eb269eb46dad45380db2fa7ba653e39926b75973475c3bc4ce"
CACHE=".cache/fhir/${PACKAGE}-${VERSION}"
MARKER="${CACHE}/.verified-sha256"

if [ -f "$MARKER" ] && [ "$(cat "$MARKER")" = "$SHA256" ] && [ -f "$CACHE/package/openapi/fhir.schema.json" ]; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    # A new machine without Node: Debian's npm, as the browser and database come from Debian.
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "fetch_fhir_definitions: npm is needed to fetch ${PACKAGE}@${VERSION} (apt-get install npm)." >&2
    exit 1
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "${PACKAGE}@${VERSION}" >/dev/null)
TARBALL="$WORK/${PACKAGE}-${VERSION}.tgz"
ACTUAL=$(sha256sum "$TARBALL" | cut -d' ' -f1)
if [ "$ACTUAL" != "$SHA256" ]; then
    echo "fetch_fhir_definitions: SHA-256 mismatch for ${PACKAGE}@${VERSION}: got $ACTUAL, pinned $SHA256." >&2
    exit 1
fi
rm -rf "$CACHE"
mkdir -p "$CACHE"
tar -xzf "$TARBALL" -C "$CACHE"
echo "$SHA256" > "$MARKER"
echo "fetch_fhir_definitions: ${PACKAGE}@${VERSION} unpacked into $CACHE" >&2
