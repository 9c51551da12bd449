#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Runs the real `container-storage-setup check` over every case of the parser corpus and
# compares stdout, stderr and the exit status with NN-name.expected.
#
#   run-corpus.sh BINARY CORPUS_DIR
#
# A case is NN-name.expected plus its input: NN-name.conf (copied as is), or NN-name.gen, a
# script run as `bash NN-name.gen PATH` that creates PATH (huge files, symlinks, directories).
# NN-name.args, when present, holds extra arguments for check (one per line).
# Each case runs in an empty directory with CSS_ROOT pointing at another empty directory, and
# the run must not create, remove or change anything in either (nothing in a config may run).
# Every valid case's output must read back as the same settings, without errors.
# CSS_UPDATE_GOLDEN=1 rewrites the .expected files from the current output.
set -u

binary=$(realpath "$1")
corpus=$(realpath "$2")
canary=/tmp/css-corpus-pwned
failures=0
count=0

scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT

# Config files in the corpus try to `touch` this file; it must never appear.
rm -f "$canary"

names=$(cd "$corpus" && ls | sed -n 's/\.\(conf\|gen\|expected\)$//p' | sort -u)
for name in $names; do
        expected=$corpus/$name.expected
        if [ ! -e "$expected" ] && [ "${CSS_UPDATE_GOLDEN:-0}" != 1 ]; then
                echo "FAIL $name: no $name.expected"
                failures=$((failures + 1))
                continue
        fi
        work=$scratch/$name/work
        root=$scratch/$name/root
        mkdir -p "$work" "$root"
        input=$work/$name.conf
        if [ -e "$corpus/$name.conf" ]; then
                cp "$corpus/$name.conf" "$input"
        elif [ -e "$corpus/$name.gen" ]; then
                bash "$corpus/$name.gen" "$input" || { echo "FAIL $name: generator failed"; failures=$((failures + 1)); continue; }
        else
                echo "FAIL $name: no .conf or .gen input"
                failures=$((failures + 1))
                continue
        fi
        args=()
        if [ -e "$corpus/$name.args" ]; then
                mapfile -t args < "$corpus/$name.args"
        fi

        before=$(cd "$work" && find . -printf '%p %y %s %l\n' | sort; cd "$root" && find . | sort)
        (cd "$work" && CSS_ROOT="$root" CSS_LOG_LEVEL=info "$binary" check "${args[@]}" "$name.conf" \
                >"$scratch/$name/stdout" 2>"$scratch/$name/stderr")
        status=$?
        after=$(cd "$work" && find . -printf '%p %y %s %l\n' | sort; cd "$root" && find . | sort)

        actual=$scratch/$name/actual
        {
                echo "exit $status"
                echo "--- stdout"
                cat "$scratch/$name/stdout"
                echo "--- stderr"
                cat "$scratch/$name/stderr"
        } >"$actual"

        count=$((count + 1))
        if [ "${CSS_UPDATE_GOLDEN:-0}" = 1 ]; then
                cp "$actual" "$expected"
        elif ! cmp -s "$actual" "$expected"; then
                echo "FAIL $name: output differs"
                diff -u "$expected" "$actual" | head -40
                failures=$((failures + 1))
                continue
        fi
        if [ "$before" != "$after" ]; then
                echo "FAIL $name: the run changed the file system"
                diff <(echo "$before") <(echo "$after") | head -20
                failures=$((failures + 1))
                continue
        fi
        # A valid case's KEY=value output is itself a configuration that reads back to the
        # same settings, without an error (a deprecation warning may stay).
        if [ "$status" -eq 0 ] && [ ${#args[@]} -eq 0 ]; then
                cp "$scratch/$name/stdout" "$work/roundtrip.conf"
                (cd "$work" && CSS_ROOT="$root" "$binary" check roundtrip.conf \
                        >"$scratch/$name/stdout2" 2>"$scratch/$name/stderr2")
                if [ $? -ne 0 ] || grep -q '^<3>' "$scratch/$name/stderr2" ||
                        ! cmp -s "$scratch/$name/stdout" "$scratch/$name/stdout2"; then
                        echo "FAIL $name: the printed settings do not read back to themselves"
                        diff -u "$scratch/$name/stdout" "$scratch/$name/stdout2" | head -20
                        cat "$scratch/$name/stderr2" | head -5
                        failures=$((failures + 1))
                        continue
                fi
        fi
        if [ -e "$canary" ]; then
                echo "FAIL $name: $canary was created: a config value was executed"
                rm -f "$canary"
                failures=$((failures + 1))
                continue
        fi
        echo "ok   $name"
done

if [ "$count" -lt 40 ]; then
        echo "FAIL: only $count corpus cases found in $corpus (expected at least 40)"
        exit 1
fi
echo "$count cases, $failures failed"
[ "$failures" -eq 0 ]
