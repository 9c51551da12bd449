#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 03-disk-steps, guest side. Boot 1: css-prepare-disk partitioned the blank vdb and finished
# the half-prepared vdc, css-vg created docker-vg from both, css-growpart grew vda2 to the end
# of the disk and css-pvresize grew the root PV. Boot 2: every step ran and changed nothing
# (lvm reports only), and the helpers refuse what is not theirs to take. Boot 3: two more
# disks in DEVS (one with ext4 and WIPE_SIGNATURES=true) join the VG with one vgextend.
# Boot 4: DEVS names only the new, blank vdf: css-vg's vgcreate without a report (every DEVS
# PV is new) is refused since docker-vg exists, silently; the report then gives a vgextend.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

SAVED=$CSS_VM_STATE/03-disk
VDC_ID=/dev/disk/by-id/virtio-css-extra2
VDC_UNIT=$(systemd-escape --path --template=css-prepare-disk@.service "$VDC_ID")
UNITS=(css-prepare-disk@dev-vdb.service "$VDC_UNIT" css-vg.service css-growpart.service css-pvresize.service)
# vda is 12 GiB; vda2 starts at 616448 with 5 GiB (the harness' Atomic layout).
VDA2_OLD=10485760
VDA2_NEW=$((25165824 - 616448))

helper() {
        local d
        for d in /usr/libexec/container-storage-setup /usr/local/libexec/container-storage-setup; do
                [[ -x $d/$1 ]] && { echo "$d/$1"; return; }
        done
        fail "helper $1 not installed"
}

wait_for_setup() {
        step "docker-storage-setup.service"
        local rc=0 u
        systemctl start docker-storage-setup.service || rc=$?
        for u in "${UNITS[@]}"; do
                echo "--- journal of $u"
                journalctl -b -o cat --no-pager -u "$u" | sed 's/^/    /'
        done
        ((rc == 0)) || fail "docker-storage-setup.service failed ($rc)"
        pass "docker-storage-setup.service started"
        for u in "${UNITS[@]}"; do assert_unit_result "$u" success; done
}

# execs_of HELPER [PREFIX]: lines of the exec log of HELPER whose argv starts with PREFIX.
execs_of() { grep -c "^$1	${2:-}" /run/css-exec.log || true; }
# Every LVM tool counts: lvm itself (the report) and the commands run by their own names.
lvm_execs_of() { grep -cE "^$1	(lvm|pvcreate|vgcreate|vgextend|pvresize) " /run/css-exec.log || true; }

report_steps() {
        step "timings and executed programs"
        local u start end name
        for u in "${UNITS[@]}"; do
                start=$(systemctl show -P ExecMainStartTimestampMonotonic "$u")
                end=$(systemctl show -P ExecMainExitTimestampMonotonic "$u")
                echo "    $u: $(((end - start) / 1000)) ms"
        done
        for name in css-prepare-disk css-vg css-growpart css-pvresize; do
                echo "    $name: $(lvm_execs_of $name) lvm execs, $(execs_of $name) execs in all"
        done
        cp /run/css-exec.log "$CSS_VM_ARTEFACTS/exec.log" 2>/dev/null || true
        sed 's/^/    exec: /' /run/css-exec.log 2>/dev/null || true
}

journal_of() { journalctl -b -o cat --no-pager -u "$1"; }
vg_of() { pvs --noheadings -o vg_name "$1" 2>/dev/null | tr -d ' '; }

check_vg() {
        step "DEVS in docker-vg"
        assert_eq "$(vg_of /dev/vdb1)" docker-vg "vdb1 in docker-vg"
        assert_eq "$(vg_of /dev/vdc1)" docker-vg "vdc1 in docker-vg"
        assert_eq "$(vgs --noheadings -o pv_count docker-vg | tr -d ' ')" 2 "PVs of docker-vg"
        assert_eq "$(sfdisk --json /dev/vdb | grep -c '"type": "8e"')" 1 "vdb: one Linux LVM partition"
        assert_eq "$(cat /sys/block/vdb/vdb1/start)" 2048 "vdb1 starts at sector 2048"
        assert_eq "$(blkid -o value -s TYPE /dev/vdd)" ext4 "vdd (not in DEVS) untouched"
}

check_root_grown() {
        step "root partition and PV grown"
        assert_eq "$(cat /sys/block/vda/vda2/size)" $VDA2_NEW "vda2 size in sectors"
        local pv_size
        pv_size=$(pvs --noheadings --units b --nosuffix -o pv_size /dev/vda2 | tr -d ' ')
        # 1 MiB pe_start, 4 MiB extents: at most one extent short of the partition.
        assert_gt "$pv_size" $((VDA2_NEW * 512 - 5 * 1024 * 1024)) "root PV size in bytes"
}

