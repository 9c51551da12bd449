#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 60-replaced-disks, guest side (see scenario.conf). Boot 1: vdb prepared, its serial recorded,
# an image stored. Boot 2: vdb is a new blank disk: the storage is built again, docker runs on
# it, empty. Boot 3: vdb and vdc swapped: the ext4 disk now called vdb is refused.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

RECORD=/var/lib/container-storage-setup/.devs-identity
PREP=css-prepare-disk@dev-vdb.service
LV=/dev/mapper/docker--vg-docker--root--lv
SAVED=$CSS_VM_STATE/60

settle() { vm_start_setup 'css-*' docker-storage-setup '*.mount'; }

case $(vm_boot) in
1)
        step "vdb prepared, its identity recorded, an image on the LV"
        assert_ok settle
        assert_eq "$(cat /sys/block/vdb/serial)" css-extra1 "vdb's serial"
        assert_eq "$(pvs --noheadings -o vg_name /dev/vdb1 | tr -d ' ')" docker-vg "vdb1 is a PV of docker-vg"
        assert_mounted /var/lib/docker xfs $LV
        assert_eq "$(cat $RECORD)" "$(printf '/dev/vdb\tserial:css-extra1')" "$RECORD"
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdc)" ext4 "vdc: someone's ext4"
        assert_unit_active docker.service
        vm_tiny_image_tar /tmp/tiny.tar
        assert_ok docker import /tmp/tiny.tar css-tiny:1
        mkdir -p "$SAVED"
        lvs --noheadings -o lv_uuid docker-vg/docker-root-lv | tr -d ' ' >"$SAVED/lv-uuid"
        vm_dump_state
        vm_request_reboot
        ;;
2)
        step "vdb came back blank, with another serial: the storage is built again"
        assert_eq "$(cat /sys/block/vdb/serial)" css-extra3 "vdb's serial"
        assert_ok settle
        assert_eq "$(pvs --noheadings -o vg_name /dev/vdb1 | tr -d ' ')" docker-vg "vdb1 is a PV of the new docker-vg"
        assert_eq "$(vgs --noheadings -o pv_count docker-vg | tr -d ' ')" 1 "docker-vg: one PV, the new disk"
        assert_ne "$(lvs --noheadings -o lv_uuid docker-vg/docker-root-lv | tr -d ' ')" "$(cat "$SAVED/lv-uuid")" "a new LV"
        assert_mounted /var/lib/docker xfs $LV
        assert_eq "$(cat $RECORD)" "$(printf '/dev/vdb\tserial:css-extra3')" "the record names the new disk"
        assert_before docker-storage-setup.service docker.service
        assert_unit_active docker.service
        assert_eq "$(docker info --format '{{.Driver}}')" overlay2 "docker's storage driver"
        assert_eq "$(docker images -q | wc -l)" 0 "docker starts empty: its images were on the lost disk"
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdc)" ext4 "vdc: still someone's ext4"
        vm_dump_state
        vm_request_reboot
        ;;
3)
        step "the disks swapped: /dev/vdb is the ext4 disk"
        assert_eq "$(cat /sys/block/vdb/serial)" css-extra2 "vdb's serial"
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdb)" ext4 "vdb carries the ext4"
        assert_fails settle
        status=$(systemctl status --no-pager -l $PREP 2>&1 || true)
        printf '%s\n' "$status" | sed 's/^/    /'
        assert_unit_result $PREP exit-code
        assert_contains "$status" "DEVS entry /dev/vdb now names /dev/vdb, serial:css-extra2, not the disk it named when it was prepared (serial:css-extra3), and this disk carries data" \
                "the refusal names both identities"
        assert_eq "$(journalctl -b -o cat -u $PREP | grep -c 'Wipe Signatures is set to true' || true)" 0 "no wipe announced"
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdb)" ext4 "vdb still ext4"
        assert_eq "$(lsblk -n -o NAME /dev/vdb | wc -l)" 1 "vdb has no partition"
        # Our PV, now vdc1, is found by LVM wherever the kernel put it.
        assert_eq "$(pvs --noheadings -o vg_name /dev/vdc1 | tr -d ' ')" docker-vg "vdc1 (boot 2's disk) is a PV of docker-vg"
        assert_eq "$(cat $RECORD)" "$(printf '/dev/vdb\tserial:css-extra3')" "the record is kept"
        assert_eq "$(systemctl show -P ActiveState docker.service)" inactive "docker did not start"
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
