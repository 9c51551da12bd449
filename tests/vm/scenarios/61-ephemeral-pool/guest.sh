#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 61-ephemeral-pool, guest side (see scenario.conf). Boot 1: pool, docker stores an image.
# Boot 2: vdb blank: fails closed, the status says EPHEMERAL_STORAGE=true. Boot 3: with it, the
# pool is created again, docker's old state moved aside, docker runs on the new pool.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

CONFIG=/etc/sysconfig/docker-storage-setup
SAVED=$CSS_VM_STATE/61

settle() { vm_start_setup 'css-*' docker-storage-setup; }

case $(vm_boot) in
1)
        step "the pool, and an image in it"
        assert_ok settle
        assert_eq "$(lvs --noheadings -o segtype docker-vg/docker-pool | tr -d ' ')" thin-pool "docker-vg/docker-pool"
        assert_unit_active docker.service
        assert_eq "$(docker info --format '{{.Driver}}')" devicemapper "docker's storage driver"
        vm_tiny_image_tar /tmp/tiny.tar
        assert_ok docker import /tmp/tiny.tar css-tiny:1
        assert_ok test -d /var/lib/docker/devicemapper/metadata
        mkdir -p "$SAVED"
        lvs --noheadings -o lv_uuid docker-vg/docker-pool | tr -d ' ' >"$SAVED/pool-uuid"
        vm_dump_state
        vm_request_reboot
        ;;
2)
        step "vdb came back blank: fails closed, and says what to do"
        assert_fails settle
        status=$(systemctl status --no-pager -l css-thinpool.service 2>&1 || true)
        printf '%s\n' "$status" | sed 's/^/    /'
        assert_unit_result css-thinpool.service exit-code
        assert_contains "$status" "Already configured thin pool /dev/mapper/docker--vg-docker--pool is not available." \
                "the original's message"
        assert_contains "$status" "set EPHEMERAL_STORAGE=true" "what to do"
        assert_eq "$(pvs --noheadings -o vg_name /dev/vdb1 | tr -d ' ')" docker-vg "the blank disk is a PV of a new docker-vg"
        assert_fails lvs docker-vg/docker-pool
        assert_eq "$(systemctl show -P ActiveState docker.service)" inactive "docker did not start"
        assert_contains "$(journalctl -b -o cat)" "Dependency failed for docker.service" "docker.service: dependency failed"
        assert_ok test -d /var/lib/docker/devicemapper/metadata
        echo EPHEMERAL_STORAGE=true >>$CONFIG
        vm_dump_state
        vm_request_reboot
        ;;
3)
        step "EPHEMERAL_STORAGE=true: the pool again, docker's old state aside, docker on the new pool"
        assert_ok settle
        assert_unit_result css-thinpool.service success
        journal=$(journalctl -b -o cat -u css-thinpool.service)
        assert_contains "$journal" "is gone with its disks, and EPHEMERAL_STORAGE=true says they may come back blank: creating it again." \
                "css-thinpool says why"
        if grep -q 'css_vm\.ephemeral_cut=1' /proc/cmdline; then
                # Cut just past the move (CSS_EPHEMERAL_CUT): the move outlived the cut (the
                # directory was synced), so this boot found nothing to move.
                [[ $journal != *"Moved docker's state"* ]] || fail "the move was lost in the power cut and done again"
                pass "the move survived the power cut"
        else
                assert_contains "$journal" "/var/lib/docker is now /var/lib/docker.lost-pool (nothing was deleted)" "and where the old state is"
        fi
        assert_fails test -e /var/lib/docker.lost-pool.2
        assert_ne "$(lvs --noheadings -o lv_uuid docker-vg/docker-pool | tr -d ' ')" "$(cat "$SAVED/pool-uuid")" "a new pool"
        assert_ok test -d /var/lib/docker.lost-pool/devicemapper/metadata
        assert_unit_active docker.service
        assert_eq "$(docker info --format '{{.Driver}}')" devicemapper "docker's storage driver"
        assert_match "$(docker info 2>/dev/null)" "Pool Name: docker--vg-docker--pool" "docker uses the new pool"
        assert_eq "$(docker images -q | wc -l)" 0 "docker starts clean"
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
