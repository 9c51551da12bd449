# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Phase lines for tests/run-all.sh and tests/slow-checks.sh: "=== [ 12.3 min] what", the minutes
# since CSS_RUN_START (run-all.sh's start, which the slow lane inherits), also appended to
# TIMELINE, which run-all.sh's summary repeats: CI shows only the end of the output.
#
#   source tests/timeline.sh; timeline_log TIMELINE MESSAGE...
timeline_log() {
        local file=$1 line tenths
        shift
        line=$*
        if [[ -n ${CSS_RUN_START:-} ]]; then
                tenths=$((($(date +%s) - CSS_RUN_START) / 6))
                line=$(printf '[%3d.%d min] %s' $((tenths / 10)) $((tenths % 10)) "$*")
                echo "$line" >>"$file"
        fi
        printf '\n=== %s\n' "$line"
}
