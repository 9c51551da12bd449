#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Provisioning in the VM (qemu TCG, the harness of tests/vm): for DEVS=/dev/vdb + VG +
# devicemapper on a blank 10G disk and for overlay2 with a container root LV, the boot path,
# the provisioned reboot and `container-storage-setup` by hand: wall time, every process
# executed (kernel trace events sched_process_exec/fork, attributed by process tree), how many
# of them are lvm/dmsetup, how many programs ran on the whole machine meanwhile, and each
# step's duration (systemd's ExecMainStart/ExitTimestampMonotonic). Guest side: bench/vm/.
#
# Usage: bench/vm-provision.sh [--original DIR] BUILD_DIR [REPEATS]
#   REPEATS runs of each case (default 1). --original DIR: also measure the original tool, in
#   the same guest with the same disks and settings, each case right after this project's:
#   DIR is a checkout of https://github.com/projectatomic/container-storage-setup (its
#   container-storage-setup.sh, libcss.sh, container-storage-setup.conf and
#   css-child-read-write.sh are used; bench/vm/original.sh installs them in the guest).
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
original=
if [[ ${1:-} == --original ]]; then
        original=$(realpath "$2")
        shift 2
        for f in container-storage-setup.sh libcss.sh container-storage-setup.conf css-child-read-write.sh; do
                [[ -f $original/$f ]] || { echo "--original $original: no $f" >&2; exit 2; }
        done
fi
build=$(realpath "$1")
repeats=${2:-1}
logs=$build/meson-logs/bench-vm
tools=(this)
[[ -z $original ]] || tools+=(original)

load() { cut -d' ' -f1-3 /proc/loadavg; }

results=()
for ((r = 1; r <= repeats; r++)); do
        for case in devicemapper overlay2; do
                for tool in "${tools[@]}"; do
                        before=$(load)
                        orig=
                        [[ $tool == this ]] || orig=$original
                        CSS_BENCH_ORIGINAL=$orig CSS_VM_LOGDIR=$logs/run-$r/$tool \
                                "$src/tests/vm/run-scenario.sh" -B "$build" "$src/bench/vm/$case" >&2
                        for boot in 1 2; do
                                f=$logs/run-$r/$tool/$case/artefacts/boot-$boot/bench.txt
                                [ -f "$f" ] || { echo "missing $f" >&2; exit 1; }
                                while IFS= read -r line; do results+=("$tool|$case|$before|$line"); done <"$f"
                        done
                done
        done
done

echo "Provisioning in a qemu TCG guest (2 vCPUs), $(nproc) host CPUs; load = host load average (1/5/15 min) before the run"
printf '%-8s %-13s %-19s %8s %8s %6s %5s %8s %7s  %-14s  %s\n' tool case run "wall ms" "busy ms" execs lvm dmsetup \
        machine "load" "steps (ms)"
failed=0
for line in "${results[@]}"; do
        IFS='|' read -r tool case before label wall busy total lvm dmsetup window overrun steps <<<"$line"
        [ "$overrun" = 0 ] || label="$label(overrun!)"
        [[ $tool != this || $label != *FAILED* ]] || failed=1
        printf '%-8s %-13s %-19s %8s %8s %6s %5s %8s %7s  %-14s  %s\n' "$tool" "$case" "$label" "$wall" "$busy" "$total" \
                "$lvm" "$dmsetup" "$window" "$before" "$steps"
done
echo "tool: this project, or the original (--original) in the same guest."
echo "wall: first step's start to the last one's end (boot) or the command's run (by hand); busy: the sum of the steps' durations;"
echo "execs: every program executed by the steps (helper, CLI and their children, mount(8) of the .mount unit);"
echo "machine: every program executed on the guest between the first step's start and the last one's end."
echo "Reference (the original, same kind of guest, devicemapper, issue 8): 14.6-20.0 s, 90-92 execs, 30 lvm/dmsetup; rerun 28 execs."
echo "Logs and traces: $logs"
exit $failed
