#!/bin/bash
# shellcheck disable=SC2317 # the functions run through with_cache_lock
# SPDX-License-Identifier: Apache-2.0
# Stage 2 of the VM image: the lab's Atomic Host disk layout, built once in a builder
# VM (LVM needs device-mapper, which the host kernel lacks) and cached as a sparse raw
# image in $CSS_VM_CACHE/atomic-KEY/base.raw, next to the kernel and the initrd. KEY
# hashes stage 1's key and this stage's scripts. Tests open base.raw only through a
# copy-on-write overlay, so the cache stays pristine.
# Prints the cache directory on stdout.
#
#   build-layout.sh [SUITE]     the guest's Debian suite: bookworm (default) or trixie
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=../lib/vm.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/vm.sh"

IMAGE_DIR=$CSS_VM_DIR/image
DISK_SIZE=12G

layout_key() {
        local rootfs=$1
        { basename "$rootfs"; hash_files "$IMAGE_DIR/build-layout.sh" "$IMAGE_DIR/layout-guest.sh"; } |
                sha256sum | cut -c1-16
}

# The builder boots the plain ext4 image of the root filesystem (snapshot=on: its
# writes are thrown away) and gets the blank target disk as vdb and the root
# filesystem's tar as vdc.
# shellcheck disable=SC2034 # the VM_* globals are vm_boot's input (lib/vm.sh)
build_layout() {
        local rootfs=$1 out=$2 work=$2.tmp start=$SECONDS
        remove_tree "$work"
        mkdir -p "$work/stage" "$work/logs"
        truncate -s "$DISK_SIZE" "$work/base.raw"
        vm_stage_harness "$work/stage"
        vm_stage_guest_script "$work/stage" "$IMAGE_DIR/layout-guest.sh"
        vm_make_initrd "$rootfs/initrd.img" "$work/stage" "$work/initrd-builder.img"
        VM_KERNEL=$rootfs/vmlinuz
        VM_INITRD=$work/initrd-builder.img
        VM_CMDLINE="root=/dev/vda rw $VM_CLOUD_INIT_OFF"
        VM_DRIVES=(
                "file=$rootfs/rootfs.ext4,format=raw,snapshot=on"
                "file=$work/base.raw,format=raw,cache=unsafe"
                "file=$rootfs/rootfs.tar,format=raw,readonly=on"
        )
        VM_SHARE=$work/logs
        log "builder VM: making the Atomic layout (about 2 minutes under TCG)"
        vm_run_boots "$work/logs" 1 || die "the builder VM failed; logs in $work/logs"
        cp "$rootfs/vmlinuz" "$rootfs/initrd.img" "$work/"
        remove_tree "$work/stage"
        rm -f "$work/initrd-builder.img"
        mv "$work" "$out"
        touch "$out/done"
        log "Atomic layout built in $((SECONDS - start)) s: $out ($(du -h "$out/base.raw" | cut -f1) used of $DISK_SIZE)"
}

# Stale layouts of the same suite (atomic-KEY without a suite: before Debian 13 guests).
prune_old() {
        local keep=$1 dir
        for dir in "$CSS_VM_CACHE/atomic-$SUITE"-* "$CSS_VM_CACHE"/atomic-????????????????; do
                [[ -d $dir && $dir != "$keep" ]] || continue
                log "removing stale cache $dir"
                remove_tree "$dir"
        done
}

main() {
        local rootfs=$1 out
        # Only the result goes to stdout (callers capture it); all tools' chatter to stderr.
        exec 3>&1 1>&2
        out=$CSS_VM_CACHE/atomic-$SUITE-$(layout_key "$rootfs")
        if [[ ! -e $out/done ]]; then
                prune_old "$out"
                build_layout "$rootfs" "$out"
        fi
        echo "$out" >&3
}

require_host_tools qemu-img cpio
SUITE=${1:-bookworm}
# Stage 1 takes the lock itself: call it before taking it here.
rootfs=$("$IMAGE_DIR/build-rootfs.sh" "$SUITE")
# On one line with exit: an edit of this file during a build must not run anything more.
with_cache_lock main "$rootfs"; exit
