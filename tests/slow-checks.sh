#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The checks of tests/run-all.sh that need the CPU but no VM: the quick suites (unit, corpus, CLI,
# docs, generator, host), the package and valgrind suites,
# the unit, corpus, CLI, generator and host tests again under ASan+UBSan, and the fuzz targets,
# each run for CSS_FUZZ_SECONDS (default 90: at the lowest priority beside a guest they get
# about a quarter of a core each, so as many executions as about 20 s alone: a smoke run over
# the corpus and a little beyond it; longer runs are for tests/fuzz/run.sh by hand). Longer
# fuzzing here made this lane end after the VM suite in CI (README.md, "CI time").
# run-all.sh runs this beside the VM suite through tests/lowest-priority.sh, or alone with
# CSS_SKIP_VM=1. The logs its summary reads: BUILD/meson-logs/testlog-quick.json, testlog-slow.json,
# ASAN_BUILD/meson-logs/testlog-asan.json and BUILD/meson-logs/testlog-fuzz.json.
#
#   tests/slow-checks.sh BUILD ASAN_BUILD FUZZ_BUILD
set -uo pipefail

(($# == 3)) || { sed -n '14s/^# \{0,1\}//p' "$0" >&2; exit 2; }
src=$(cd "$(dirname "$0")/.." && pwd)
build=$1 asan_build=$2 fuzz_build=$3
# shellcheck source=tests/timeline.sh
source "$src/tests/timeline.sh"
log() { timeline_log "$build-timeline.txt" "slow lane: $*"; }
# run_tests BUILD LOGBASE MESON_TEST_ARGS...: each test at the lowest priority as well (meson
# starts each in a session of its own). A timeout is wall time, and beside a VM test the tests
# get only the CPU the guest leaves idle. Meson names the logs after the wrapper too: they are
# renamed to LOGBASE.*, which run-all.sh's summary reads.
run_tests() {
        local dir=$1 base=$2 rc=0 f
        shift 2
        meson test -C "$dir" --wrapper "$src/tests/lowest-priority.sh" --timeout-multiplier 3 --print-errorlogs \
                --logbase "$base" "$@" || rc=$?
        for f in "$dir/meson-logs/$base-lowest-priority.sh".*; do
                [[ ! -e $f ]] || mv -f "$f" "$dir/meson-logs/$base${f#"$dir/meson-logs/$base-lowest-priority.sh"}"
        done
        return $rc
}

rc=0
log "tests: unit, corpus, cli, docs, generator, host"
run_tests "$build" testlog-quick --no-rebuild --no-suite vm --no-suite vm-extra --no-suite package --no-suite valgrind ||
        rc=1
log "tests: package, valgrind"
run_tests "$build" testlog-slow --no-rebuild --suite package --suite valgrind || rc=1

log "tests: unit, corpus, cli, generator, host under AddressSanitizer + UndefinedBehaviorSanitizer"
if [[ ! -d $asan_build ]]; then
        # -O0: the sanitizers see every access, and the build takes half the time of -O2.
        meson setup "$asan_build" "$src" -Dwerror=true -Db_sanitize=address,undefined -Db_lundef=false \
                -Doptimization=0 -Dman-pages=disabled || exit 1
fi
ninja -C "$asan_build" || exit 1
UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 ASAN_OPTIONS=detect_leaks=1 \
        run_tests "$asan_build" testlog-asan --suite unit --suite config --suite cli --suite generator --suite host || rc=1

seconds=${CSS_FUZZ_SECONDS:-90}
log "fuzzing: each libFuzzer target for $seconds s (tests/fuzz/run.sh)"
fuzz_rc=0
CSS_FUZZ_BUILD_DIR=$fuzz_build "$src/tests/fuzz/run.sh" "$seconds" || fuzz_rc=$?
case $fuzz_rc in 0) fuzz=OK ;; 77) fuzz=SKIP ;; *) fuzz=FAIL rc=1 ;; esac
printf '{"name": "fuzz", "result": "%s"}\n' "$fuzz" >"$build/meson-logs/testlog-fuzz.json"
log "done"
exit $rc
