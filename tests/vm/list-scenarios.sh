#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The VM scenarios, for tests/meson.build: one line "SUITE NAME GUEST" per run, from the folders
# under scenarios/ and what each scenario.conf says (GUEST, ALSO_ON, SUITE), so that a new
# folder is all a new scenario needs. GUEST is empty for the scenario's own guest.
set -euo pipefail

dir=$(cd "$(dirname "$0")" && pwd)/scenarios
# Meson runs the suite in this order. ORDER=late puts a scenario after the others: 10 installs
# the .deb, which CI's slow lane builds beside the VM suite, and would wait for it early on.
for pass in early late; do
        for scenario in "$dir"/*/; do
                scenario=${scenario%/}
                [[ -f $scenario/guest.sh ]] || continue
                (
                        set +u # a scenario.conf may read the harness's variables, unset here
                        SUITE=vm
                        ALSO_ON=()
                        ORDER=early
                        if [[ -f $scenario/scenario.conf ]]; then
                                # shellcheck source=/dev/null
                                source "$scenario/scenario.conf" >/dev/null
                        fi
                        [[ $ORDER == "$pass" ]] || exit 0
                        name=${scenario##*/}
                        echo "$SUITE $name"
                        for guest in "${ALSO_ON[@]}"; do
                                echo "$SUITE $name $guest"
                        done
                )
        done
done
