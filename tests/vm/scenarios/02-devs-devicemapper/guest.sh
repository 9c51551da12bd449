#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 02-devs-devicemapper, guest side (the thin pool and output half; the DEVS/VG half is
# css-prepare-disk and css-vg). Boot 1: pool docker-vg/docker-pool with the auto-extend
# profile attached in the same lvcreate, /etc/sysconfig/docker-storage byte for byte, docker
# runs on it. Boot 2: nothing changed, no LVM change made. Boot 3: AUTO_EXTEND_POOL=no
# detaches and removes the profile; css-reset removes pool and file and keeps the VG.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

SAVED=$CSS_VM_STATE/02-dm
EXPECTED='DOCKER_STORAGE_OPTIONS="--storage-driver devicemapper --storage-opt dm.fs=xfs --storage-opt dm.thinpooldev=/dev/mapper/docker--vg-docker--pool --storage-opt dm.use_deferred_removal=true --storage-opt dm.use_deferred_deletion=true "'
PROFILE=/etc/lvm/profile/docker-vg--docker-pool-extend.profile
STEPS=(css-vg css-thinpool css-write-storage-config)

helper() {
        local d
        for d in /usr/libexec/container-storage-setup /usr/local/libexec/container-storage-setup; do
                [[ -x $d/$1 ]] && { echo "$d/$1"; return; }
        done
        fail "helper $1 not installed"
}

POOL_DEVICE_UNIT='dev-mapper-docker\x2d\x2dvg\x2ddocker\x2d\x2dpool.device'

# What systemd and udev think of the pool's device: on a provisioned system the generator
# orders css-thinpool after this device unit (#267).
show_pool_device() {
        echo "--- $POOL_DEVICE_UNIT: $(systemctl show -P ActiveState "$POOL_DEVICE_UNIT")"
        udevadm info --query=property /dev/mapper/docker--vg-docker--pool 2>&1 |
                grep -E 'SYSTEMD_READY|DM_UDEV_DISABLE|DM_LV_LAYER|DM_NAME|TAGS' | sed 's/^/    /' || true
}

wait_for_setup() {
        step "docker-storage-setup.service"
        local rc=0 u
        systemctl start docker-storage-setup.service || rc=$?
        for u in 'css-prepare-disk@*' "${STEPS[@]}" docker-storage-setup; do
                echo "--- journal of $u"
                journalctl -b -o cat --no-pager -u "$u" | sed 's/^/    /'
        done
        show_pool_device
        if ((rc != 0)); then
                # The unit graph failed, not necessarily a step. Run the two steps by hand so
                # the rest of the scenario still checks them, and fail at the end of the run:
                # a boot that does not set up storage is a failure whatever the steps do.
                echo "--- by hand, after the failure:"
                echo "boot $(vm_boot): docker-storage-setup.service failed ($rc); css-thinpool.service is $(systemctl show -P ActiveState css-thinpool.service), $POOL_DEVICE_UNIT is $(systemctl show -P ActiveState "$POOL_DEVICE_UNIT")" >>"$SAVED.unit-failures"
                : >/run/css-exec.log
                local h
                for h in css-thinpool css-write-storage-config; do
                        CSS_EXEC_LOG=/run/css-exec.log "$(helper $h)" 2>&1 | sed 's/^/    /'
                        assert_eq "${PIPESTATUS[0]}" 0 "$h by hand"
                done
                return
        fi
        pass "docker-storage-setup.service started"
}

# Fails the scenario if an earlier boot's unit graph failed (see wait_for_setup).
check_unit_failures() {
        if [[ -s $SAVED.unit-failures ]]; then
                cat "$SAVED.unit-failures"
                fail "docker-storage-setup.service failed at a boot (above)"
        fi
        pass "docker-storage-setup.service succeeded at every boot"
}

report_steps() {
        step "timings and executed programs"
        local u start end
        for u in css-prepare-disk@dev-vdb "${STEPS[@]}"; do
                start=$(systemctl show -P ExecMainStartTimestampMonotonic "$u.service")
                end=$(systemctl show -P ExecMainExitTimestampMonotonic "$u.service")
                if [[ $start == 0 || -z $start ]]; then
                        echo "    $u: did not run"
                else
                        echo "    $u: $(((end - start) / 1000)) ms"
                fi
        done
        cp /run/css-exec.log "$CSS_VM_ARTEFACTS/exec.log" 2>/dev/null || true
        sed 's/^/    exec: /' /run/css-exec.log 2>/dev/null || true
}

# LVM tools run by one step: lvm itself and its command names (lvcreate, vgcreate, pvresize, ...).
lvm_execs_of() { grep -cE "^$1	(lvm|lv[a-z]+|vg[a-z]+|pv[a-z]+) " /run/css-exec.log || true; }

check_pool() {
        step "thin pool and output file"
        assert_eq "$(lvs --noheadings -o segtype docker-vg/docker-pool | tr -d ' ')" thin-pool "pool segment type"
        assert_eq "$(lvs --noheadings --units k --nosuffix -o chunk_size docker-vg/docker-pool | tr -d ' ')" 512.00 "chunk size 512K"
        assert_block_device /dev/mapper/docker--vg-docker--pool
        assert_eq "$(cat /etc/sysconfig/docker-storage)" "$EXPECTED" "/etc/sysconfig/docker-storage"
        assert_ok cmp <(printf '%s\n' "$EXPECTED") /etc/sysconfig/docker-storage
}

