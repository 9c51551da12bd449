#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bench/vm-provision.sh, overlay2 case, guest side (see scenario.conf).
# shellcheck source=/dev/null
source /usr/lib/css-vm/lib.sh
# shellcheck source-path=SCRIPTDIR source=../measure.sh
source /usr/lib/css-bench/measure.sh

case $(vm_boot) in
1)
        measure_boot boot-path
        assert_mounted /var/lib/docker xfs /dev/mapper/atomicos-docker--root--lv
        vm_request_reboot
        ;;
2)
        measure_boot provisioned-reboot
        step "remove the LV and the output file"
        assert_ok container-storage-setup --reset
        measure_by_hand by-hand
        assert_mounted /var/lib/docker xfs /dev/mapper/atomicos-docker--root--lv
        ;;
esac
