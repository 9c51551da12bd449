#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Demo: the Atomic Host lab, with this project instead of the original tool.
# Builds the project (build dir $CSS_BUILD_DIR, default build-vm in the clone) and the
# cached VM image when needed, boots the lab's disk layout with the project installed
# and the lab's default config, and prints what the lab shows: the config, the status
# of docker-storage-setup.service and of each css-* step, lsblk and docker's storage
# driver. The first run builds the image (about 5 minutes); later runs take about 1.
#
#   tests/vm/demo.sh [GUEST]    GUEST: bookworm (Debian 12 with Atomic's docker.service, the
#                               default) or trixie (Debian 13, docker.service as Debian ships it)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

SRCDIR=$(cd "$CSS_VM_DIR/../.." && pwd)

# Configure and build the project as a distribution would lay it out (/usr, /etc).
build_project() {
        local builddir=$1
        if [[ ! -f $builddir/build.ninja ]]; then
                log "configuring $builddir"
                meson setup "$builddir" "$SRCDIR" --prefix=/usr --sysconfdir=/etc -Dtests=false >&2 || return 1
        fi
        log "building $builddir"
        meson compile -C "$builddir" >&2
}

main() {
        local builddir=${CSS_BUILD_DIR:-$SRCDIR/build-vm} install=yes rc=0 guest=${1:-bookworm}
        "$SRCDIR/tests/install-deps.sh"
        build_project "$builddir"
        local logdir=${CSS_VM_LOGDIR:-/var/tmp/css-vm-demo}
        CSS_VM_LOGDIR=$logdir CSS_VM_INSTALL_PROJECT=$install \
                "$CSS_VM_DIR/run-scenario.sh" -B "$builddir" -g "$guest" "$CSS_VM_DIR/demo" || rc=$?
        local out=$logdir/demo@$guest/artefacts/boot-1/guest.log
        if [[ -f $out ]]; then
                echo
                echo "===== the guest (Atomic Host layout, project installed: $install) ====="
                cat "$out"
                echo "===== artefacts: $logdir/demo@$guest ====="
        fi
        exit "$rc"
}

# shellcheck disable=SC2317 # main exits; this exit only guards against edits of a running script
{ main "$@"; exit; }
