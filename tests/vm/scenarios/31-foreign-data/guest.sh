#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 31-foreign-data, guest side. Boot 1 (WIPE_SIGNATURES=false): each of the six disks is
# refused by its css-prepare-disk@ instance with the original's message (the words checked
# against what the original built them from: the first line of `wipefs -p`, or lsblk showing
# a partition), the boot completes with no job left, nothing after the disks ran, no VG,
# every disk as the host made it (the host checksums them after the boot). Boot 2
# (WIPE_SIGNATURES=true): each disk is wiped, partitioned and a PV of docker-vg, with the pool,
# and the enabled docker.service, which did not start at boot 1, runs on it.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

CONFIG=/etc/sysconfig/docker-storage-setup
DISKS=(vdb vdc vdd vde vdf vdg)
KINDS=(ext4 xfs LVM2_member gpt linux_raid_member swap)
SUFFIX='. Wipe signatures using wipefs or use WIPE_SIGNATURES=true and retry.'
declare -A MESSAGE=(
        [vdb]="Found ext4 signature on device /dev/vdb at offset 0x438$SUFFIX"
        [vdc]="Found xfs signature on device /dev/vdc at offset 0x0$SUFFIX"
        [vdd]="Found LVM2_member signature on device /dev/vdd at offset 0x218$SUFFIX"
        [vde]="Device /dev/vde is already partitioned and cannot be added to volume group docker-vg"
        [vdf]="Found linux_raid_member signature on device /dev/vdf at offset 0x1000$SUFFIX"
        [vdg]="Found swap signature on device /dev/vdg at offset 0xff6$SUFFIX"
)

unit_of() { echo "css-prepare-disk@dev-$1.service"; }

status_of() { systemctl status --no-pager -l -n 20 "$1" 2>&1 || true; }

# The original's refusal, built as it built it: "Found <type> signature ... at offset
# <offset>" from the first line of `wipefs -p`; a disk with a partition (lsblk shows a child)
# is "already partitioned" before any signature is looked at.
original_message() {
        local dev=/dev/$1 offset type
        if (($(lsblk -n -o NAME "$dev" | wc -l) > 1)); then
                echo "Device $dev is already partitioned and cannot be added to volume group docker-vg"
                return
        fi
        IFS=, read -r offset _ _ type < <(wipefs -p "$dev" | grep -v '^#' | head -n 1)
        echo "Found $type signature on device $dev at offset $offset$SUFFIX"
}

step_duration_ms() {
        local start end
        start=$(systemctl show -P ExecMainStartTimestampMonotonic "$1")
        end=$(systemctl show -P ExecMainExitTimestampMonotonic "$1")
        echo $(((end - start) / 1000))
}

refused_at_boot() {
        local i d u
        for i in "${!DISKS[@]}"; do
                d=${DISKS[i]}
                u=$(unit_of "$d")
                step "/dev/$d (${KINDS[i]})"
                status_of "$u" | sed 's/^/    /'
                assert_eq "$(original_message "$d")" "${MESSAGE[$d]}" "the original's words for $d"
                assert_eq "$(systemctl show -P ActiveState "$u")" failed "$u state"
                assert_unit_result "$u" exit-code
                assert_eq "$(systemctl show -P ExecMainStatus "$u")" 1 "$u exit status"
                assert_contains "$(status_of "$u")" "${MESSAGE[$d]}" "systemctl status $u"
                assert_eq "$(journalctl -b -o cat -p err -u "$u" | grep -cxF "${MESSAGE[$d]}")" 1 "the message once, at priority err"
                assert_eq "$(journalctl -b -o cat -u "$u" | grep -c 'Wipe Signatures is set to true' || true)" 0 "$d: no wipe announced"
                echo "    $u ran $(step_duration_ms "$u") ms"
        done
}

