#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Every C++ source is as .clang-format says (clang-format --dry-run --Werror): the style is
# applied, not only described. Lists the tracked files where there is a git checkout, else
# the sources under the tree.
set -euo pipefail

src=$(cd "$(dirname "$0")/.." && pwd)
cd "$src"
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        mapfile -t files < <(git ls-files '*.cpp' '*.hpp' '*.h')
else
        mapfile -t files < <(find lib generator helpers cli tests bench -name '*.cpp' -o -name '*.hpp' -o -name '*.h')
fi
((${#files[@]} > 0)) || { echo "no sources found under $src" >&2; exit 1; }
exec clang-format --dry-run --Werror "${files[@]}"
