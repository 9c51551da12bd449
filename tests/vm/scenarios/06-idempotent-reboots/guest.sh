#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 06-idempotent-reboots, guest side. Boot 1: every step did its work. Boot 2: the
# storage picture is identical to boot 1's, the file written in boot 1 is intact, every step
# succeeded or was skipped by its Condition; the generator left out every step but css-thinpool
# (provisioned) and that one ran nothing but, at most, the pool's activation.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

SAVED=$CSS_VM_STATE/06-idem
PROOF=/var/lib/docker/css-proof
# Every step this config needs, in the generator's order.
STEPS=(css-check-engine css-prepare-disk@dev-vdb css-vg css-growpart css-pvresize css-extend-root css-thinpool
        css-create-lv css-mkfs css-write-storage-config)

wait_for_setup() {
        step "docker-storage-setup.service"
        local rc=0 u
        systemctl start docker-storage-setup.service || rc=$?
        for u in "${STEPS[@]}" var-lib-docker.mount; do
                echo "--- journal of $u"
                journalctl -b -o cat --no-pager -u "$u" | sed 's/^/    /'
        done
        echo "--- programs the helpers ran (CSS_EXEC_LOG)"
        sed 's/^/    /' /run/css-exec.log 2>/dev/null || true
        cp /run/css-exec.log "$CSS_VM_ARTEFACTS/exec.log" 2>/dev/null || true
        ((rc == 0)) || fail "docker-storage-setup.service failed ($rc)"
        pass "docker-storage-setup.service started"
}

# Every step of the graph: ran and succeeded, or was skipped by its Condition.
# Prints the skipped ones. Boots 2 and 3 are provisioned (the record of boot 1 matches): the
# generator emits only css-thinpool and css-create-lv, which activate the pool and the LV when
# LVM has not (css-create-lv is skipped by its condition while the LV is active).
check_steps() {
        local u members skipped=() steps=("${STEPS[@]}")
        (($(vm_boot) == 1)) || steps=(css-thinpool css-create-lv)
        # Required steps, and wanted ones (css-extend-root: its failure stops nothing).
        members=$(systemctl show -P Requires -P Wants docker-storage-setup.service | tr ' ' '\n' | grep '^css-' | sort)
        assert_eq "$members" "$(printf '%s.service\n' "${steps[@]}" | sort)" "steps in the graph"
        for u in "${steps[@]}"; do
                u=$u.service
                assert_unit_result "$u" success
                if [[ $(systemctl show -P ConditionResult "$u") == no ]]; then
                        skipped+=("$u")
                        pass "$u skipped by its condition"
                elif [[ $u == css-create-lv.service ]] && (($(vm_boot) > 1)); then
                        assert_lv_step_idle docker-vg/docker-root-lv
                else
                        assert_unit_active "$u"
                fi
        done
        SKIPPED="${skipped[*]}"
}

# The storage picture: what must not change from one boot to the next.
snapshot() {
        echo "### lsblk"
        lsblk -r -n -o NAME,SIZE,TYPE,FSTYPE,UUID,PARTUUID,MOUNTPOINT | sort
        echo "### partition tables"
        sfdisk -d /dev/vda
        sfdisk -d /dev/vdb
        echo "### pvs"
        pvs --noheadings -o pv_name,pv_uuid,vg_name,pv_size,dev_size,pv_pe_count,pv_pe_alloc_count,pv_mda_count | sort
        echo "### vgs"
        vgs --noheadings -o vg_name,vg_uuid,vg_seqno,vg_size,vg_free,pv_count,lv_count,vg_extent_size | sort
        echo "### lvs"
        lvs -a --noheadings -o vg_name,lv_name,lv_uuid,lv_size,lv_attr,segtype,chunk_size,devices,lv_profile,lv_metadata_size | sort
        echo "### blkid"
        blkid -c /dev/null | sort
        echo "### output file"
        sha256sum /etc/sysconfig/docker-storage
        stat -c '%s bytes, mode %a, inode %i, mtime %Y.%y' /etc/sysconfig/docker-storage
        echo "### auto-extend profile"
        sha256sum /etc/lvm/profile/docker-vg--docker-pool-extend.profile
        stat -c 'mtime %y' /etc/lvm/profile/docker-vg--docker-pool-extend.profile
        echo "### the file written in boot 1"
        sha256sum "$PROOF" 2>&1
        stat -c 'inode %i, mtime %y' "$PROOF" 2>&1
}

# Exec-log lines of programs that may change something: all but lvm's read-only report and
# the activations of the pool and the LV by css-thinpool and css-create-lv when LVM has not
# activated them (that changes no metadata; the VG seqno in the snapshot would show it).
changes() {
        grep -vE '	lvm fullreport|^css-thinpool	lvchange -ay docker-vg/docker-pool$|^css-create-lv	lvchange -ay docker-vg/docker-root-lv$' \
                /run/css-exec.log 2>/dev/null || true
}

