#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 08-invalid-config, guest side. DATA_SIZE=12X: the generator writes only the overall unit
# (its `check` reports the error) and the engine drop-ins; no step runs, no disk is touched,
# and the enabled docker.service does not start. The host checks the disk images afterwards.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

MESSAGE='DATA_SIZE value 12X is invalid.'

step "docker-storage-setup.service failed with the original's message"
status=$(systemctl status --no-pager -l docker-storage-setup.service 2>&1) || true
printf '%s\n' "$status" | sed 's/^/    /'
assert_eq "$(systemctl show -P ActiveState docker-storage-setup.service)" failed "docker-storage-setup.service state"
assert_unit_result docker-storage-setup.service exit-code
assert_contains "$status" "$MESSAGE" "message in systemctl status"

step "no step was written or run"
# (css-vm* are the harness' own units.)
steps=$(systemctl list-units --all --no-legend --plain 'css-*' | awk '{print $1}' | grep -v '^css-vm' || true)
echo "    css-* units: ${steps:-none}"
assert_eq "$steps" "" "no css-* step unit in the graph"
assert_eq "$(find /run/systemd/generator/ -maxdepth 1 -name 'css-*' | wc -l)" 0 "no css-* unit file generated"
# CSS_EXEC_LOG (kernel command line) records every program our binaries run.
sed 's/^/    exec: /' /run/css-exec.log 2>/dev/null || true
assert_eq "$( (cat /run/css-exec.log 2>/dev/null || true) | grep -cvE '	lvm fullreport' || true)" 0 "nothing but LVM reports was run"
assert_fails test -e /etc/sysconfig/docker-storage
assert_fails vgs docker-vg

step "docker did not start"
assert_eq "$(systemctl show -P ActiveState docker.service)" inactive "docker.service state"
assert_eq "$(systemctl show -P ActiveEnterTimestampMonotonic docker.service)" 0 "docker.service never active in this boot"
assert_contains "$(journalctl -b -o cat)" "Dependency failed for docker.service" "docker.service: dependency failed"
assert_fails pidof dockerd

step "no disk was written (guest view; the host checks the images)"
assert_eq "$(blkid -p /dev/vdb >/dev/null 2>&1; echo $?)" 2 "blkid -p finds no signature or table on vdb"
assert_eq "$(lsblk -n -o NAME /dev/vdb | wc -l)" 1 "vdb has no partitions"
assert_eq "$(cmp -n 1048576 /dev/vdb /dev/zero 2>&1; echo $?)" 0 "vdb's first MiB is zeros"
table=$(sfdisk -d /dev/vda | grep '^/dev/vda' | tr -d ' ')
printf '%s\n' "$table" | sed 's/^/    /'
assert_eq "$(printf '%s\n' "$table" | cut -d, -f1,2 | tr '\n' ';')" \
        "/dev/vda1:start=2048,size=614400;/dev/vda2:start=616448,size=10485760;" "vda's partitions as the image was built"
vm_dump_state