check_profile_attached() {
        assert_eq "$(lvs --noheadings -o lv_profile docker-vg/docker-pool | tr -d ' ')" docker-vg--docker-pool-extend "profile attached"
        assert_eq "$(cat $PROFILE)" "$(printf 'activation {\n\tthin_pool_autoextend_threshold=60\n\tthin_pool_autoextend_percent=20\n\n}')" "profile file"
}

case $(vm_boot) in
1)
        wait_for_setup
        for u in "${STEPS[@]}"; do assert_unit_result "$u.service" success; done
        check_pool
        check_profile_attached
        assert_match "$(journalctl -b -o cat -u css-thinpool)" 'Logical volume "docker-pool" created.' "lvm's own output in the journal"
        # The profile went into the lvcreate itself: no lvchange.
        assert_eq "$(grep -c '^css-thinpool	lvchange' /run/css-exec.log || true)" 0 "no lvchange by css-thinpool"
        assert_match "$(grep '^css-thinpool	lvcreate' /run/css-exec.log)" "lvcreate -y --type thin-pool --zero n -c 512K --poolmetadatasize [0-9]+s -l 40%FREE --metadataprofile docker-vg--docker-pool-extend -n docker-pool docker-vg" "the lvcreate"
        report_steps
        for u in "${STEPS[@]}"; do echo "    lvm execs of $u: $(lvm_execs_of "$u")"; done
        assert_eq "$(lvm_execs_of css-thinpool)" 2 "css-thinpool: one report + one lvcreate"
        assert_eq "$(lvm_execs_of css-write-storage-config)" 0 "css-write-storage-config: none (the pool asked from device-mapper)"

        step "docker"
        assert_ok systemctl start docker.service
        assert_eq "$(docker info --format '{{.Driver}}')" devicemapper "docker's storage driver"
        assert_match "$(docker info 2>/dev/null)" "Pool Name: docker--vg-docker--pool" "docker uses our pool"
        assert_ok systemctl stop docker.service docker.socket

        mkdir -p "$SAVED"
        lvs --noheadings -o lv_uuid docker-vg/docker-pool | tr -d ' ' >"$SAVED/pool-uuid"
        stat -c '%i %Y' /etc/sysconfig/docker-storage >"$SAVED/file-stat"
        vm_dump_state
        vm_request_reboot
        ;;
2)
        wait_for_setup
        check_pool
        check_profile_attached
        step "nothing changed"
        assert_eq "$(lvs --noheadings -o lv_uuid docker-vg/docker-pool | tr -d ' ')" "$(cat "$SAVED/pool-uuid")" "same pool"
        assert_eq "$(stat -c '%i %Y' /etc/sysconfig/docker-storage)" "$(cat "$SAVED/file-stat")" "file not rewritten"
        report_steps
        # Provisioned: css-thinpool finds the pool active and runs nothing, so there may be no log;
        # or, when LVM's autoactivation comes later than the step (seen on a loaded host: the step
        # took 4.5 s), it activates the pool itself, which is its job on this boot (as css-create-lv
        # does for the LV in 01). Nothing else.
        assert_eq "$(grep -vE '(	lvm fullreport |^css-thinpool	lvchange -ay docker-vg/docker-pool$)' /run/css-exec.log 2>/dev/null || true)" \
                "" "no step changed anything but the pool's activation"
        assert_eq "$(systemctl show -P LoadState css-vg.service css-write-storage-config.service | grep . | sort -u)" not-found "provisioned: the generator left out css-vg and the writer"
        step "docker after the reboot"
        if systemctl start docker.service; then
                assert_eq "$(docker info --format '{{.Driver}}')" devicemapper "docker's storage driver"
                assert_ok systemctl stop docker.service docker.socket
        else
                echo "boot 2: docker.service failed to start ($(journalctl -b -o cat -u docker.service | grep -m1 -o 'failed with result.*'))" >>"$SAVED.unit-failures"
                journalctl -b -o cat --no-pager -u docker.service | tail -n 5 | sed 's/^/    /'
        fi
        # The next boot turns auto-extension off.
        echo "AUTO_EXTEND_POOL=no" >>/etc/sysconfig/docker-storage-setup
        vm_dump_state
        vm_request_reboot
        ;;
3)
        wait_for_setup
        step "AUTO_EXTEND_POOL=no"
        assert_eq "$(lvs --noheadings -o lv_profile docker-vg/docker-pool | tr -d ' ')" "" "profile detached"
        assert_fails test -e $PROFILE
        assert_eq "$(grep -c '^css-thinpool	lvchange --detachprofile docker-vg/docker-pool$' /run/css-exec.log)" 1 "one lvchange --detachprofile"
        assert_eq "$(stat -c '%i %Y' /etc/sysconfig/docker-storage)" "$(cat "$SAVED/file-stat")" "file not rewritten"
        report_steps

        step "css-reset"
        reset=$(helper css-reset)
        assert_ok "$reset" --dry-run
        assert_ok lvs docker-vg/docker-pool
        : >/run/css-exec.log
        assert_ok "$reset"
        assert_fails lvs docker-vg/docker-pool
        assert_fails test -e /etc/sysconfig/docker-storage
        assert_ok vgs docker-vg
        assert_eq "$(pvs --noheadings -o vg_name /dev/vdb1 | tr -d ' ')" docker-vg "PV kept"
        sed 's/^/    exec: /' /run/css-exec.log
        assert_ok "$reset"  # nothing left: nothing to do
        vm_dump_state
        check_unit_failures
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
