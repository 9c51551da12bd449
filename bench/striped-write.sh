#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Sequential write throughput of a striped LV against a linear one on the same disks (issue 18):
# boots VM scenario 41-engines-debian13 (Debian 13, three blank 8G disks named by id, the
# container LVs striped with STRIPES=auto), whose boot 2 writes 384 MiB with `dd oflag=direct
# bs=1M` to a new 3-stripe LV (64K stripes) and to a new linear LV on one of the same disks.
# The disks are sparse files on one host disk behind qemu TCG: the figures say what the guest
# gets from qemu's virtio-blk, not what three NVMe disks would give.
#
# Usage: bench/striped-write.sh BUILD_DIR [REPEATS]
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "$1")
repeats=${2:-1}
for ((r = 1; r <= repeats; r++)); do
        "$src/tests/vm/run-scenario.sh" -B "$build" -g trixie 41-engines-debian13 >"$build/meson-logs/bench-striped-write-$r.log" 2>&1 ||
                { tail -n 30 "$build/meson-logs/bench-striped-write-$r.log" >&2; exit 1; }
        grep -h '^MEASURE dd' "$build/meson-logs/vm/41-engines-debian13/artefacts/boot-2/guest.log" | sed "s/^MEASURE /run $r: /"
done
