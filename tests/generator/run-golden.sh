#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Golden-file tests of the real generator binary (style.md §1d, §2d). For each case in CASES_DIR:
#   root/      the machine: etc/sysconfig/docker-storage-setup, proc/cmdline, proc/self/mountinfo,
#              sys/dev/block/*/dm/{name,uuid}, etc/initrd-release, unit files, etc/sysconfig/docker-storage
#   env        optional: KEY=VALUE lines added to the environment, "-KEY" to unset a default
#   before/    optional: what is in the normal directory before the run (another generator's
#              units, written first: PID 1 runs generators in parallel into the same directory)
#   expected/  the normal directory afterwards (".empty" marks "no output"); symlinks are real,
#              relative symlinks. Build paths are written as @HELPERDIR@ and @BINDIR@.
# The root is copied (symlinks dereferenced, so a case can point at the shipped data/ files) and
# the shipped defaults file is put in place unless the case has its own. proc/cmdline, when
# present, is passed as CSS_PROC_CMDLINE. The generator gets three fresh directories; early and
# late must stay empty. CSS_UPDATE_GOLDEN=1 rewrites expected/ from the output instead.
#
# Usage: run-golden.sh GENERATOR CASES_DIR HELPERDIR BINDIR DEFAULTS_FILE
set -euo pipefail

generator=$1 cases=$2 helperdir=$3 bindir=$4 defaults=$5
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

failures=0 count=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

# The generator contract: one or three directories, anything else is a usage error (exit 2).
contract() {
        local want=$1; shift
        local rc=0
        env -i CSS_LOG_TARGET=console CSS_IN_CONTAINER=0 CSS_ROOT="$tmp/none" "$generator" "$@" 2>/dev/null || rc=$?
        [ "$rc" = "$want" ] || fail "generator with $# argument(s) exited $rc, expected $want"
        count=$((count + 1))
}
mkdir -p "$tmp/d1" "$tmp/d2" "$tmp/d3" "$tmp/d4"
contract 2
contract 2 "$tmp/d1" "$tmp/d2"
contract 2 "$tmp/d1" "$tmp/d2" "$tmp/d3" "$tmp/d4"
contract 0 "$tmp/d1"
contract 0 "$tmp/d1" "$tmp/d2" "$tmp/d3"

for case in "$cases"/*/; do
        case=${case%/}
        name=$(basename "$case")
        count=$((count + 1))
        work="$tmp/$name"
        mkdir -p "$work/root" "$work/normal" "$work/early" "$work/late"
        [ -d "$case/root" ] && cp -rL "$case/root/." "$work/root/"
        [ -d "$case/before" ] && cp -a "$case/before/." "$work/normal/"
        if [ ! -e "$work/root/usr/share/container-storage-setup/container-storage-setup" ]; then
                mkdir -p "$work/root/usr/share/container-storage-setup"
                cp "$defaults" "$work/root/usr/share/container-storage-setup/container-storage-setup"
        fi

        vars=(CSS_LOG_TARGET=console CSS_LOG_LEVEL=debug CSS_ROOT="$work/root" CSS_IN_CONTAINER=0)
        if [ -f "$work/root/proc/cmdline" ]; then
                vars+=(CSS_PROC_CMDLINE="$(cat "$work/root/proc/cmdline")")
        fi
        if [ -f "$case/env" ]; then
                while IFS= read -r line; do
                        [ -z "$line" ] && continue
                        if [[ $line == -* ]]; then
                                key=${line#-}
                                filtered=()
                                for v in "${vars[@]}"; do [[ $v == "$key="* ]] || filtered+=("$v"); done
                                vars=("${filtered[@]}")
                        else
                                vars+=("$line")
                        fi
                done < "$case/env"
        fi

        rc=0
        env -i "${vars[@]}" "$generator" "$work/normal" "$work/early" "$work/late" 2>"$work/log" || rc=$?
        if [ "$rc" != 0 ]; then
                fail "$name: generator exited $rc"; cat "$work/log"; continue
        fi
        if [ -n "$(find "$work/early" "$work/late" -mindepth 1)" ]; then
                fail "$name: wrote into the early or late directory"
        fi

        # Build paths are not part of the golden output.
        find "$work/normal" -type f -exec sed -i -e "s|$helperdir/|@HELPERDIR@/|g" -e "s|$bindir/|@BINDIR@/|g" {} +

        if [ "${CSS_UPDATE_GOLDEN:-0}" = 1 ]; then
                rm -rf "$case/expected"
                cp -a "$work/normal" "$case/expected"
                [ -n "$(ls -A "$case/expected")" ] || touch "$case/expected/.empty"
                echo "updated $name"
                continue
        fi
        if [ ! -d "$case/expected" ]; then
                fail "$name: no expected/ (run with CSS_UPDATE_GOLDEN=1)"; continue
        fi
        if ! diff -ru --no-dereference --exclude=.empty "$case/expected" "$work/normal" > "$work/diff"; then
                fail "$name: output differs from expected/"; cat "$work/diff"; echo "--- generator log:"; cat "$work/log"
        else
                echo "ok $name"
        fi
done

echo "$count checks, $failures failed"
[ "$failures" = 0 ]
