#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 60-disk-order, guest side (see scenario.conf). Boot 1: vdb prepared and its serial recorded.
# Boot 2: the disks swapped; the ext4 disk now called vdb is refused, nothing is written to it.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

RECORD=/var/lib/container-storage-setup/.devs-identity
PREP=css-prepare-disk@dev-vdb.service

case $(vm_boot) in
1)
        step "vdb prepared, its identity recorded"
        assert_ok vm_start_setup 'css-*' docker-storage-setup '*.mount'
        assert_eq "$(cat /sys/block/vdb/serial)" css-extra1 "vdb's serial"
        assert_eq "$(pvs --noheadings -o vg_name /dev/vdb1 | tr -d ' ')" docker-vg "vdb1 is a PV of docker-vg"
        assert_mounted /var/lib/docker xfs /dev/mapper/docker--vg-docker--root--lv
        assert_eq "$(cat $RECORD)" "$(printf '/dev/vdb\tserial:css-extra1')" "$RECORD"
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdc)" ext4 "vdc: someone's ext4"
        vm_dump_state
        vm_request_reboot
        ;;
2)
        step "the disks swapped: /dev/vdb is the ext4 disk"
        assert_eq "$(cat /sys/block/vdb/serial)" css-extra2 "vdb's serial"
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdb)" ext4 "vdb carries the ext4"
        assert_fails vm_start_setup 'css-*' docker-storage-setup '*.mount'
        status=$(systemctl status --no-pager -l $PREP 2>&1 || true)
        printf '%s\n' "$status" | sed 's/^/    /'
        assert_unit_result $PREP exit-code
        assert_contains "$status" "DEVS entry /dev/vdb now names /dev/vdb, serial:css-extra2, not the disk it named when it was prepared (serial:css-extra1), and this disk carries data" \
                "the refusal names both identities"
        assert_eq "$(journalctl -b -o cat -u $PREP | grep -c 'Wipe Signatures is set to true' || true)" 0 "no wipe announced"
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdb)" ext4 "vdb still ext4"
        assert_eq "$(lsblk -n -o NAME /dev/vdb | wc -l)" 1 "vdb has no partition"
        # Our PV, now vdc1, is found by LVM wherever the kernel put it.
        assert_eq "$(pvs --noheadings -o vg_name /dev/vdc1 | tr -d ' ')" docker-vg "vdc1 (the disk from boot 1) is a PV of docker-vg"
        assert_eq "$(cat $RECORD)" "$(printf '/dev/vdb\tserial:css-extra1')" "the record is kept"
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
