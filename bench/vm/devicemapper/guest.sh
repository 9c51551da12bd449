#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/vm-provision.sh, devicemapper case, guest side (see scenario.conf).
# shellcheck source=/dev/null
source /usr/lib/css-vm/lib.sh
# shellcheck source-path=SCRIPTDIR source=../measure.sh
source /usr/lib/css-bench/measure.sh

case $(vm_boot) in
1)
        measure_boot boot-path
        assert_block_device /dev/mapper/docker--vg-docker--pool
        vm_request_reboot
        ;;
2)
        measure_boot provisioned-reboot
        step "remove everything: reset, VG, PV, signatures"
        assert_ok container-storage-setup --reset
        assert_ok vgremove -y docker-vg
        assert_ok pvremove -y /dev/vdb1
        assert_ok wipefs -a -q /dev/vdb1
        assert_ok wipefs -a -q /dev/vdb
        udevadm settle
        assert_eq "$(lsblk -n -o NAME /dev/vdb | wc -l)" 1 "vdb is blank"
        measure_by_hand by-hand
        assert_block_device /dev/mapper/docker--vg-docker--pool
        ;;
esac
