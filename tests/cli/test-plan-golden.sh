#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Plan output stability: `plan` and `plan --json` on fixed fake roots, compared byte for byte
# with plan-golden/NAME.{txt,json} (stdout) and NAME.status (the exit status). Each case is
# plan-golden/NAME.conf, installed as /etc/sysconfig/docker-storage-setup. Scripts and people
# read this output, so a change must show up here. CSS_UPDATE_GOLDEN=1 rewrites the files.
#
#   test-plan-golden.sh BINARY
set -u
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh" "$1"
golden=$(dirname "$(realpath "$0")")/plan-golden

for conf in "$golden"/*.conf; do
        name=$(basename "$conf" .conf)
        make_fake_root
        cp "$conf" "$CSS_ROOT/etc/sysconfig/docker-storage-setup"
        for form in txt json; do
                args=(plan)
                [ "$form" = json ] && args+=(--json)
                "$binary" "${args[@]}" >"$scratch/$name.$form" 2>/dev/null
                echo $? >"$scratch/$name.$form.status"
                if [ "${CSS_UPDATE_GOLDEN:-}" = 1 ]; then
                        cp "$scratch/$name.$form" "$golden/$name.$form"
                        cp "$scratch/$name.$form.status" "$golden/$name.$form.status"
                fi
                if diff -u "$golden/$name.$form" "$scratch/$name.$form" &&
                        diff -u "$golden/$name.$form.status" "$scratch/$name.$form.status"; then
                        echo "ok   $name: plan ${args[*]:1}"
                else
                        echo "FAIL $name: plan ${args[*]:1} differs from plan-golden/$name.$form"
                        failures=$((failures + 1))
                fi
        done
        # Each JSON form parses, and names the same steps as the text form.
        if python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
text = [l.rstrip("\n")[3:].split(" (")[0] for l in open(sys.argv[2]) if l.startswith("== ")]
assert [s["name"] for s in d["steps"]] == text, (d, text)
' "$scratch/$name.json" "$scratch/$name.txt"; then
                echo "ok   $name: JSON parses and lists the text form's steps"
        else
                echo "FAIL $name: JSON form"
                failures=$((failures + 1))
        fi
        # Nothing was written into the root but by make_fake_root (the plan takes no lock).
        if [ -n "$(find "$CSS_ROOT/var" "$CSS_ROOT/etc" -newer "$CSS_ROOT/etc/sysconfig/docker-storage-setup" -type f)" ]; then
                echo "FAIL $name: plan wrote files"
                failures=$((failures + 1))
        fi
done
finish
