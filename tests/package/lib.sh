# SPDX-License-Identifier: Apache-2.0
# Shared by the package checks (tests/package/check-*.sh). Sourced, never executed.
# shellcheck shell=bash

PKG_FAILURES=0
pass() { echo "ok: $*"; }
fail() { echo "FAIL: $*"; PKG_FAILURES=$((PKG_FAILURES + 1)); }

# expect_eq ACTUAL EXPECTED WHAT
expect_eq() {
        if [[ $1 == "$2" ]]; then pass "$3: $1"; else fail "$3: '$1', expected '$2'"; fi
}

# The version in meson.build, as the build directory knows it.
meson_version() {
        meson introspect --projectinfo "$1" | python3 -c 'import json, sys; print(json.load(sys.stdin)["version"])'
}

# meson_option BUILDDIR NAME: one option's value.
meson_option() {
        meson introspect --buildoptions "$1" |
                python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == sys.argv[1]))' "$2"
}

# meson_installed_files BUILDDIR DESTDIR: `meson install --destdir` of the build directory
# (built already: meson test builds before testing), then prints what it installed, one absolute
# path a line (files and symlinks; directories are implied), sorted.
meson_installed_files() {
        meson install -C "$1" --no-rebuild --quiet --destdir "$2" >/dev/null
        (cd "$2" && find . ! -type d | sed 's/^\.//' | LC_ALL=C sort)
}
