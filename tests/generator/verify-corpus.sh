#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The configurations of the corpora through the real generator and `systemd-analyze verify`
# (issue 15, item 2): whatever the validator accepts, the generator writes the steps (no
# `--generator-error` fallback, no error logged) and systemd takes every unit without a message.
# The fuzz target `generator` checks the same promise on the unit names and paths at fuzzing
# speed; this runs systemd itself, on a sample that keeps the test near half a minute: every
# parser-corpus .conf and every stored fuzz seed but the copies of the parser corpus.
#
# Each config is the /etc/sysconfig/docker-storage-setup of the golden case 02's machine (root on
# LVM, VG atomicos), so DEVS, GROWPART and ROOT_SIZE give their steps. verify_tree is
# verify-lib.sh's, as for the golden cases.
#
# Usage: verify-corpus.sh CLI GENERATOR HELPERDIR BINDIR DEFAULTS_FILE ROOT_CASE CORPUS_DIR...
set -euo pipefail

cli=$(realpath "$1") generator=$(realpath "$2") helperdir=$3 bindir=$4 defaults=$5 root_case=$6
shift 6
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not found, skipping"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source-path=SCRIPTDIR source=verify-lib.sh
source "$(dirname "$0")/verify-lib.sh"

mkdir -p "$tmp/nocase"
failures=0 count=0 refused=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

for dir in "$@"; do
        for input in "$dir"/*; do
                name=$(basename "$input")
                case $name in
                corpus-*) continue ;;  # the fuzz seeds copied from the parser corpus
                *.conf) ;;
                *.*) continue ;;       # the parser corpus' .expected, .gen, .args
                esac
                work=$tmp/run
                rm -rf "$work"
                mkdir -p "$work/root/etc/sysconfig" "$work/root/usr/share/container-storage-setup" "$work/normal"
                cp -rL "$root_case/root/." "$work/root/"
                cp "$defaults" "$work/root/usr/share/container-storage-setup/container-storage-setup"
                cp "$input" "$work/root/etc/sysconfig/docker-storage-setup"
                count=$((count + 1))
                # What the validator says: only what it accepts is this test's business.
                if ! env -i CSS_ROOT="$work/root" "$cli" check >/dev/null 2>&1; then
                        refused=$((refused + 1))
                        continue
                fi
                rc=0
                env -i CSS_LOG_TARGET=console CSS_ROOT="$work/root" CSS_IN_CONTAINER=0 CSS_PROC_CMDLINE= \
                        "$generator" "$work/normal" "$work/normal" "$work/normal" 2>"$work/log" || rc=$?
                if [ "$rc" != 0 ] || grep -q '^<3>' "$work/log" ||
                   grep -q -- '--generator-error' "$work/normal/docker-storage-setup.service" 2>/dev/null; then
                        fail "$name: accepted, but the generator could not write its units (exit $rc):"
                        grep '^<3>' "$work/log" || true
                        continue
                fi
                find "$work/normal" -type f -exec sed -i -e "s|$helperdir/|@HELPERDIR@/|g" -e "s|$bindir/|@BINDIR@/|g" {} +
                verify_tree "$tmp/nocase" "$work/normal" "$work/verify"
                if [ -s "$work/verify" ]; then
                        fail "$name:"; cat "$work/verify"
                fi
        done
done

echo "$count configurations, $refused refused by the validator, $((count - refused)) verified, $failures failed"
[ "$failures" = 0 ]
