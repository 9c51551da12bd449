#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# What the corpus (run-corpus.sh) cannot show with `check` alone:
#   1. the generator over every corpus input, put in place as /etc/sysconfig/docker-storage-setup:
#      it must exit 0 within seconds, run nothing (the canary file), and for an input `check`
#      refuses emit exactly the failing-check units of the golden case 09-invalid-config and
#      log an error, for one it accepts units and no error; an input that does not exist (a
#      dangling symlink) means no setup and no units;
#   2. a configuration file its reader may not open, as a non-root user (root reads anything):
#      `check` fails with a clear message, the generator emits the failing-check units.
#
# Usage: run-generator-and-unreadable.sh CLI GENERATOR CORPUS_DIR INVALID_EXPECTED BINDIR
#   INVALID_EXPECTED: tests/generator/cases/09-invalid-config/expected (@BINDIR@ as there)
set -euo pipefail

cli=$(realpath "$1") generator=$(realpath "$2") corpus=$(realpath "$3") invalid=$(realpath "$4") bindir=$5
canary=/tmp/css-corpus-pwned
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0 count=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# Copies of the binaries in a directory anyone may enter, for the runs as another user.
chmod 755 "$tmp"
cp "$cli" "$tmp/css" && cp "$generator" "$tmp/generator"

# run_generator ROOT OUT [PREFIX...]: the generator with its input under ROOT; 0 or its status.
run_generator() {
        local root=$1 out=$2
        shift 2
        mkdir -p "$out/normal" "$out/early" "$out/late"
        local rc=0
        timeout 20 "$@" env -i CSS_LOG_TARGET=console CSS_ROOT="$root" CSS_IN_CONTAINER=0 CSS_PROC_CMDLINE= \
                "$tmp/generator" "$out/normal" "$out/early" "$out/late" 2>"$out/log" || rc=$?
        return $rc
}

# expect_units NAME OUT WANT: WANT is "invalid" (09-invalid-config's tree) or "none".
expect_units() {
        local name=$1 out=$2 want=$3
        find "$out/normal" -type f -exec sed -i "s|$bindir/|@BINDIR@/|g" {} +
        if [ "$want" = none ]; then
                [ -z "$(ls -A "$out/normal")" ] || { fail "$name: the generator wrote units"; return 1; }
        elif ! diff -ru --no-dereference --exclude=.empty "$invalid" "$out/normal" >"$out/diff"; then
                fail "$name: not the failing-check units"; head -20 "$out/diff"; head -5 "$out/log"
                return 1
        fi
        [ -z "$(find "$out/early" "$out/late" -mindepth 1)" ] || { fail "$name: wrote early or late units"; return 1; }
}

rm -f "$canary"
names=$(find "$corpus" -maxdepth 1 -printf '%f\n' | sed -n 's/\.\(conf\|gen\)$//p' | sort -u)
for name in $names; do
        [ -e "$corpus/$name.args" ] && continue  # named-mode and JSON options of check only
        count=$((count + 1))
        root=$tmp/$name/root out=$tmp/$name
        mkdir -p "$root/etc/sysconfig"
        input=$root/etc/sysconfig/docker-storage-setup
        if [ -e "$corpus/$name.conf" ]; then
                cp "$corpus/$name.conf" "$input"
        else
                bash "$corpus/$name.gen" "$input"
        fi
        rc=0
        run_generator "$root" "$out" || rc=$?
        if [ "$rc" != 0 ]; then
                fail "$name: the generator exited $rc"; head -5 "$out/log"; continue
        fi
        # What `check` said: no such file (then no setup at all), refused, or valid.
        if grep -q "^<3>Failed to read .*: No such file or directory$" "$corpus/$name.expected"; then
                want=none
        elif head -1 "$corpus/$name.expected" | grep -qx 'exit 1'; then
                want=invalid
        else
                want=valid
        fi
        if [ "$want" = valid ]; then
                if [ -z "$(ls -A "$out/normal")" ] || grep -q '^<3>' "$out/log"; then
                        fail "$name: a valid configuration got no units or an error"; head -5 "$out/log"; continue
                fi
        else
                expect_units "$name" "$out" "$want" || continue
                if [ "$want" = invalid ] && ! grep -q '^<3>' "$out/log"; then
                        fail "$name: the generator did not log why the configuration is refused"; continue
                fi
        fi
        if [ -e "$canary" ]; then
                fail "$name: $canary was created: a config value was executed"; rm -f "$canary"; continue
        fi
        echo "ok   generator $name ($want)"
done

# An unreadable file. Root reads any file, so as root the reads run as nobody (setpriv).
as_user=()
if [ "$(id -u)" = 0 ]; then
        if ! command -v setpriv >/dev/null; then
                echo "SKIP: setpriv (util-linux) is needed to test an unreadable file as root"
                exit 77
        fi
        as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
fi
work=$tmp/unreadable
mkdir -p "$work/root/etc/sysconfig" "$work/empty-root"
chmod -R 755 "$work"
printf 'STORAGE_DRIVER=overlay2\n' >"$work/secret.conf"
cp "$work/secret.conf" "$work/root/etc/sysconfig/docker-storage-setup"
chmod 000 "$work/secret.conf" "$work/root/etc/sysconfig/docker-storage-setup"

count=$((count + 1))
rc=0
(cd "$work" && "${as_user[@]}" env CSS_ROOT="$work/empty-root" "$tmp/css" check secret.conf) \
        >"$work/stdout" 2>"$work/stderr" || rc=$?
if [ "$rc" != 1 ] || [ -s "$work/stdout" ] ||
        [ "$(cat "$work/stderr")" != "<3>Failed to open 'secret.conf': Permission denied" ]; then
        fail "check of an unreadable file: exit $rc, stderr: $(head -3 "$work/stderr")"
else
        echo "ok   check of an unreadable file"
fi

count=$((count + 1))
out=$work/out
mkdir -p "$out/normal" "$out/early" "$out/late"
[ ${#as_user[@]} -eq 0 ] || chown -R 65534:65534 "$out"
if ! run_generator "$work/root" "$out" "${as_user[@]}"; then
        fail "generator with an unreadable file exited non-zero"; head -5 "$out/log"
elif expect_units "generator, unreadable" "$out" invalid; then
        if grep -q "Permission denied" "$out/log"; then
                echo "ok   generator with an unreadable file"
        else
                fail "generator with an unreadable file does not say why"; head -5 "$out/log"
        fi
fi

echo "$count cases, $failures failed"
[ "$failures" = 0 ]
