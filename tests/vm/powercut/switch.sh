#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Power cut at each phase boundary of `container-storage-setup switch` (issue 17): scenario
# 51-switch-debian13 (Debian 13, docker's data moved from the root filesystem onto a new LV)
# with boot 1's switch cut at each of its test points; boot 2 must keep docker stopped until
# the storage is ready, a second switch must finish from the recorded phase, and docker must
# hold the image, the container and the volume's files (checksums) at boot 2 and after a reboot.
# Its CI run (meson test vm-51-switch-debian13) cuts at switch-copied only.
#
#   tests/vm/powercut/switch.sh [-B BUILDDIR] [POINT...]
#
# Prints a table and writes it to BUILDDIR/meson-logs/powercut-switch-table.md. Exit: 0 every
# cut converged, 1 otherwise.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../lib/common.sh
source "$HERE/../lib/common.sh"

BUILDDIR=${CSS_BUILD_DIR:-}
while getopts B: opt; do
        case $opt in
        B) BUILDDIR=$OPTARG ;;
        *) sed -n '10s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
        esac
done
shift $((OPTIND - 1))
[[ -n $BUILDDIR ]] || die "no build directory: -B BUILDDIR or CSS_BUILD_DIR"
points=("$@")
((${#points[@]})) || points=(switch-exporting switch-stopping switch-removed switch-set-up switch-copied switch-storage-ready)

logroot=$BUILDDIR/meson-logs/powercut-switch
table=$BUILDDIR/meson-logs/powercut-switch-table.md
mkdir -p "$logroot"
rows=() failed=0
for point in "${points[@]}"; do
        start=$SECONDS rc=0
        log "cut at $point (log: $logroot/$point.log)"
        # The cut while exporting needs an export: --export there (and only there, for time).
        export_knob=
        [[ $point != switch-exporting ]] || export_knob=1
        CSS_SWITCH_EXPORT=$export_knob CSS_SWITCH_CUT=$point CSS_VM_LOGDIR=$logroot/$point "$CSS_VM_DIR/run-scenario.sh" -B "$BUILDDIR" -g trixie \
                51-switch-debian13 >"$logroot/$point.log" 2>&1 || rc=$?
        if ((rc == 0)); then result=converged; else result="FAILED ($rc)"; failed=1; fi
        rows+=("| container-storage-setup:$point | $result | $((SECONDS - start)) s |")
        log "$point: $result in $((SECONDS - start)) s"
done
{
        echo "| cut at | next switch and reboot | seconds |"
        echo "|---|---|---|"
        printf '%s\n' "${rows[@]}"
} | tee "$table"
exit "$failed"
