#!/usr/bin/env bash
# Install axe-core, the accessibility engine the browser tests inject into each page
# (tests/browser/axe.py), from the npm registry into var/npm (gitignored). Pinned: a new axe
# release adds rules, and a rule added upstream must not fail a build nobody changed.
# Runs npm only when the pinned version is not there yet.
set -euo pipefail
cd "$(dirname "$0")/.."

AXE_VERSION=4.10.3
prefix=var/npm
installed="$prefix/node_modules/axe-core/package.json"

if [[ -f "$installed" ]] && grep -q "\"version\": \"$AXE_VERSION\"" "$installed"; then
    exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
    echo "npm is missing: sudo apt-get install npm (the browser tests need axe-core)" >&2
    exit 1
fi
mkdir -p "$prefix"
echo "Installing axe-core $AXE_VERSION into $prefix (npm)" >&2
npm install --prefix "$prefix" --no-save --no-audit --no-fund --loglevel=error \
    "axe-core@$AXE_VERSION"
