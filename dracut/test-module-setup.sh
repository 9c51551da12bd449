#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Tests the dracut module's functions against stand-ins for dracut's: what check() answers for
# host-only and generic images, with and without settings that ask for GROWPART, and what
# install() puts in. The real dracut run is the VM scenario 11-dracut-initrd.
#
#   test-module-setup.sh MODULE_SETUP_SH CLI
#
# MODULE_SETUP_SH is the configured module-setup.sh of a build, CLI its container-storage-setup.
# shellcheck disable=SC2034 # systemdutildir, hostonly, dracutsysrootdir: read by the module
set -euo pipefail

(($# == 2)) || { echo "usage: $0 MODULE_SETUP_SH CLI" >&2; exit 2; }
module=$1
PATH=$(cd "$(dirname "$2")" && pwd):$PATH
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

passed=0 failed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }
not_ok() { echo "FAIL: $*"; failed=$((failed + 1)); }
expect_eq() { if [[ $1 == "$2" ]]; then ok "$3"; else not_ok "$3: expected '$2', got '$1'"; fi; }

# dracut's functions and variables, recording what the module asks for.
missing_binary=""
calls=()
require_binaries() {
        local b
        for b in "$@"; do [[ $b != "$missing_binary" ]] || return 1; done
}
inst_binary() { calls+=("inst_binary $*"); }
inst_multiple() { calls+=("inst_multiple $*"); }
inst_simple() { calls+=("inst_simple $*"); }
systemdutildir=/usr/lib/systemd

# shellcheck source=/dev/null
source "$module"

# A sysroot (dracut --sysroot) with the given settings file, or none.
make_root() {
        local root=$work/$1
        mkdir -p "$root/usr/share/container-storage-setup"
        cp "$(dirname "$0")/../data/container-storage-setup.conf" "$root/usr/share/container-storage-setup/container-storage-setup"
        if [[ -n $2 ]]; then
                mkdir -p "$root/etc/sysconfig"
                printf '%s\n' "$2" >"$root/etc/sysconfig/docker-storage-setup"
        fi
        echo "$root"
}

check_rc() {
        local rc=0
        hostonly=$1 dracutsysrootdir=$2
        check || rc=$?
        echo "$rc"
}

growpart=$(make_root growpart $'STORAGE_DRIVER=overlay2\nGROWPART="true"')
nogrow=$(make_root nogrow $'STORAGE_DRIVER=overlay2\nGROWPART=false')
none=$(make_root none "")
invalid=$(make_root invalid $'GROWPART=true\nSTORAGE_DRIVER=zfs-of-course')

expect_eq "$(check_rc yes "$growpart")" 0 "host-only, GROWPART=true (quoted): included"
expect_eq "$(check_rc yes "$nogrow")" 255 "host-only, GROWPART=false: only on request"
expect_eq "$(check_rc yes "$none")" 255 "host-only, no settings file: only on request"
expect_eq "$(check_rc yes "$invalid")" 255 "host-only, invalid settings: only on request"
expect_eq "$(check_rc "" "$growpart")" 255 "generic image, GROWPART=true: only on request"
missing_binary=lvm
expect_eq "$(check_rc yes "$growpart")" 1 "no lvm: cannot be included"
missing_binary=""
expect_eq "$(depends)" "systemd-initrd lvm dm" "depends"

# install(): the generator where the initrd's systemd looks, the two root-growing helpers, lvm
# and pvresize, the defaults; the host's settings only in a host-only image.
expected_common=(
        "inst_binary $css_generator /usr/lib/systemd/system-generators/container-storage-setup-generator"
        "inst_multiple $css_helperdir/css-growpart $css_helperdir/css-pvresize lvm pvresize"
        "inst_simple /usr/share/container-storage-setup/container-storage-setup"
)
calls=()
hostonly=yes install
expect_eq "$(printf '%s\n' "${calls[@]}")" "$(printf '%s\n' "${expected_common[@]}" "inst_multiple -H -o /etc/sysconfig/docker-storage-setup")" \
        "install, host-only"
calls=()
hostonly="" install
expect_eq "$(printf '%s\n' "${calls[@]}")" "$(printf '%s\n' "${expected_common[@]}")" "install, generic image: no settings"

if command -v shellcheck >/dev/null; then
        if shellcheck -s bash "$module"; then ok "shellcheck $module"; else not_ok "shellcheck $module"; fi
fi

echo "$passed passed, $failed failed"
((failed == 0))
