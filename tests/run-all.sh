#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The one test command (README.md, .ci/run): installs the missing Debian packages, builds with
# warnings as errors, then runs the VM suite. Beside the VM suite, at the lowest priority: the
# slow lane (tests/slow-checks.sh: the quick suites (unit, config corpus, CLI, docs, generator
# golden files, host loop-device tests), the package and valgrind suites, the unit, corpus, CLI,
# generator and host tests again under ASan+UBSan, the fuzz targets for a fixed time). The VM
# guest images build in the background from the start.
#
# Environment:
#   CSS_SKIP_VM=1            leave out the VM suite (quick local runs)
#   CSS_VM_TESTS_REQUIRED=1  VM tests fail instead of skipping when qemu is missing (CI sets it)
#   BUILD_DIR                default: build-tests under the source tree
#   CSS_FUZZ_SECONDS         how long each fuzz target runs (tests/slow-checks.sh)
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$src/build-tests}
asan_build=${build}-asan
fuzz_build=${build}-fuzz

# shellcheck source=tests/timeline.sh
source "$src/tests/timeline.sh"
export CSS_RUN_START=${CSS_RUN_START:-$(date +%s)}
timeline=${build}-timeline.txt
log() { timeline_log "$timeline" "$@"; }

# Sums meson's testlog.json files into the closing line "N passed, N failed, N skipped".
summarize() {
        python3 - "$@" <<'PY'
import json, sys
passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        lines = open(path).read().splitlines()
    except FileNotFoundError:
        continue
    for line in lines:
        r = json.loads(line)["result"]
        if r in ("OK", "EXPECTEDFAIL"):
            passed += 1
        elif r == "SKIP":
            skipped += 1
        else:
            failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
PY
}

rm -f "$timeline"
log "install the missing Debian packages"
"$src/tests/install-deps.sh"

# The VM guest images (debootstrap from the mirror, then a builder VM; cached across runs) are
# built in the background while the project compiles and the quick suites run: most of a
# debootstrap is waiting on the network and dpkg, so both suites' run side by side. Then
# bookworm's builder VM. Trixie's builder VM runs in the VM suite, at its first trixie scenario:
# never two VMs at once. The VM suite waits for this (vm_images_ready).
vm_images_log=${build}-vm-images.log
vm_images_pid=
if [[ ${CSS_SKIP_VM:-0} != 1 ]]; then
        log "VM guest images: building in the background (log: $vm_images_log)"
        (
                "$src/tests/vm/image/build-rootfs.sh" trixie &
                trixie_rootfs=$!
                "$src/tests/vm/image/build-layout.sh" bookworm || exit
                wait "$trixie_rootfs"
        ) >/dev/null 2>"$vm_images_log" &
        vm_images_pid=$!
fi
vm_images_ready() {
        local rc=0
        wait "$vm_images_pid" || rc=$?
        case $rc in
        0) log "VM guest images ready" ;;
        77) log "VM guest images: skipped (see $vm_images_log)" ;;
        *) log "VM guest images: the background build failed ($rc); the VM tests try again. Its log's end:"
           tail -n 20 "$vm_images_log" ;;
        esac
}

log "build (warnings are errors)"
if [[ ! -d $build ]]; then
        # The layout of a real distribution package, which the VM tests install into the guest.
        # Test points (lib/core/test_point.hpp) for the power-cut and concurrency scenarios: they
        # do nothing without their kernel command line knob. The .deb (suite package) is built
        # without them and checked for their absence.
        meson setup "$build" "$src" -Dwerror=true --prefix=/usr --sysconfdir=/etc --localstatedir=/var \
                -Dtest-points=true
else
        meson configure "$build" -Dtest-points=true
fi
ninja -C "$build"

status=0
# The summary counts these logs: none may be left from an earlier run.
logs=("$build/meson-logs/testlog-quick.json" "$build/meson-logs/testlog-slow.json"
      "$asan_build/meson-logs/testlog-asan.json" "$build/meson-logs/testlog-vm.json"
      "$build/meson-logs/testlog-fuzz.json")
rm -f "${logs[@]}"
# The slow lane runs the quick suites first (tests/slow-checks.sh).
slow_checks=("$src/tests/slow-checks.sh" "$build" "$asan_build" "$fuzz_build")
if [[ ${CSS_SKIP_VM:-0} != 1 ]]; then
        # The slow lane runs beside the VM suite at the lowest priority (tests/lowest-priority.sh):
        # a TCG guest leaves part of the 2 cores idle, and the lane gets only that. A guest whose
        # vCPU threads are starved hangs in soft lockups (seen with a build at equal priority).
        # The VM suite is the critical path: it starts as soon as the build is done, and installs
        # what was built (no second ninja in the build directory).
        export CSS_VM_NO_REBUILD=1
        slow_log=${build}-slow-lane.log
        log "slow lane (quick suites, package, valgrind, sanitizers, fuzzing): in the background (log: $slow_log)"
        "$src/tests/lowest-priority.sh" "${slow_checks[@]}" >"$slow_log" 2>&1 &
        slow_pid=$!
        trap 'kill -- "-$slow_pid" 2>/dev/null || true' EXIT
        vm_images_ready
        log "tests: VM (qemu TCG)"
        # One at a time: two TCG guests of 2 vCPUs on 2 cores each boot more than twice as slowly
        # (tests/vm/README.md).
        meson test -C "$build" --no-rebuild --suite vm --num-processes 1 --logbase testlog-vm --print-errorlogs ||
                status=1
        log "the slow lane's output (it ran beside the VM suite)"
        wait "$slow_pid" || status=1
        trap - EXIT
        cat "$slow_log"
else
        # Alone on the machine, the fuzz targets get 60 s each (90 s beside a guest: tests/slow-checks.sh).
        CSS_FUZZ_SECONDS=${CSS_FUZZ_SECONDS:-60} "${slow_checks[@]}" || status=1
fi

log "summary"
echo "where the time went (this run's phase lines, then the VM tests, longest first):"
sed 's/^/  /' "$timeline"
python3 - "$build/meson-logs/testlog-vm.json" <<'PY' || true
import json, sys
try:
    runs = [json.loads(l) for l in open(sys.argv[1])]
except FileNotFoundError:
    sys.exit(0)
runs.sort(key=lambda r: -r["duration"])
print("  VM tests: %d s in all: " % sum(r["duration"] for r in runs) +
      ", ".join("%s %d s" % (r["name"].split(" / ")[-1].removeprefix("vm-"), r["duration"]) for r in runs))
PY
summarize "${logs[@]}" || status=1
exit $status
