# SPDX-License-Identifier: Apache-2.0
# Shared host-side helpers of the VM harness. Sourced, never executed.
# shellcheck shell=bash

# Where the harness lives; every other path is derived from it.
CSS_VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Images are big and must never land in the clone: cache them outside it.
CSS_VM_CACHE=${CSS_VM_CACHE:-/var/cache/container-storage-setup-vm}

log() { printf '[vm %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# set -e ends a script silently; say where and what failed (-E: in functions too).
set -E
trap 'log "ERROR: exit $? at ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND"' ERR

# meson and automake read 77 as "skipped". CI sets CSS_VM_TESTS_REQUIRED=1 so that a
# missing tool is a failure there instead of a silent skip.
skip_or_fail() {
        if [[ ${CSS_VM_TESTS_REQUIRED:-0} == 1 ]]; then
                die "$* (CSS_VM_TESTS_REQUIRED=1, so this is a failure)"
        fi
        log "SKIP: $*"
        exit 77
}

require_host_tools() {
        local tool
        command -v qemu-system-x86_64 >/dev/null || skip_or_fail "qemu-system-x86_64 not found (apt-get install qemu-system-x86)"
        for tool in "$@"; do
                command -v "$tool" >/dev/null || skip_or_fail "$tool not found"
        done
}

# sha256 over the given files, names included, so renames change the key too.
hash_files() {
        local f
        for f in "$@"; do
                printf '%s\n' "${f#"$CSS_VM_DIR"/}"
                cat "$f"
        done | sha256sum | cut -c1-16
}

# Serialise the image builds of one guest suite ($SUITE, set by the image scripts) between
# concurrent harness runs (demo + meson test); a run on another suite's cached image does not wait.
with_cache_lock() {
        mkdir -p "$CSS_VM_CACHE"
        exec {CSS_VM_LOCK_FD}>"$CSS_VM_CACHE/.lock-${SUITE:?}"
        flock "$CSS_VM_LOCK_FD"
        "$@"
        flock -u "$CSS_VM_LOCK_FD"
}

# rm -rf of a build directory that may hold a chroot: an interrupted debootstrap or
# chroot can leave /proc or /sys mounted inside it, and rm must not walk into those.
remove_tree() {
        local dir=$1 mnt
        [[ -e $dir ]] || return 0
        dir=$(realpath "$dir")
        # Deepest mounts first.
        awk -v dir="$dir/" 'index($2, dir) == 1 {print $2}' /proc/mounts | sort -r | while read -r mnt; do
                umount -l "$mnt" || true
        done
        rm -rf --one-file-system "$dir"
}
