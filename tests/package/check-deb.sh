#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The 'package' test: builds the .deb from this source tree (build-deb.sh) and checks it:
# control fields, conffiles, that it holds exactly what `meson install` of BUILDDIR installs
# (plus Debian's copyright and changelog), that the packaged programs run and report this
# version, that no test point is compiled in, and lintian's errors when lintian is installed.
#
#   tests/package/check-deb.sh BUILDDIR
#
# Exit 0 pass, 1 fail, 77 skipped (no dpkg-buildpackage or debhelper; tests/debian-packages.txt
# lists them, so CI has them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

(($# == 1)) || { sed -n '8s/^# \{0,1\}//p' "$0" >&2; exit 2; }
builddir=$(cd "$1" && pwd)
for tool in dpkg-buildpackage dh; do
        command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed (apt-get install dpkg-dev debhelper)"; exit 77; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/css-check-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT

start=$SECONDS
deb=$("$here/build-deb.sh" "$builddir" | tail -n 1)
echo "built $(basename "$deb") in $((SECONDS - start)) s, $(stat -c %s "$deb") bytes (log: $builddir/package/build.log)"

version=$(meson_version "$builddir")
field() { dpkg-deb -f "$deb" "$1"; }

echo "--- control fields"
expect_eq "$(field Package)" container-storage-setup "Package"
expect_eq "$(field Version)" "$version" "Version (debian/changelog against meson.build)"
expect_eq "$(field Architecture)" "$(dpkg --print-architecture)" "Architecture"
depends=$(field Depends)
# The tools the helpers run, and libraries that only ${shlibs:Depends} can have added.
for dep in lvm2 thin-provisioning-tools xfsprogs libsystemd0 libdevmapper1.02.1 libblkid1 libfdisk1 libinih1; do
        if [[ ", $depends," == *", $dep "* || ", $depends," == *", $dep,"* ]]; then
                pass "Depends has $dep"
        else
                fail "Depends lacks $dep: $depends"
        fi
done
# toml++ is used header-only: no run-time library, so a Debian 12 build runs on Debian 13.
if [[ $depends == *libtomlplusplus* ]]; then
        fail "Depends has libtomlplusplus (toml++ must be header-only): $depends"
else
        pass "Depends has no libtomlplusplus"
fi
expect_eq "$(field Provides)" docker-storage-setup "Provides"
dpkg-deb -e "$deb" "$work/control"
expect_eq "$(cat "$work/control/conffiles")" /etc/sysconfig/docker-storage-setup "conffiles"

echo "--- contents"
# "./usr/bin/x" or "./usr/bin/y -> x" from dpkg-deb -c; directories left out.
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print }' |
        sed 's/^\.//' | LC_ALL=C sort >"$work/deb-entries"
has() {
        if grep -qxE -- "$1" "$work/deb-entries"; then pass "has $2"; else fail "lacks $2 ($1)"; fi
}
has '(/usr)?/lib/systemd/system-generators/container-storage-setup-generator' "the generator"
has '/usr/bin/container-storage-setup' "the CLI"
has '/usr/bin/docker-storage-setup -> container-storage-setup' "the CLI's old name"
# The helpers: css-<step> for each step helpers/meson.build lists, and css-reset.
for name in $(sed -n "s/^  '\([a-z-]*\)',\$/css-\1/p" "$src/helpers/meson.build") css-reset; do
        has "/usr/libexec/container-storage-setup/$name" "$name"
done
has '/usr/share/container-storage-setup/container-storage-setup' "the defaults file"
has '/etc/sysconfig/docker-storage-setup' "the sysconfig stub"
has '/usr/share/man/man8/container-storage-setup\.8\.gz' "container-storage-setup(8)"
has '/usr/share/man/man5/docker-storage-setup\.5\.gz' "docker-storage-setup(5)"
has '/usr/share/bash-completion/completions/container-storage-setup' "bash completion"
has '/usr/share/doc/container-storage-setup/copyright' "the copyright file"

# Everything `meson install` puts in the package's layout, and nothing else: Debian adds only
# its doc directory and compresses man pages. Needs BUILDDIR configured as the package is.
if [[ $(meson_option "$builddir" prefix) == /usr && $(meson_option "$builddir" sysconfdir) == /etc ]]; then
        meson_installed_files "$builddir" "$work/meson-root" |
                sed -E 's|^(/usr/share/man/.*)$|\1.gz|' >"$work/meson-files"
        sed 's/ -> .*//' "$work/deb-entries" | grep -v '^/usr/share/doc/container-storage-setup/' >"$work/deb-files"
        if diff -u --label "meson install ($builddir)" --label "the .deb" "$work/meson-files" "$work/deb-files"; then
                pass "the .deb holds exactly what meson installs ($(wc -l <"$work/meson-files") files)"
        else
                fail "the .deb and meson install differ (diff above)"
        fi
else
        echo "note: $builddir is not configured with --prefix=/usr --sysconfdir=/etc: no comparison with meson install"
fi

echo "--- programs"
dpkg-deb -x "$deb" "$work/root"
cli_version=$("$work/root/usr/bin/container-storage-setup" --version 2>&1 || true)
if [[ $cli_version == *"$version"* ]]; then pass "container-storage-setup --version: $cli_version"; else fail "container-storage-setup --version: '$cli_version'"; fi
for helper in "$work"/root/usr/libexec/container-storage-setup/css-*; do
        if out=$("$helper" --version 2>&1) && [[ $out == *"$version"* ]]; then
                pass "$(basename "$helper") --version"
        else
                fail "$(basename "$helper") --version: '$out'"
        fi
done

# Test points exist only in -Dtest-points=true builds (lib/core/test_point.hpp): their knob and
# marker strings must not be in the package. The source must still use both strings, or this
# check would look for names that no build has.
for s in 'css.test_point=' 'CSS-TEST-POINT'; do
        grep -qF -- "$s" "$src/lib/core/test_point.cpp" || fail "lib/core/test_point.cpp no longer has '$s': update this check"
done
if hits=$(grep -rlaF -e 'css.test_point=' -e 'CSS-TEST-POINT' "$work/root"); then
        fail "test points compiled into: $hits"
else
        pass "no test point in the packaged binaries"
fi

if command -v lintian >/dev/null; then
        echo "--- lintian"
        rc=0
        out=$(lintian --fail-on error "$deb" 2>&1) || rc=$?
        grep -v 'running with root privileges' <<<"$out" || true
        if ((rc == 0)); then pass "lintian: no errors"; else fail "lintian reports errors (exit $rc)"; fi
else
        echo "note: lintian is not installed: not run"
fi

echo "--- $PKG_FAILURES failed check(s)"
((PKG_FAILURES == 0))
