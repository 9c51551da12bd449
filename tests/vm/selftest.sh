#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Self-test of the VM harness: proves that it can fail.
#   1. vm_classify_boot on made-up serial logs (no VM): markers, nonces, CRLF, panics.
#   2. (unless --quick) real boots of the scenarios in tests/vm/selftest/: a guest
#      script exiting 1 (after printing a fake pass marker), a kernel panic and a hang
#      must each make run-scenario.sh fail with the matching message.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/vm.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/vm.sh"

FAILURES=0

check() {
        local what=$1 expected=$2 actual=$3
        if [[ $actual == "$expected" ]]; then
                echo "ok: $what"
        else
                echo "FAIL: $what: expected '$expected', got '$actual'"
                FAILURES=$((FAILURES + 1))
        fi
}

# classify LOG_TEXT QEMU_RC: vm_classify_boot on a log made of LOG_TEXT.
classify() {
        local tmp
        tmp=$(mktemp)
        printf '%b' "$1" >"$tmp"
        vm_classify_boot "$tmp" n0nce "$2"
        rm -f "$tmp"
}

test_classify() {
        check "pass marker" "result:0" "$(classify 'boot...\r\nCSS-VM-RESULT n0nce boot=1 rc=0\r\n' 0)"
        check "failing guest script" "result:1" "$(classify 'CSS-VM-RESULT n0nce boot=2 rc=1\n' 0)"
        check "marker of another run" "nomarker" "$(classify 'CSS-VM-RESULT 0ther boot=1 rc=0\n' 0)"
        check "marker not at line start" "nomarker" "$(classify 'echo CSS-VM-RESULT n0nce boot=1 rc=0\n' 0)"
        check "reboot request" "reboot" "$(classify 'CSS-VM-REBOOT n0nce boot=1\r\n' 0)"
        check "kernel panic" "panic" "$(classify '[ 9.1] Kernel panic - not syncing: sysrq triggered crash\n' 0)"
        check "the emulator's int3 Oops after /init" "emulator-fault" \
                "$(classify '[   16.503561] Oops: int3: 0000 [#1] PREEMPT SMP NOPTI\n[   16.503913] CPU: 1 UID: 0 PID: 18 Comm: rcu_preempt Not tainted\n[   16.506987] Kernel panic - not syncing: Fatal exception in interrupt\n' 0)"
        check "an int3 Oops before /init" "early-panic" \
                "$(classify '[ 3.2] Oops: int3: 0000 [#1]\n[ 3.2] CPU: 0 UID: 0 PID: 1 Comm: swapper/0 Not tainted\n[ 3.3] Kernel panic - not syncing: Attempted to kill init!\n' 0)"
        check "panic after a pass marker" "panic" "$(classify 'CSS-VM-RESULT n0nce boot=1 rc=0\nKernel panic - not syncing: x\n' 0)"
        check "emergency mode" "emergency" "$(classify 'CSS-VM-EMERGENCY: the boot reached emergency mode\n' 0)"
        check "timeout" "timeout" "$(classify 'Starting...\n' 124)"
        check "killed after timeout" "timeout" "$(classify '' 137)"
        check "qemu error" "qemu-error:1" "$(classify '' 1)"
        check "powered off without marker" "nomarker" "$(classify 'reboot: Power down\n' 0)"
}

# expect_vm_failure SCENARIO MESSAGE [ENV...]: run-scenario.sh must fail and say MESSAGE.
expect_vm_failure() {
        local scenario=$1 message=$2 out rc=0
        shift 2
        out=$(env "$@" CSS_VM_LOGDIR="$LOGDIR" "$CSS_VM_DIR/run-scenario.sh" "$CSS_VM_DIR/selftest/$scenario" 2>&1) || rc=$?
        if ((rc == 77)); then
                echo "$out"
                exit 77
        fi
        if ((rc != 0)) && grep -q -- "$message" <<<"$out"; then
                echo "ok: $scenario fails (rc $rc) with '$message'"
        else
                echo "$out" | tail -n 40
                echo "FAIL: $scenario: expected a failure saying '$message', got rc $rc"
                FAILURES=$((FAILURES + 1))
        fi
}

test_vm_failures() {
        require_host_tools qemu-img cpio timeout
        expect_vm_failure fail-exit1 "the guest script exited with 1"
        expect_vm_failure panic "kernel panic in boot 1"
        # Boots take about 30 s: 120 s is a hang, and keeps the test short.
        expect_vm_failure hang "did not finish within 120 s" CSS_VM_BOOT_TIMEOUT=120
}

main() {
        LOGDIR=${CSS_VM_LOGDIR:-${CSS_BUILD_DIR:-/var/tmp}/meson-logs/vm}/selftest
        test_classify
        [[ ${1:-} == --quick ]] || test_vm_failures
        if ((FAILURES > 0)); then
                echo "$FAILURES self-test(s) failed"
                exit 1
        fi
        echo "harness self-test passed"
}

main "$@"; exit
