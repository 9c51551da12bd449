#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The VM scenarios, for tests/meson.build: one line "SUITE NAME GUEST" per run, from the folders
# under scenarios/ and what each scenario.conf says (GUEST, ALSO_ON, SUITE), so that a new
# folder is all a new scenario needs. GUEST is empty for the scenario's own guest.
set -euo pipefail

dir=$(cd "$(dirname "$0")" && pwd)/scenarios
for scenario in "$dir"/*/; do
        scenario=${scenario%/}
        [[ -f $scenario/guest.sh ]] || continue
        (
                set +u # a scenario.conf may read the harness's variables, unset here
                SUITE=vm
                ALSO_ON=()
                if [[ -f $scenario/scenario.conf ]]; then
                        # shellcheck source=/dev/null
                        source "$scenario/scenario.conf" >/dev/null
                fi
                name=${scenario##*/}
                echo "$SUITE $name"
                for guest in "${ALSO_ON[@]}"; do
                        echo "$SUITE $name $guest"
                done
        )
done
