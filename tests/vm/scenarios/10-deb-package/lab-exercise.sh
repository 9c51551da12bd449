# SPDX-License-Identifier: Apache-2.0
# The lab's exercise (atomic-host-lab-part2), sourced by 10-deb-package's guest.sh at boot 2 with
# the package installed and the lab's overlay2 storage set up: the lab's commands, in its order,
# then: docker runs on the pool; a second run changes nothing; plan and status; --reset removes
# the pool and the output file and keeps the VG; a run after docker used the pool refuses (#116)
# until docker's devicemapper metadata is removed; then the pool comes back.
# shellcheck shell=bash

CSS=/usr/bin/container-storage-setup
EXPECTED_PREFIX='DOCKER_STORAGE_OPTIONS="--storage-driver devicemapper --storage-opt dm.fs=xfs --storage-opt dm.thinpooldev=/dev/mapper/atomicos-docker--pool '

step "the lab's overlay2 state, from the boot"
assert_mounted /var/lib/docker xfs /dev/mapper/atomicos-docker--root--lv
assert_eq "$(cat /etc/sysconfig/docker-storage)" 'DOCKER_STORAGE_OPTIONS="--storage-driver overlay2 "' "overlay2 configured"

step "the lab: stop docker, umount, lvremove"
systemctl stop docker.service docker.socket 2>/dev/null || true
assert_ok umount /var/lib/docker
assert_ok lvremove -y /dev/atomicos/docker-root-lv
# The lab removes the original's mount unit from /etc. Ours is generated in /run: nothing
# is in /etc, so the rm has nothing to remove (rm -f: the lab's rm would say so).
assert_fails test -e /etc/systemd/system/docker-storage-setup.service.wants/var-lib-docker.mount
assert_ok test -e /run/systemd/generator/var-lib-docker.mount
rm -f /etc/systemd/system/docker-storage-setup.service.wants/var-lib-docker.mount
assert_ok systemctl daemon-reload

step "the lab: new settings, then /usr/bin/container-storage-setup"
rm /etc/sysconfig/docker-storage
echo 'STORAGE_DRIVER=devicemapper' >/etc/sysconfig/docker-storage-setup
plan=$($CSS plan 2>/dev/null) || fail "plan failed"
printf '%s\n' "$plan" | sed 's/^/    plan: /'
assert_match "$plan" "would run: lvcreate -y --type thin-pool --zero n -c 512K --poolmetadatasize [0-9]+s -l 40%FREE --metadataprofile atomicos--docker-pool-extend -n docker-pool atomicos" "plan: the exact lvcreate"
assert_match "$plan" "would write /etc/sysconfig/docker-storage:" "plan: the output file"
assert_fails lvs atomicos/docker-pool
assert_fails test -e /etc/sysconfig/docker-storage
assert_match "$($CSS --dry-run --json 2>/dev/null)" '"lvcreate -y --type thin-pool' "--dry-run --json"
out=$(CSS_EXEC_LOG=/run/css-cli-exec.log $CSS 2>&1) || fail "container-storage-setup failed: $out"
printf '%s\n' "$out" | sed 's/^/    /'
sed 's/^/    exec: /' /run/css-cli-exec.log
# One process, one shared LVM picture: one report, before the lvcreate. Nothing asks again
# after it: the root's VG (VG is unset) comes from the root LV's device-mapper name.
assert_eq "$(grep -c '	lvm fullreport' /run/css-cli-exec.log)" 1 "lvm reports in the whole compat run"
assert_eq "$(grep -c '	lvcreate' /run/css-cli-exec.log)" 1 "one lvcreate"
# The generator's output changed (a pool now, no mount): systemd must load it.
assert_eq "$(grep -c '	systemctl daemon-reload' /run/css-cli-exec.log)" 1 "a daemon-reload after the change"
assert_match "$out" 'Logical volume "docker-pool" created\.' "lvm's own line, as in the lab"
assert_eq "$(lvs --noheadings -o lv_attr atomicos/docker-pool | tr -d ' ' | cut -c1)" t "atomicos/docker-pool is a thin pool"
assert_block_device /dev/mapper/atomicos-docker--pool
content=$(cat /etc/sysconfig/docker-storage)
assert_eq "${content:0:${#EXPECTED_PREFIX}}" "$EXPECTED_PREFIX" "/etc/sysconfig/docker-storage names the pool"
assert_fails test -e /run/systemd/generator/var-lib-docker.mount
assert_eq "$(systemctl show -P LoadState css-thinpool.service)" loaded "the reload put css-thinpool in the graph"

