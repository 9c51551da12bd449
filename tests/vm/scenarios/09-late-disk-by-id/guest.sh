#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 09-late-disk-by-id, guest side. Boot 1: the never-appearing disk: systemd waited
# DEVICE_WAIT_TIMEOUT=10 s for it (not its default 90 s), the step did not run, the boot
# completed. Boot 2: the late disk, hot-added after basic.target while its step waited for it,
# is prepared by id and joins docker-vg with vdb.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

by_id() { echo "/dev/disk/by-id/virtio-$1"; }
device_unit() { echo "$(systemd-escape --path "$(by_id "$1")").device"; }
step_unit() { echo "css-prepare-disk@$(systemd-escape --path "$(by_id "$1")").service"; }
mono() { systemctl show -P "$2" "$1"; }
show() {
        echo "--- systemctl status $*"
        systemctl status --no-pager -l "$@" 2>&1 | sed 's/^/    /' || true
}

case $(vm_boot) in
1)
        NEVER_DEV=$(device_unit css-never)
        NEVER_STEP=$(step_unit css-never)
        step "a disk that never appears, DEVICE_WAIT_TIMEOUT=10"
        show "$NEVER_STEP" "$NEVER_DEV" docker-storage-setup.service
        assert_eq "$(mono "$NEVER_DEV" JobRunningTimeoutUSec)" 10s "the device's wait is DEVICE_WAIT_TIMEOUT"
        assert_eq "$(mono "$NEVER_DEV" ActiveState)" inactive "$NEVER_DEV"
        # With 10 s, systemd may give up before journald runs on a slow (TCG) boot: then these
        # lines come from the kernel log buffer without the unit's fields, so search them all.
        journal=$(journalctl -b -o cat)
        assert_contains "$journal" "Timed out waiting for device $NEVER_DEV - /dev/disk/by-id/virtio-css-never." "systemd says why"
        assert_contains "$journal" "Dependency failed for $NEVER_STEP - Container storage: prepare disk /dev/disk/by-id/virtio-css-never." "the step did not run, and says why"
        # Issue 15: it ran its check after the steps and failed, naming the step that never ran.
        assert_ok systemctl is-failed --quiet docker-storage-setup.service
        assert_contains "$(journalctl -b -o cat -u docker-storage-setup.service)" \
                "Did not run (a unit they need failed or did not appear): $NEVER_STEP, css-vg.service." \
                "docker-storage-setup.service names the steps that did not run"
        for u in "$NEVER_STEP" css-vg.service docker-storage-setup.service; do
                assert_eq "$(mono "$u" ActiveEnterTimestampMonotonic)" 0 "$u never active in this boot"
        done
        # When systemd gave up: DEVICE_WAIT_TIMEOUT after the initial transaction (which comes
        # right after the generators), well before the 90 s default device timeout.
        userspace=$(systemctl show -P UserspaceTimestampMonotonic)
        gave_up=$(journalctl -b -o json | grep 'Timed out waiting for device.*virtio-css-never' | head -n 1 |
                sed -n 's/.*"__MONOTONIC_TIMESTAMP" *: *"\([0-9]*\)".*/\1/p')
        waited=$(((gave_up - userspace) / 1000000))
        echo "    systemd gave up on the device ${waited} s after userspace started"
        assert_gt "$waited" 9 "waited at least DEVICE_WAIT_TIMEOUT"
        assert_gt 60 "$waited" "gave up long before systemd's 90 s default"
        assert_fails vgs docker-vg
        assert_eq "$(blkid -p /dev/vdb >/dev/null 2>&1; echo $?)" 2 "vdb untouched"

        step "boot 2: vdb and a late disk, both by id"
        cat >/etc/sysconfig/docker-storage-setup <<CONF
DEVS="$(by_id css-extra1) $(by_id css-late)"
VG=docker-vg
STORAGE_DRIVER=
DEVICE_WAIT_TIMEOUT=120
CONF
        install -m 0644 /usr/lib/css-vm/scenario/css-vm-late-disk.service /etc/systemd/system/
        mkdir -p /etc/systemd/system/multi-user.target.wants
        ln -sf /etc/systemd/system/css-vm-late-disk.service /etc/systemd/system/multi-user.target.wants/
        vm_dump_state
        vm_request_reboot
        ;;
2)
        LATE_DEV=$(device_unit css-late)
        LATE_STEP=$(step_unit css-late)
        step "the late disk, hot-added while its step waited"
        rc=0
        systemctl start docker-storage-setup.service || rc=$?
        show css-vm-late-disk.service "$LATE_DEV" "$LATE_STEP" "$(step_unit css-extra1)" css-vg.service
        echo "--- jobs when the guest asked the host for the disk"
        sed 's/^/    /' /run/css-vm/late/jobs
        ((rc == 0)) || fail "docker-storage-setup.service failed ($rc)"
        assert_unit_result css-vm-late-disk.service success
        assert_eq "$(mono "$LATE_DEV" JobRunningTimeoutUSec)" "2min" "the device's wait is DEVICE_WAIT_TIMEOUT"
        assert_unit_active "$LATE_DEV"
        assert_unit_active "$LATE_STEP"
        assert_unit_result "$LATE_STEP" success
        assert_unit_active "$(step_unit css-extra1)"
        basic=$(mono basic.target ActiveEnterTimestampMonotonic)
        requested=$(awk '{printf "%d", $1 * 1000000}' /run/css-vm/late/requested)
        appeared=$(mono "$LATE_DEV" ActiveEnterTimestampMonotonic)
        started=$(mono "$LATE_STEP" ExecMainStartTimestampMonotonic)
        echo "    basic.target $((basic / 1000)) ms, asked the host $((requested / 1000)) ms, disk appeared $((appeared / 1000)) ms, step started $((started / 1000)) ms (monotonic)"
        assert_gt "$requested" "$basic" "the host was asked after basic.target (when the step could have run)"
        assert_gt "$appeared" "$requested" "the disk appeared after that"
        assert_gt "$started" "$appeared" "the step ran only once the disk was there"
        late=$(readlink -f "$(by_id css-late)")
        echo "    $(by_id css-late) -> $late"
        assert_eq "$(pvs --noheadings -o vg_name "${late}1" | tr -d ' ')" docker-vg "${late}1 (late disk) in docker-vg"
        assert_eq "$(pvs --noheadings -o vg_name /dev/vdb1 | tr -d ' ')" docker-vg "vdb1 in docker-vg"
        assert_eq "$(vgs --noheadings -o pv_count docker-vg | tr -d ' ')" 2 "PVs of docker-vg"
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
