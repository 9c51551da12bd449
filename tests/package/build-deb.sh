#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Builds the .deb (debian/) with `dpkg-buildpackage -b -us -uc` from a copy of the source tree
# in a temporary directory outside the clone (dpkg-buildpackage writes its results next to the
# source directory), and puts it in BUILDDIR/package/.
#
#   tests/package/build-deb.sh BUILDDIR
#
# The copy holds what git would commit: tracked files plus untracked ones that .gitignore does
# not exclude (so a new file counts before it is committed, a build directory never does). Not a
# git checkout: the source tree minus build*/ directories. Prints the .deb's path on the last
# line; the build's output is in BUILDDIR/package/build.log. Exit 0, or 1 with the log's tail.
set -euo pipefail

src=$(cd "$(dirname "$0")/../.." && pwd)
(($# == 1)) || { sed -n '7s/^# \{0,1\}//p' "$0" >&2; exit 2; }
out=$(mkdir -p "$1/package" && cd "$1/package" && pwd)
log=$out/build.log
# One build at a time per build directory; VM scenario 10 takes the lock shared to read the .deb.
exec {lock_fd}>"$out/.lock"
flock "$lock_fd"

work=$(mktemp -d "${TMPDIR:-/tmp}/css-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
tree=$work/container-storage-setup
mkdir "$tree"

if git -C "$src" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        # --cached lists files deleted in the work tree too: keep only those that exist.
        (cd "$src" && git ls-files -z --cached --others --exclude-standard |
                while IFS= read -r -d '' f; do [[ -e $f || -L $f ]] && printf '%s\0' "$f"; done |
                tar --null -T - -cf -) | tar -C "$tree" -xf -
else
        tar -C "$src" --exclude='./build*' --exclude=./.git -cf - . | tar -C "$tree" -xf -
fi

rm -f "$out"/*.deb
start=$SECONDS
echo "=== dpkg-buildpackage -b -us -uc in $tree" >"$log"
# -jauto: both cores for ninja (debhelper defaults to one job without it).
if ! (cd "$tree" && dpkg-buildpackage -b -us -uc -jauto) >>"$log" 2>&1; then
        tail -n 40 "$log" >&2
        echo "dpkg-buildpackage failed (log: $log)" >&2
        exit 1
fi
echo "=== built in $((SECONDS - start)) s" >>"$log"
# The package only: the -dbgsym package, .buildinfo and .changes stay in the temporary directory.
shopt -s nullglob
debs=("$work"/container-storage-setup_*.deb)
((${#debs[@]} == 1)) || { echo "expected one container-storage-setup .deb, found: ${debs[*]:-none}" >&2; exit 1; }
cp "${debs[0]}" "$out/"
echo "$out/$(basename "${debs[0]}")"