step "a second run changes nothing"
uuid=$(lvs --noheadings -o lv_uuid atomicos/docker-pool | tr -d ' ')
stat_before=$(stat -c '%i %Y' /etc/sysconfig/docker-storage)
rm -f /run/css-cli-exec.log
assert_ok env CSS_EXEC_LOG=/run/css-cli-exec.log $CSS
sed 's/^/    exec: /' /run/css-cli-exec.log
# css-check-engine's version probe (devicemapper needs a docker older than 25) only reads.
assert_eq "$(grep -cvE '	(lvm fullreport|/[^ ]*/container-storage-setup-generator|/usr/s?bin/dockerd --version$)' /run/css-cli-exec.log || true)" 0 \
        "second run: nothing but the generator and dockerd --version (and LVM reports, counted below)"
# Same generator output as systemd loaded: no reload (1.4 s of a by-hand run here).
assert_eq "$(grep -c 'daemon-reload' /run/css-cli-exec.log || true)" 0 "second run: no daemon-reload"
# No lvm at all: the pool is active (libdevmapper says so) and the root's VG comes from its
# device-mapper name.
assert_eq "$(grep -c '	lvm fullreport' /run/css-cli-exec.log || true)" 0 "second run: no LVM report"
assert_eq "$(lvs --noheadings -o lv_uuid atomicos/docker-pool | tr -d ' ')" "$uuid" "same pool"
assert_eq "$(stat -c '%i %Y' /etc/sysconfig/docker-storage)" "$stat_before" "file not rewritten"
plan=$($CSS plan 2>/dev/null)
printf '%s\n' "$plan" | sed 's/^/    plan: /'
assert_eq "$(grep -c '^would ' <<<"$plan" || true)" 0 "plan: nothing would be run or written"
status=$($CSS status)
printf '%s\n' "$status" | sed 's/^/    status: /'
assert_match "$status" "Thin pool: atomicos/docker-pool, data [0-9.]+%, metadata [0-9.]+% used" "status shows the pool's use"
assert_match "$status" "css-thinpool.service +inactive \\(dead\\)" "status: css-thinpool is new in the graph, not run"
assert_match "$($CSS status --json)" '"metadata_percent": [0-9.]+' "status --json"

step "the lab: docker on devicemapper"
assert_ok systemctl start docker.service
assert_eq "$(docker info --format '{{.Driver}}')" devicemapper "docker's storage driver"
assert_match "$(docker info 2>/dev/null)" "Pool Name: atomicos-docker--pool" "docker uses the pool"
assert_ok systemctl stop docker.service docker.socket

step "--reset keeps the VG, removes the pool and the output"
assert_ok $CSS --reset
assert_fails lvs atomicos/docker-pool
assert_ok vgs atomicos
assert_fails test -e /etc/sysconfig/docker-storage
out=$($CSS 2>&1) && fail "a run after docker used devicemapper must refuse (#116): $out"
assert_match "$out" "Docker has been previously configured for use with devicemapper graph driver" "#116 refusal"
rm -rf /var/lib/docker/devicemapper
assert_ok $CSS
assert_eq "$(lvs --noheadings -o lv_attr atomicos/docker-pool | tr -d ' ' | cut -c1)" t "pool created again"
vm_dump_state