# Lines that LVM and mkfs.xfs print when they create or grow something, in the journal of
# the steps (their output goes there).
work_in_journal() {
        journalctl -b -o cat -u 'css-*' | grep -cE 'successfully (created|resized)|Logical volume "[^"]+" created|Size of logical volume .* changed|^meta-data=' || true
}

step "boot $(vm_boot)"
wait_for_setup
check_steps
assert_mounted /var/lib/docker xfs /dev/mapper/docker--vg-docker--root--lv
case $(vm_boot) in
1)
        step "every step did its work"
        assert_eq "$SKIPPED" "" "no step skipped at the first boot"
        assert_eq "$(pvs --noheadings -o vg_name /dev/vdb1 | tr -d ' ')" docker-vg "vdb1 in docker-vg"
        assert_eq "$(lvs --noheadings -o segtype docker-vg/docker-pool | tr -d ' ')" thin-pool "docker-vg/docker-pool"
        assert_eq "$(lvs --noheadings --units g --nosuffix -o lv_size atomicos/root | tr -d ' ')" 5.00 "root LV at ROOT_SIZE=5G"
        assert_match "$(cat /etc/sysconfig/docker-storage)" "dm.thinpooldev=/dev/mapper/docker--vg-docker--pool" "output file names the pool"
        for p in pvcreate vgcreate lvcreate lvextend mkfs.xfs; do
                assert_gt "$(changes | grep -c "	$p " || true)" 0 "boot 1 ran $p"
        done
        assert_gt "$(work_in_journal)" 4 "the work is visible in the steps' journal (pvcreate, vgcreate, pvresize, 2 lvcreate, lvextend, mkfs)"
        head -c 65536 /dev/urandom >"$PROOF"
        sync
        mkdir -p "$CSS_VM_STATE"
        cp "$PROOF" "$SAVED.proof"
        mkdir -p "$CSS_VM_STATE"
        snapshot >"$SAVED.boot1"
        cp "$SAVED.boot1" "$CSS_VM_ARTEFACTS/snapshot.txt"
        sed 's/^/    /' "$SAVED.boot1"
        vm_dump_state
        vm_request_reboot
        ;;
2)
        step "nothing changed since boot 1"
        assert_eq "${SKIPPED/css-create-lv.service/}" "" "no step skipped by a condition but css-create-lv (the generator left them out)"
        snapshot >"$CSS_VM_ARTEFACTS/snapshot.txt"
        if ! diff -u "$SAVED.boot1" "$CSS_VM_ARTEFACTS/snapshot.txt"; then
                fail "the storage changed in boot $(vm_boot)"
        fi
        pass "lsblk, partition tables, pvs/vgs/lvs (UUIDs, seqno), blkid, output file, profile and the file on the LV identical to boot 1"
        echo "    pool activations by css-thinpool: $(grep -c '^css-thinpool	lvchange -ay' /run/css-exec.log || true)"
        echo "    LV activations by css-create-lv: $(grep -c '^css-create-lv	lvchange -ay' /run/css-exec.log || true)"
        assert_eq "$(changes | wc -l)" 0 "no step ran anything but lvm fullreport (or the pool's activation)"
        assert_eq "$( (grep '	lvm fullreport' /run/css-exec.log 2>/dev/null || true) | wc -l)" 0 "no LVM report either"
        assert_eq "$(work_in_journal)" 0 "no create/extend/mkfs output in the steps' journal"
        vm_dump_state
        # What an activation cut short in the initrd leaves (create_lv.hpp): LVM does not
        # activate the LV at boot. The by-hand run refreshes the record, so boot 3 is
        # provisioned again.
        step "LVM's autoactivation off for the LV, record refreshed by a by-hand run"
        assert_ok lvchange --setautoactivation n docker-vg/docker-root-lv
        assert_ok container-storage-setup
        assert_ok systemctl daemon-reload
        assert_match "$(journalctl -b -o cat --since=-60s)" "already set up as configured" "the generator sees a provisioned system again"
        vm_request_reboot
        ;;
3)
        step "provisioned, the LV not activated by LVM: css-create-lv activates it"
        assert_eq "$(lvs --noheadings -o lv_autoactivation docker-vg/docker-root-lv | tr -d ' ')" "" "LVM's autoactivation is off for the LV"
        assert_eq "$(systemctl show -P ConditionResult css-create-lv.service)" yes "css-create-lv ran (no /dev/docker-vg/docker-root-lv at its start)"
        assert_lv_step_idle docker-vg/docker-root-lv
        assert_eq "$(grep -c '	lvm fullreport' /run/css-exec.log || true)" 0 "no LVM report (the record says the LV is there)"
        assert_eq "$(sha256sum <"$PROOF")" "$(sha256sum <"$SAVED.proof")" "the file written in boot 1 is intact"
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
