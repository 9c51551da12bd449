#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Every generator golden case (tests/generator/run-golden.sh: same roots, environment and
# expected trees) with the generator under valgrind memcheck. A memory error or a definite
# leak makes valgrind exit 99, which fails the case; the output must still match expected/.
#
# Usage: run-valgrind.sh GENERATOR CASES_DIR HELPERDIR BINDIR DEFAULTS_FILE
set -euo pipefail

if ! valgrind=$(command -v valgrind); then
        echo "SKIP: valgrind not found (Debian: apt-get install valgrind)"
        exit 77
fi
generator=$(realpath "$1")
shift
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run-golden.sh starts the generator with `env -i`, so the wrapper names everything by path.
cat >"$tmp/generator" <<WRAPPER
#!/bin/sh
exec "$valgrind" --tool=memcheck --error-exitcode=99 --leak-check=full \\
        --errors-for-leak-kinds=definite --vgdb=no -q "$generator" "\$@"
WRAPPER
chmod +x "$tmp/generator"

"$here/../generator/run-golden.sh" "$tmp/generator" "$@"