case $(vm_boot) in
1)
        assert_eq "$(sfdisk --json /dev/vdc | grep -c '"type": "8e"')" 1 "vdc half-prepared before the boot"
        wait_for_setup
        check_vg
        check_root_grown
        assert_match "$(journal_of "$VDC_UNIT")" "of an earlier run that stopped before pvcreate; finishing it" "vdc finished, not refused"
        assert_match "$(journal_of css-prepare-disk@dev-vdb.service)" 'Physical volume "/dev/vdb1" successfully created.' "pvcreate's output in the journal"
        assert_match "$(journal_of css-vg.service)" 'Volume group "docker-vg" successfully created' "vgcreate's output"
        assert_match "$(journal_of css-growpart.service)" "CHANGED: partition=2 start=616448 old: size=$VDA2_OLD end=$((616448 + VDA2_OLD)) new: size=$VDA2_NEW,end=25165824" "growpart's line"
        assert_match "$(journal_of css-pvresize.service)" 'Physical volume "/dev/vda2" changed' "pvresize's output"
        report_steps
        assert_eq "$(lvm_execs_of css-prepare-disk)" 2 "css-prepare-disk: one pvcreate per disk, no lvm query on blank disks"
        assert_eq "$(execs_of css-prepare-disk 'lvm fullreport')" 0 "css-prepare-disk: no report"
        assert_eq "$(lvm_execs_of css-vg)" 1 "css-vg: the vgcreate alone (css-prepare-disk recorded both new PVs)"
        assert_eq "$(execs_of css-vg 'vgcreate docker-vg /dev/vdb1 /dev/vdc1')" 1 "the vgcreate"
        assert_eq "$(execs_of css-growpart)" 0 "css-growpart: no exec at all"
        assert_eq "$(lvm_execs_of css-pvresize)" 1 "css-pvresize: pvresize alone (css-growpart's note)"
        assert_eq "$(execs_of css-pvresize 'pvresize /dev/vda2')" 1 "the pvresize"

        mkdir -p "$SAVED"
        pvs --noheadings -o pv_uuid /dev/vdb1 /dev/vdc1 | tr -d ' ' >"$SAVED/pv-uuids"
        vgs --noheadings -o vg_uuid,vg_seqno docker-vg atomicos | tr -s ' ' >"$SAVED/vgs"
        vm_dump_state
        vm_request_reboot
        ;;
2)
        wait_for_setup
        check_vg
        check_root_grown
        step "nothing changed"
        assert_eq "$(pvs --noheadings -o pv_uuid /dev/vdb1 /dev/vdc1 | tr -d ' ')" "$(cat "$SAVED/pv-uuids")" "same PVs"
        assert_eq "$(vgs --noheadings -o vg_uuid,vg_seqno docker-vg atomicos | tr -s ' ')" "$(cat "$SAVED/vgs")" "VG metadata not rewritten (same seqno)"
        assert_match "$(journal_of css-prepare-disk@dev-vdb.service)" "Device /dev/vdb is already partitioned and is part of volume group docker-vg" "vdb skipped"
        assert_match "$(journal_of "$VDC_UNIT")" "Device /dev/vdc is already partitioned and is part of volume group docker-vg" "vdc skipped"
        assert_match "$(journal_of css-growpart.service)" "NOCHANGE: partition 2 is size $VDA2_NEW. it cannot be grown" "nothing to grow"
        report_steps
        assert_eq "$(grep -cv '	lvm fullreport' /run/css-exec.log || true)" 0 "only lvm reports were run"
        assert_eq "$(lvm_execs_of css-prepare-disk)" 2 "css-prepare-disk: one report per disk"
        assert_eq "$(lvm_execs_of css-vg)" 1 "css-vg: one report"
        assert_eq "$(lvm_execs_of css-pvresize)" 1 "css-pvresize: one report"

        step "refusals, by hand"
        # The next boot adds two disks; later assignments win, as in the original's sourcing.
        # Listed now, so the helper run by hand looks at them; WIPE_SIGNATURES=true comes last.
        printf 'DEVS="/dev/vdb %s /dev/vdd /dev/vde"\n' "$VDC_ID" >>/etc/sysconfig/docker-storage-setup
        prep=$(helper css-prepare-disk)
        out=$("$prep" /dev/vdd 2>&1) && fail "vdd (ext4) accepted: $out"
        assert_match "$out" "Found ext4 signature on device /dev/vdd at offset 0x438. Wipe signatures using wipefs or use WIPE_SIGNATURES=true and retry." "ext4 disk refused"
        out=$("$prep" /dev/disk/by-id/virtio-css-extra3 2>&1) && fail "vdd by id accepted: $out"
        assert_match "$out" "Found ext4 signature on device /dev/vdd" "by-id name resolved"
        out=$("$prep" vda 2>&1) && fail "the root disk accepted: $out"
        assert_contains "$out" "Device vda (/dev/vda) is not one of DEVS (/dev/vdb $VDC_ID /dev/vdd /dev/vde); not preparing it" "a disk not in DEVS refused"
        out=$("$prep" /dev/vda2 2>&1) && fail "a partition accepted: $out"
        assert_match "$out" "Partition specification unsupported at this time." "partition refused"
        out=$("$prep" /dev/atomicos/root 2>&1) && fail "an LV accepted: $out"
        assert_match "$out" "Partition specification unsupported at this time." "LV refused (it has a parent)"
        out=$("$prep" /dev/nosuchdisk 2>&1) && fail "a missing disk accepted: $out"
        assert_match "$out" "/dev/nosuchdisk is not a valid block device." "missing disk refused"
        assert_eq "$(blkid -o value -s TYPE /dev/vdd)" ext4 "vdd still ext4"
        out=$("$(helper css-growpart)" --dry-run 2>&1)
        assert_match "$out" "NOCHANGE: partition 2" "css-growpart --dry-run"
        out=$("$prep" --dry-run /dev/vde 2>&1)
        assert_match "$out" "would run: pvcreate /dev/vde1" "css-prepare-disk --dry-run"
        assert_eq "$(blkid -p /dev/vde >/dev/null 2>&1; echo $?)" 2 "vde still blank after the dry run"

        printf 'WIPE_SIGNATURES=true\n' >>/etc/sysconfig/docker-storage-setup
        vm_dump_state
        vm_request_reboot
        ;;
