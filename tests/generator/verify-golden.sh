#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Every expected tree of the golden cases must pass `systemd-analyze verify` without a single
# message: no ordering cycle, no unknown setting, no missing executable, no bad unit name.
# verify creates a start job for each unit it is given, so the whole graph of one boot is put
# through systemd's transaction builder, against the real system units of this host
# (sysinit.target, local-fs.target, multi-user.target, the initrd targets, ...).
#
# For each case the tree is copied; @HELPERDIR@ and @BINDIR@ point at stand-in executables; the
# engines (docker, containerd, podman, podman-restart, crio) are stand-in units with the upstream
# ordering (after network-online.target, wanted by multi-user.target); the case's own unit files
# (under root/usr/lib/systemd/system: cloud-init 22.4 stand-ins, or the real units of cloud-init
# 25.1 in ../units/cloud-init-25.1) come next in the search path, with ExecStart= replaced since
# the programs are not installed here; a css-verify-boot.target pulls in multi-user.target, the
# engines and all of the case's units together so that a cycle through any of them shows up.
#
# Three negative controls first show that the check can fail: the lab's tree with the mount's
# DefaultDependencies=no removed must report the local-fs.target cycle, a unit with an unknown
# setting must be reported, and the cloud-init 25.1 watch with default dependencies must report
# the cycle through cloud-init-network.service's Before=sysinit.target (so cloud-init's real
# ordering is loaded). Each case's tree must also name no cloud-init unit the case does not
# install.
#
# Usage: verify-golden.sh CASES_DIR
set -euo pipefail

cases=$1
command -v systemd-analyze >/dev/null || { echo "systemd-analyze not found, skipping"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# shellcheck source-path=SCRIPTDIR source=verify-lib.sh
source "$(dirname "$0")/verify-lib.sh"

failures=0 count=0

# Negative control 1: the mount with default dependencies makes an ordering cycle.
lab="$cases/02-lab-atomic-host"
cp -a "$lab/expected" "$tmp/cyclic"
sed -i '/^DefaultDependencies=no$/d' "$tmp/cyclic/var-lib-docker.mount"
verify_tree "$lab" "$tmp/cyclic" "$tmp/out"
count=$((count + 1))
if grep -q "Found ordering cycle" "$tmp/out"; then
        echo "ok negative control: cycle detected"
else
        echo "FAIL: negative control: no ordering cycle reported for a mount with default dependencies"
        cat "$tmp/out"; failures=$((failures + 1))
fi

# Negative control 2: an unknown setting is reported.
cp -a "$lab/expected" "$tmp/unknown"
sed -i 's/^\[Service\]$/[Service]\nNoSuchSetting=1/' "$tmp/unknown/css-mkfs.service"
verify_tree "$lab" "$tmp/unknown" "$tmp/out"
count=$((count + 1))
if grep -q "NoSuchSetting" "$tmp/out"; then
        echo "ok negative control: unknown setting reported"
else
        echo "FAIL: negative control: unknown setting not reported"
        cat "$tmp/out"; failures=$((failures + 1))
fi

# Negative control 3: the watch ordered after sysinit.target, before cloud-init-network.service,
# which is before sysinit.target.
network="$cases/37-cloud-init-network"
cp -a "$network/expected" "$tmp/watch"
sed -i '/^DefaultDependencies=no$/d' "$tmp/watch/css-cloud-init.path"
verify_tree "$network" "$tmp/watch" "$tmp/out"
count=$((count + 1))
if grep -q "Found ordering cycle" "$tmp/out" && grep -q "cloud-init-network.service" "$tmp/out"; then
        echo "ok negative control: cycle through cloud-init-network.service detected"
else
        echo "FAIL: negative control: no ordering cycle reported for the watch with default dependencies"
        cat "$tmp/out"; failures=$((failures + 1))
fi

# names_uninstalled_cloud_init CASE_DIR: prints each cloud-init stage unit the expected tree
# orders against or hooks into (After=, Before=, a .wants/ directory) that the case's root does
# not install.
names_uninstalled_cloud_init() {
        local case=$1 u
        for u in cloud-init.service cloud-init-network.service cloud-init-main.service; do
                [ -e "$case/root/usr/lib/systemd/system/$u" ] && continue
                if grep -rqE "^[A-Za-z]+=(.* )?${u//./\\.}( |\$)" "$case/expected" ||
                   [ -n "$(find "$case/expected" -name "$u.*")" ]; then
                        echo "$u"
                fi
        done
}

for case in "$cases"/*/; do
        case=${case%/}
        name=$(basename "$case")
        count=$((count + 1))
        stray=$(names_uninstalled_cloud_init "$case")
        if [ -n "$stray" ]; then
                echo "FAIL: $name: names cloud-init units it does not install:" $stray; failures=$((failures + 1))
        fi
        [ -e "$case/expected/.empty" ] && continue
        count=$((count + 1))
        verify_tree "$case" "$case/expected" "$tmp/out"
        if [ -s "$tmp/out" ]; then
                echo "FAIL: $name:"; cat "$tmp/out"; failures=$((failures + 1))
        else
                echo "ok $name"
        fi
done

echo "$count checks, $failures failed"
[ "$failures" = 0 ]
