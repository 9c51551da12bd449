#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The command-line contract of container-storage-setup: exit 0 when done (or valid),
# 1 when the configuration is invalid, 2 for a usage error; --help and --version on stdout.
#
#   test-invocations.sh BINARY VERSION
set -u

binary=$(realpath "$1")
version=$2
failures=0
scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT
export CSS_ROOT=$scratch/root
mkdir -p "$CSS_ROOT"

# expect STATUS STREAM PATTERN -- ARGS...: run, check the exit status and that STREAM
# (stdout/stderr/none) matches the extended regex PATTERN.
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
                return
        fi
        case $stream in
        stdout) file=$scratch/out ;;
        stderr) file=$scratch/err ;;
        *) file= ;;
        esac
        if [ -n "$file" ] && ! grep -Eq -- "$pattern" "$file"; then
                echo "FAIL $what: $stream does not match '$pattern'"
                sed 's/^/  /' "$file" | head -5
                failures=$((failures + 1))
                return
        fi
        echo "ok   $what -> $got"
}

printf 'STORAGE_DRIVER=overlay2\n' >"$scratch/good.conf"
printf 'STORAGE_DRIVER=zfs\n' >"$scratch/bad.conf"

expect 0 stdout '^Usage: container-storage-setup' -- --help
expect 0 stdout '^Usage: container-storage-setup' -- -h
expect 0 stdout "^${version//./\\.}\$" -- --version
expect 2 stderr '^Usage: container-storage-setup' --
expect 2 stderr 'Unknown command frobnicate' -- frobnicate
expect 2 stderr "Unknown option '--frob'" -- --frob
expect 0 stdout '^Usage: container-storage-setup check' -- check --help
expect 0 stdout '^STORAGE_DRIVER=devicemapper$' -- check
expect 0 stdout '^STORAGE_DRIVER=overlay2$' -- check good.conf
expect 0 stdout '^STORAGE_DRIVER=overlay2$' -- check -- good.conf
expect 0 stdout '"STORAGE_DRIVER": "overlay2"' -- check --json good.conf
expect 0 stdout '"STORAGE_DRIVER": "overlay2"' -- check good.conf --json
expect 1 stderr 'Invalid storage driver: zfs\.' -- check bad.conf
expect 1 stderr "Failed to read 'missing.conf': No such file or directory" -- check missing.conf
expect 2 stderr 'Too many arguments' -- check good.conf bad.conf
expect 2 stderr "Unknown option '--frob'" -- check --frob good.conf

# Invalid output produces nothing on stdout.
expect 1 none '' -- check bad.conf
if [ -s "$scratch/out" ]; then
        echo "FAIL check bad.conf wrote to stdout"
        failures=$((failures + 1))
fi

# The default input is /etc/sysconfig/docker-storage-setup under CSS_ROOT; FILE is not.
mkdir -p "$CSS_ROOT/etc/sysconfig"
printf 'STORAGE_DRIVER=overlay\n' >"$CSS_ROOT/etc/sysconfig/docker-storage-setup"
expect 0 stdout '^STORAGE_DRIVER=overlay$' -- check
expect 0 stdout '^STORAGE_DRIVER=overlay2$' -- check good.conf
# An installed defaults file replaces the built-in defaults.
mkdir -p "$CSS_ROOT/usr/share/container-storage-setup"
# A key the installed file leaves out is unset, as when the original sourced it.
printf 'STORAGE_DRIVER=devicemapper\nAUTO_EXTEND_POOL=yes\n' \
        >"$CSS_ROOT/usr/share/container-storage-setup/container-storage-setup"
rm "$CSS_ROOT/etc/sysconfig/docker-storage-setup"
expect 1 stderr 'DATA_SIZE not specified\.' -- check
expect 1 stderr 'POOL_AUTOEXTEND_THRESHOLD not specified' -- check
printf 'DATA_SIZE=7G\nSTORAGE_DRIVER=devicemapper\n' \
        >"$CSS_ROOT/usr/share/container-storage-setup/container-storage-setup"
expect 0 stdout '^DATA_SIZE=7G$' -- check
expect 0 stdout '^AUTO_EXTEND_POOL=no$' -- check

# A failing stdout is an error, not a silent success.
if [ -w /dev/full ]; then
        (cd "$scratch" && "$binary" check good.conf >/dev/full 2>"$scratch/err")
        if [ $? -ne 1 ]; then
                echo "FAIL check >/dev/full did not exit 1"
                failures=$((failures + 1))
        else
                echo "ok   container-storage-setup check good.conf >/dev/full -> 1"
        fi
fi

echo "$failures failed"
[ "$failures" -eq 0 ]
