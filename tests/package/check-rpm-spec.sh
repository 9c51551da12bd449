#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Checks the RPM spec (dist/rpm/container-storage-setup.spec) without rpmbuild, which cannot run
# on Debian (no %meson macros, no Fedora build root): `rpmspec -P` must parse it, its Version
# must be meson.build's, and its %files, expanded with this host's systemd generator directory,
# must match what `meson install` of BUILDDIR installs: every installed file is listed (else
# rpmbuild stops at "Installed (but unpackaged) file(s) found"), every entry matches an installed
# file (else "File not found"), and the files under /etc are exactly the %config(noreplace) ones.
#
#   tests/package/check-rpm-spec.sh BUILDDIR
#
# Exit 0 pass, 1 fail, 77 skipped (no rpmspec: Debian package rpm).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
spec=$src/dist/rpm/container-storage-setup.spec
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$here/lib.sh"

(($# == 1)) || { sed -n '10s/^# \{0,1\}//p' "$0" >&2; exit 2; }
builddir=$(cd "$1" && pwd)
command -v rpmspec >/dev/null || { echo "SKIP: rpmspec is not installed (apt-get install rpm)"; exit 77; }

work=$(mktemp -d "${TMPDIR:-/tmp}/css-check-spec.XXXXXX")
trap 'rm -rf "$work"' EXIT

if [[ $(meson_option "$builddir" prefix) != /usr || $(meson_option "$builddir" sysconfdir) != /etc ]]; then
        echo "SKIP: $builddir is not configured with --prefix=/usr --sysconfdir=/etc (the package layout)"
        exit 77
fi
meson_installed_files "$builddir" "$work/root" >"$work/installed"
gendir=$(grep -m1 -o '^.*/system-generators/' "$work/installed") || gendir=""
[[ -n $gendir ]] || { fail "meson installed no generator"; exit 1; }

if rpmspec -P --define "_systemdgeneratordir ${gendir%/}" "$spec" >"$work/parsed" 2>"$work/errors"; then
        pass "rpmspec -P parses the spec"
else
        cat "$work/errors"
        fail "rpmspec -P failed"
        exit 1
fi
if [[ -s $work/errors ]]; then cat "$work/errors"; fail "rpmspec warnings"; else pass "no rpmspec warnings"; fi
expect_eq "$(rpmspec -q --srpm --qf '%{VERSION}' "$spec" 2>/dev/null)" "$(meson_version "$builddir")" "Version (spec against meson.build)"

python3 - "$work/parsed" "$work/installed" "$src" <<'PY' || PKG_FAILURES=$((PKG_FAILURES + 1))
import fnmatch, os, re, sys
parsed, installed, src = sys.argv[1:]
files = open(installed).read().split()
section, entries = None, []
for line in open(parsed):
    line = line.strip()
    if line.startswith("%") and re.match(r"%(files|changelog|description|prep|build|install|check|package)\b", line):
        section = line.split()[0]
        continue
    if section == "%files" and line and not line.startswith("#"):
        entries.append(line)
failed = 0
def bad(msg):
    global failed
    failed += 1
    print("FAIL: " + msg)
covered, config = set(), set()
for entry in entries:
    words = entry.split()
    directive, path = words[0] if len(words) > 1 else "", words[-1]
    if directive in ("%license", "%doc"):
        # Relative: taken from the source tree, which must have it.
        if not os.path.exists(os.path.join(src, path)):
            bad(f"{directive} {path}: not in the source tree")
        continue
    if directive == "%dir":
        matched = [f for f in files if f.startswith(path.rstrip("/") + "/")]
    elif path.endswith("/"):
        matched = [f for f in files if f.startswith(path)]
    else:
        matched = [f for f in files if fnmatch.fnmatchcase(f, path)]
        covered.update(matched)
    if path.endswith("/"):
        covered.update(matched)
    if not matched:
        bad(f"%files entry '{entry}' matches nothing meson installs")
    if directive.startswith("%config"):
        config.update(matched)
for f in files:
    if f not in covered:
        bad(f"installed but not in %files: {f}")
etc = {f for f in files if f.startswith("/etc/")}
if etc != config:
    bad(f"files under /etc {sorted(etc)} are not the %config ones {sorted(config)}")
if not failed:
    print(f"ok: %files ({len(entries)} entries) covers exactly the {len(files)} files meson installs")
sys.exit(1 if failed else 0)
PY

echo "--- $PKG_FAILURES failed check(s)"
((PKG_FAILURES == 0))
