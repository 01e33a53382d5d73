#!/usr/bin/env bash
# Install the Debian packages the test suite needs, if they are missing. Idempotent:
# runs apt-get update and apt-get install only when something must be installed.
#
# Usage: bash scripts/system-deps.sh        (as root, or with sudo available)
set -euo pipefail

# One entry per package: "PACKAGE" (needed unless installed) or "PACKAGE:COMMAND"
# (needed unless COMMAND is on PATH, so an existing JDK of another version is enough).
REQUIREMENTS=(
    "libowlapi-java"              # OWL API jars: tests/test_ontology_owlapi.py
    "default-jdk-headless:javac"  # java + javac for the OWL API check
    "chromium:chromium"           # headless browser: tests/test_query_pages_browser.py
    "chromium-driver:chromedriver"
    "libapache-jena-java"         # Apache Jena (rsparql, riot): tests/test_client_jena.py
    "raptor2-utils:rapper"        # rapper: tests/test_dumps_clients.py
    # Virtuoso 7 (virtuoso-opensource's server binary alone: no system service is set up or
    # started; the tests start their own on free loopback ports): tests/test_engines.py
    "virtuoso-opensource-7-bin:virtuoso-t"
)

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
}

missing=()
for entry in "${REQUIREMENTS[@]}"; do
    package="${entry%%:*}"
    cmd="${entry#*:}"
    if [[ "$entry" == *:* ]]; then
        command -v "$cmd" >/dev/null 2>&1 && continue
    else
        installed "$package" && continue
    fi
    missing+=("$package")
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "system-deps: all present (${REQUIREMENTS[*]})"
    exit 0
fi

SUDO=()
if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || { echo "system-deps: need root to install: ${missing[*]}" >&2; exit 1; }
    SUDO=(sudo)
fi

echo "system-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "system-deps: installed ${missing[*]}"