3)
        UNITS+=(css-prepare-disk@dev-vdd.service css-prepare-disk@dev-vde.service)
        wait_for_setup
        step "vdd and vde added"
        assert_eq "$(vg_of /dev/vdd1)" docker-vg "vdd1 in docker-vg"
        assert_eq "$(vg_of /dev/vde1)" docker-vg "vde1 in docker-vg"
        assert_eq "$(vgs --noheadings -o pv_count docker-vg | tr -d ' ')" 4 "PVs of docker-vg"
        assert_eq "$(pvs --noheadings -o pv_uuid /dev/vdb1 /dev/vdc1 | tr -d ' ')" "$(cat "$SAVED/pv-uuids")" "vdb1 and vdc1 kept"
        assert_match "$(journal_of css-prepare-disk@dev-vdd.service)" "Wipe Signatures is set to true. Any signatures on /dev/vdd will be wiped." "vdd wiped"
        assert_match "$(journal_of css-prepare-disk@dev-vdb.service)" "Device /dev/vdb is already partitioned and is part of volume group docker-vg" "vdb skipped despite WIPE_SIGNATURES=true"
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdd1)" LVM2_member "no ext4 left on vdd1"
        report_steps
        assert_eq "$(execs_of css-vg 'vgextend docker-vg /dev/vdd1 /dev/vde1')" 1 "one vgextend with both"
        assert_eq "$(lvm_execs_of css-vg)" 2 "css-vg: one report + vgextend"
        assert_eq "$(execs_of css-prepare-disk pvcreate)" 2 "pvcreate of vdd1 and vde1 only"
        assert_eq "$(execs_of css-prepare-disk 'lvm fullreport')" 2 "a report for vdb and vdc (LVM labels)"
        printf 'DEVS=/dev/vdf\n' >>/etc/sysconfig/docker-storage-setup
        vm_dump_state
        vm_request_reboot
        ;;
4)
        UNITS=(css-prepare-disk@dev-vdf.service css-vg.service)
        wait_for_setup
        step "vdf added while docker-vg exists"
        assert_eq "$(vg_of /dev/vdf1)" docker-vg "vdf1 in docker-vg"
        assert_eq "$(vgs --noheadings -o pv_count docker-vg | tr -d ' ')" 5 "PVs of docker-vg"
        report_steps
        assert_eq "$(execs_of css-vg 'vgcreate docker-vg /dev/vdf1')" 1 "vgcreate tried without a report"
        assert_eq "$(execs_of css-vg 'lvm fullreport')" 1 "then the report"
        assert_eq "$(execs_of css-vg 'vgextend docker-vg /dev/vdf1')" 1 "then vgextend"
        assert_eq "$(lvm_execs_of css-vg)" 3 "css-vg: vgcreate, report, vgextend"
        if journal_of css-vg.service | grep -q "already exists"; then
                fail "the refused vgcreate's message reached the journal"
        fi
        pass "the refused vgcreate left no message in the journal"
        assert_eq "$(ls /run/container-storage-setup | grep -c '^orphan-pv-' || true)" 0 "no orphan-PV record left"
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
