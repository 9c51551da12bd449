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
# Usage: bench/vm-provision.sh BUILD_DIR [REPEATS]   (REPEATS runs of each case, default 1)
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "$1")
repeats=${2:-1}
logs=$build/meson-logs/bench-vm

load() { cut -d' ' -f1-3 /proc/loadavg; }

results=()
for ((r = 1; r <= repeats; r++)); do
        for case in devicemapper overlay2; do
                before=$(load)
                CSS_VM_LOGDIR=$logs/run-$r "$src/tests/vm/run-scenario.sh" -B "$build" "$src/bench/vm/$case" >&2
                for boot in 1 2; do
                        f=$logs/run-$r/$case/artefacts/boot-$boot/bench.txt
                        [ -f "$f" ] || { echo "missing $f" >&2; exit 1; }
                        while IFS= read -r line; do results+=("$case|$before|$line"); done <"$f"
                done
        done
done

echo "Provisioning in a qemu TCG guest (2 vCPUs), $(nproc) host CPUs; load = host load average (1/5/15 min) before the run"
printf '%-13s %-19s %8s %8s %6s %5s %8s %7s  %-14s  %s\n' case run "wall ms" "busy ms" execs lvm dmsetup machine "load" "steps (ms)"
for line in "${results[@]}"; do
        IFS='|' read -r case before label wall busy total lvm dmsetup window overrun steps <<<"$line"
        [ "$overrun" = 0 ] || label="$label(overrun!)"
        printf '%-13s %-19s %8s %8s %6s %5s %8s %7s  %-14s  %s\n' "$case" "$label" "$wall" "$busy" "$total" "$lvm" "$dmsetup" \
                "$window" "$before" "$steps"
done
echo "wall: first step's start to the last one's end (boot) or the command's run (by hand); busy: the sum of the steps' durations;"
echo "execs: every program executed by the steps (helper, CLI and their children, mount(8) of the .mount unit);"
echo "machine: every program executed on the guest between the first step's start and the last one's end."
echo "Reference (the original, same kind of guest, devicemapper): 14.6-20.0 s, 90-92 execs, 30 lvm/dmsetup; rerun 28 execs."
echo "Logs and traces: $logs"
