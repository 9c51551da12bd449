#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Shared by the tests/cli scripts: a scratch directory with a fake root (CSS_ROOT) in which
# "/" is a plain disk (not LVM), and expect() to check an exit status and an output pattern.
#
#   source lib.sh BINARY
set -u

binary=$(realpath "$1")
failures=0
scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT
export CSS_ROOT=$scratch/root

# The fake root's "/" is /dev/vda (254:0), an ordinary disk: VG unset means "no VG", so the
# steps that need LVM find nothing to do and none of them runs lvm.
make_fake_root() {
        rm -rf "$CSS_ROOT"
        mkdir -p "$CSS_ROOT"/{etc/sysconfig,proc/self,sys/devices/virtual/block/vda,sys/dev/block,var/lib}
        echo '22 1 254:0 / / rw,relatime shared:1 - ext4 /dev/vda rw' >"$CSS_ROOT/proc/self/mountinfo"
        echo 254:0 >"$CSS_ROOT/sys/devices/virtual/block/vda/dev"
        ln -s ../../devices/virtual/block/vda "$CSS_ROOT/sys/dev/block/254:0"
}
make_fake_root

# expect STATUS STREAM PATTERN -- ARGS...: run in $scratch, check the exit status and that
# STREAM (stdout/stderr/none) matches the extended regex PATTERN.
expect() {
        local want=$1 stream=$2 pattern=$3
        shift 4
        (cd "$scratch" && "$binary" "$@") >"$scratch/out" 2>"$scratch/err"
        local got=$?
        local what="container-storage-setup $*"
        if [ "$got" -ne "$want" ]; then
                echo "FAIL $what: exit $got, expected $want"
                sed 's/^/  stderr: /' "$scratch/err" | head -5
                failures=$((failures + 1))
                return 1
        fi
        local file=
        case $stream in
        stdout) file=$scratch/out ;;
        stderr) file=$scratch/err ;;
        esac
        if [ -n "$file" ] && ! grep -Eq -- "$pattern" "$file"; then
                echo "FAIL $what: $stream does not match '$pattern'"
                sed 's/^/  /' "$file" | head -5
                failures=$((failures + 1))
                return 1
        fi
        echo "ok   $what -> $got"
}

# check CONDITION-COMMAND... -- DESCRIPTION
check() {
        local what=${*: -1}
        if "${@:1:$#-2}"; then
                echo "ok   $what"
        else
                echo "FAIL $what"
                failures=$((failures + 1))
        fi
}

finish() {
        echo "$failures failed"
        [ "$failures" -eq 0 ]
}
