#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Proves that check-man-coverage.sh can fail: it must pass on an untouched copy of the pages
# and fail on each damaged copy below (a page losing a key, a default, a command, an option,
# a helper section or a whole page), and on a copy of the code that gains a key, a command,
# an option or a helper that no page documents. The real files are never changed.
#
# Usage: selftest.sh CHECKER SOURCE_ROOT CLI HELPER_BUILD_DIR
set -u

checker=$1 src=$2 cli=$(realpath "$3") helper_build=$4
failures=0
scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT

# run NAME EXPECT SRC MAN: EXPECT is pass or fail.
run() {
        local name=$1 expect=$2 root=$3 man=$4 got=pass
        "$checker" "$root" "$man" "$cli" "$helper_build" > "$scratch/$name.log" 2>&1 || got=fail
        if [ "$got" = "$expect" ]; then
                echo "ok $name ($expect)"
        else
                echo "FAIL $name: the checker said $got, expected $expect"
                sed 's/^/  /' "$scratch/$name.log" | tail -n 20
                failures=$((failures + 1))
        fi
}

# A fresh copy of man/, damaged by the command that follows (run in the copy).
man_copy() {
        local name=$1; shift
        rm -rf "${scratch:?}/$name"
        cp -r "$src/man" "$scratch/$name"
        (cd "$scratch/$name" && "$@") || { echo "FAIL $name: could not prepare the copy"; failures=$((failures + 1)); }
        # A damage that changed nothing would make the case below pass for the wrong reason.
        if [ "$name" != untouched ] && diff -rq "$src/man" "$scratch/$name" > /dev/null; then
                echo "FAIL $name: the damage changed nothing"
                failures=$((failures + 1))
        fi
}

# A source root made of links to the real one, with FILE replaced by a copy edited by sed.
src_copy() {
        local name=$1 file=$2 script=$3 entry
        mkdir -p "$scratch/$name"
        for entry in "$src"/*; do ln -s "$entry" "$scratch/$name/"; done
        local top=${file%%/*}
        rm "$scratch/$name/$top"
        cp -r "$src/$top" "$scratch/$name/$top"
        sed -i -e "$script" "$scratch/$name/$file"
        cmp -s "$src/$file" "$scratch/$name/$file" && { echo "FAIL $name: sed changed nothing"; failures=$((failures + 1)); }
}

man_copy untouched true
run untouched pass "$src" "$scratch/untouched"

man_copy key-entry-removed sed -i '/^\*GROWPART\*=/d' docker-storage-setup.5.scd
run key-entry-removed fail "$src" "$scratch/key-entry-removed"

man_copy alias-entry-removed sed -i '/^\*EXTRA_DOCKER_STORAGE_OPTIONS\*=/d' docker-storage-setup.5.scd
run alias-entry-removed fail "$src" "$scratch/alias-entry-removed"

man_copy default-wrong sed -i 's/Default: _512K_/Default: _256K_/' docker-storage-setup.5.scd
run default-wrong fail "$src" "$scratch/default-wrong"

man_copy example-removed sed -i '/^\tExample: _CHUNK_SIZE=/d' docker-storage-setup.5.scd
run example-removed fail "$src" "$scratch/example-removed"

man_copy command-removed sed -i '/^\*check\*/d' container-storage-setup.8.scd
run command-removed fail "$src" "$scratch/command-removed"

man_copy option-removed sed -i 's/\*--version\*/version/g' container-storage-setup.8.scd
run option-removed fail "$src" "$scratch/option-removed"

man_copy helper-section-removed sed -i '/^# css-mkfs$/d' container-storage-setup-helpers.8.scd
run helper-section-removed fail "$src" "$scratch/helper-section-removed"

man_copy page-removed rm container-storage-setup-generator.8.scd
run page-removed fail "$src" "$scratch/page-removed"

man_copy page-unlisted sed -i "/^  \['container-storage-setup-helpers', '8'\],$/d" meson.build
run page-unlisted fail "$src" "$scratch/page-unlisted"

src_copy new-key lib/config/config_keys.hpp 's/^\(\s*\)"STORAGE_DRIVER",$/&\n\1"NEW_UNDOCUMENTED_KEY",/'
run new-key fail "$scratch/new-key" "$src/man"

src_copy new-command cli/commands.cpp 's/{"check", "/{"undocumented-command", "x", "x", run_check},\n                &/'
run new-command fail "$scratch/new-command" "$src/man"

src_copy new-option cli/check.cpp 's/{"json", 0, false},/&\n                {"undocumented-option", 0, false},/'
run new-option fail "$scratch/new-option" "$src/man"

src_copy new-helper helpers/meson.build "s/^  'vg',$/&\n  'undocumented',/"
run new-helper fail "$scratch/new-helper" "$src/man"

[ "$failures" = 0 ]