boot_not_hung() {
        step "the boot completed: no job left but the harness' own, nothing after the disks ran"
        assert_unit_active multi-user.target
        local jobs
        jobs=$(systemctl list-jobs --no-legend --no-pager | grep -v 'css-vm' || true)
        assert_eq "$jobs" "" "jobs left besides css-vm's"
        echo "    multi-user.target reached $(($(systemctl show -P ActiveEnterTimestampMonotonic multi-user.target) / 1000)) ms after the kernel started"
        local u
        for u in css-vg.service css-thinpool.service css-write-storage-config.service docker-storage-setup.service; do
                assert_eq "$(systemctl show -P ActiveEnterTimestampMonotonic $u)" 0 "$u never active in this boot"
        done
        # Issue 15: it ran its check after the steps and failed, naming each refused disk and the
        # steps that did not run, in its status; it was not cancelled by a failed dependency.
        assert_ok systemctl is-failed --quiet docker-storage-setup.service
        assert_unit_result docker-storage-setup.service exit-code
        local own status d journal
        own=$(journalctl -b -o cat -u docker-storage-setup.service)
        status=$(status_of docker-storage-setup.service)
        echo "$status" | sed 's/^/    /'
        for d in "${DISKS[@]}"; do
                assert_contains "$own" "$(unit_of "$d") failed: ${MESSAGE[$d]}" "docker-storage-setup.service names $d's refusal"
        done
        assert_contains "$status" "$(unit_of vdb) failed: ${MESSAGE[vdb]}" "a failed step and its reason in systemctl status"
        assert_contains "$status" "Did not run, since a step before them failed: css-vg.service, css-thinpool.service, css-write-storage-config.service." \
                "the steps that did not run in systemctl status"
        journal=$(journalctl -b -o cat)
        if grep -q "Dependency failed for docker-storage-setup.service" <<<"$journal"; then
                fail "docker-storage-setup.service was cancelled (Dependency failed) instead of failing itself"
        else
                pass "docker-storage-setup.service ran its check instead of being cancelled"
        fi

        step "the enabled docker.service did not start"
        assert_contains "$journal" "Dependency failed for docker.service" "docker.service: dependency failed"
        assert_eq "$(systemctl show -P ActiveState docker.service)" inactive "docker.service state"
        assert_eq "$(systemctl show -P ActiveEnterTimestampMonotonic docker.service)" 0 "docker.service never active in this boot"
        assert_fails pidof dockerd
}

nothing_written() {
        step "no VG, no partition, no PV made; every signature still there"
        assert_fails vgs docker-vg
        assert_eq "$(vgs --noheadings -o vg_name | tr -d ' ')" atomicos "the only VG"
        assert_fails test -e /etc/sysconfig/docker-storage
        local i d parts
        for i in "${!DISKS[@]}"; do
                d=${DISKS[i]}
                parts=1
                [[ $d == vde ]] && parts=2
                assert_eq "$(lsblk -n -o NAME "/dev/$d" | wc -l)" "$parts" "/dev/$d: block devices (itself and its partitions)"
                assert_gt "$(wipefs -p "/dev/$d" | grep -v '^#' | cut -d, -f4 | grep -cx "${KINDS[i]}" || true)" 0 "/dev/$d: ${KINDS[i]} signatures still there"
        done
        # The host's PV on vdd is still in no VG.
        assert_eq "$(pvs --noheadings -o vg_name /dev/vdd | tr -d ' ')" "" "vdd: a PV in no VG, as the host made it"
}

wiped_and_used() {
        local i d u
        for i in "${!DISKS[@]}"; do
                d=${DISKS[i]}
                u=$(unit_of "$d")
                step "/dev/$d (${KINDS[i]}) with WIPE_SIGNATURES=true"
                assert_unit_result "$u" success
                assert_contains "$(journalctl -b -o cat -u "$u")" "Wipe Signatures is set to true. Any signatures on /dev/$d will be wiped." "$u says it wipes"
                # The six instances start together and take the global lock in turn.
                echo "    $u ran $(step_duration_ms "$u") ms, $(journalctl -b -o cat -u "$u" | grep -c 'Waiting to acquire lock /run/container-storage-setup/lock' || true) s of it waiting for the global lock"
                assert_eq "$(lsblk -n -l -o TYPE "/dev/$d" | grep -cx part)" 1 "/dev/$d: one partition"
                assert_eq "$(pvs --noheadings -o vg_name "/dev/${d}1" | tr -d ' ')" docker-vg "/dev/${d}1 is a PV of docker-vg"
                assert_eq "$(wipefs -p "/dev/$d" | grep -v '^#' | cut -d, -f4 | sort -u | tr '\n' ' ')" "dos " "/dev/$d: only our dos label left"
        done
        step "the VG and the pool"
        assert_eq "$(vgs --noheadings -o pv_count docker-vg | tr -d ' ')" 6 "docker-vg has the six PVs"
        assert_eq "$(lvs --noheadings -o segtype docker-vg/docker-pool | tr -d ' ')" thin-pool "docker-vg/docker-pool"
        assert_file_contains /etc/sysconfig/docker-storage "dm.thinpooldev=/dev/mapper/docker--vg-docker--pool"
        step "docker runs on the pool"
        assert_unit_active docker.service
        assert_eq "$(docker info --format '{{.Driver}}')" devicemapper "docker's storage driver"
}

case $(vm_boot) in
1)
        assert_file_contains $CONFIG '^WIPE_SIGNATURES=false$'
        refused_at_boot
        boot_not_hung
        nothing_written
        vm_dump_state
        # The admin's answer, as the message says.
        sed -i 's/^WIPE_SIGNATURES=false$/WIPE_SIGNATURES=true/' $CONFIG
        assert_file_contains $CONFIG '^WIPE_SIGNATURES=true$'
        vm_request_reboot
        ;;
2)
        rc=0
        systemctl start docker-storage-setup.service || rc=$?
        ((rc == 0)) || {
                for d in "${DISKS[@]}"; do status_of "$(unit_of "$d")"; done
                fail "docker-storage-setup.service failed ($rc)"
        }
        pass "docker-storage-setup.service started"
        wiped_and_used
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
