#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 07-foreign-signature, guest side. Boot 1: the ext4 on vdb is refused with the original's
# message and nothing after that step runs; docker-storage-setup.service ends failed, naming the
# step and its reason (issue 15, item 10); docker does not start. Boot 2 (WIPE_SIGNATURES=true):
# vdb is wiped, partitioned and added to docker-vg; docker runs on the pool.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

PREP=css-prepare-disk@dev-vdb.service
MESSAGE='Found ext4 signature on device /dev/vdb at offset 0x438. Wipe signatures using wipefs or use WIPE_SIGNATURES=true and retry.'

show() {
        echo "--- systemctl status $1"
        systemctl status --no-pager -l "$1" 2>&1 | sed 's/^/    /' || true
}

case $(vm_boot) in
1)
        step "the boot completed; the step refused the disk"
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdb)" ext4 "vdb carries the host's ext4"
        show $PREP
        assert_eq "$(systemctl show -P ActiveState $PREP)" failed "$PREP state"
        assert_unit_result $PREP exit-code
        assert_contains "$(systemctl status --no-pager -l $PREP 2>&1 || true)" "$MESSAGE" "the original's message in systemctl status"

        step "nothing after it ran; docker did not start"
        for u in css-vg.service css-thinpool.service css-write-storage-config.service docker.service; do
                assert_ne "$(systemctl show -P ActiveState $u)" active "$u state"
                assert_eq "$(systemctl show -P ActiveEnterTimestampMonotonic $u)" 0 "$u never active in this boot"
        done
        journal=$(journalctl -b -o cat)
        assert_contains "$journal" "Dependency failed for docker.service" "docker.service: dependency failed"
        assert_eq "$(systemctl show -P ActiveState docker.service)" inactive "docker.service state"

        step "docker-storage-setup.service failed, naming the step and its reason"
        show docker-storage-setup.service
        assert_ok systemctl is-failed --quiet docker-storage-setup.service
        assert_unit_result docker-storage-setup.service exit-code
        assert_eq "$(systemctl show -P ActiveEnterTimestampMonotonic docker-storage-setup.service)" 0 \
                "docker-storage-setup.service never active in this boot"
        status=$(systemctl status --no-pager -l docker-storage-setup.service 2>&1 || true)
        assert_contains "$status" "$PREP failed: $MESSAGE" "the failed step and its reason in systemctl status"
        assert_contains "$status" "Did not run, since a step before them failed: css-vg.service, css-thinpool.service, css-write-storage-config.service." \
                "the steps that did not run in systemctl status"
        own=$(journalctl -b -o cat -u docker-storage-setup.service)
        assert_contains "$own" "$PREP failed: $MESSAGE" "the failed step and its reason in its journal"
        if grep -q "Dependency failed for docker-storage-setup.service" <<<"$journal"; then
                fail "docker-storage-setup.service was cancelled (Dependency failed) instead of failing itself"
        else
                pass "docker-storage-setup.service ran its check instead of being cancelled"
        fi
        # The step's own status is as it was: failed, with its message (above).
        assert_eq "$(systemctl show -P ActiveState $PREP)" failed "$PREP still failed"
        assert_fails pidof dockerd
        assert_fails test -e /etc/sysconfig/docker-storage
        assert_fails vgs docker-vg
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdb)" ext4 "vdb still ext4"
        assert_eq "$(lsblk -n -o NAME /dev/vdb | wc -l)" 1 "vdb has no partitions"

        # The admin's answer, as the message says.
        echo 'WIPE_SIGNATURES=true' >>/etc/sysconfig/docker-storage-setup
        vm_dump_state
        vm_request_reboot
        ;;
2)
        step "WIPE_SIGNATURES=true: the disk is used"
        rc=0
        systemctl start docker-storage-setup.service || rc=$?
        show $PREP
        ((rc == 0)) || fail "docker-storage-setup.service failed ($rc)"
        assert_unit_result $PREP success
        assert_match "$(journalctl -b -o cat -u $PREP)" "Wipe Signatures is set to true\. Any signatures on /dev/vdb will be wiped\." "the step says it wipes"
        assert_eq "$(pvs --noheadings -o vg_name /dev/vdb1 | tr -d ' ')" docker-vg "vdb1 is a PV of docker-vg"
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdb1)" LVM2_member "vdb1 signature"
        assert_eq "$(lvs --noheadings -o segtype docker-vg/docker-pool | tr -d ' ')" thin-pool "docker-vg/docker-pool"
        assert_eq "$(wipefs -n /dev/vdb | grep -c ext4 || true)" 0 "no ext4 signature left on vdb"
        assert_unit_active docker.service
        assert_eq "$(docker info --format '{{.Driver}}')" devicemapper "docker's storage driver"
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
