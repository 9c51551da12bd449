#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Installs the Debian packages in tests/debian-packages.txt that are missing. Used by the two
# commands of README.md (tests/run-all.sh and tests/vm/demo.sh), so a fresh Debian 12 machine
# needs nothing else.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
missing=()
while read -r pkg; do
        [[ -z $pkg || $pkg == \#* ]] && continue
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done <"$src/tests/debian-packages.txt"
((${#missing[@]} == 0)) && exit 0

echo "=== installing: ${missing[*]}"
if ((EUID != 0)); then
        echo "Missing Debian packages; run as root or install them: ${missing[*]}" >&2
        exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
