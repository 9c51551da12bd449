#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Power-cut tests (tests/vm/powercut/run.sh), guest side. Runs in every boot that gets as far
# as the harness' runner: the boot after a cut, a reference boot, or a cut boot whose point
# was never reached (the host tells those apart from the serial log). Waits for the unit
# graph, then writes the canonical end state (end-state.txt) that the host compares with an
# uninterrupted run's. Fields that differ between two correct runs (UUIDs, timestamps, VG
# seqno, random GPT ids) are left out on purpose; everything else must be identical.
# If the setup failed, asks for one more boot (at most once), to tell "converges later" from
# "never converges"; the host counts the boots.
# shellcheck source-path=SCRIPTDIR source=../guest/lib.sh
source /usr/lib/css-vm/lib.sh

RETRIED=$CSS_VM_STATE/powercut-retried
# The boot the cut happens in (run.sh's make_case): the boots before it set up, uninterrupted.
CUT_BOOT=$(cat /usr/lib/css-vm/scenario/powercut-boot 2>/dev/null || echo 1)

# Every css-* unit's journal of this boot, for the notes and the log.
show_steps() {
        journalctl -b -o cat --no-pager -u 'css-*' -u docker-storage-setup.service 2>&1 | sed 's/^/    /'
}

end_state() {
        echo "### docker-storage-setup.service"
        systemctl show -P ActiveState docker-storage-setup.service
        echo "### failed units"
        systemctl list-units --failed --no-legend --plain | awk '{print $1}' | sort
        echo "### lsblk (bytes)"
        lsblk -b -r -n -o NAME,SIZE,TYPE,FSTYPE | sort
        echo "### partition tables (ids left out)"
        for d in /sys/block/vd*; do
                sfdisk -d "/dev/${d##*/}" 2>/dev/null | grep -vE '^(label-id|device):' |
                        sed -E 's/, *uuid=[0-9A-Fa-f-]+//' || true
        done
        echo "### pvs"
        pvs --noheadings --units b --nosuffix -o pv_name,vg_name,pv_size,dev_size,pe_start,pv_pe_count,pv_pe_alloc_count | awk '{$1=$1; print}' | sort
        echo "### vgs"
        vgs --noheadings --units b --nosuffix -o vg_name,vg_size,vg_free,pv_count,lv_count,vg_extent_size,vg_profile | awk '{$1=$1; print}' | sort
        echo "### lvs"
        lvs -a --noheadings --units b --nosuffix -o vg_name,lv_name,lv_size,lv_attr,segtype,chunk_size,lv_metadata_size,lv_profile,devices,lv_tags | awk '{$1=$1; print}' | sort
        echo "### blkid TYPE"
        blkid -c /dev/null -o export | awk -F= '/^DEVNAME=/{d=$2} /^TYPE=/{print d, $2}' | sort
        echo "### findmnt /var/lib/docker"
        findmnt -n -o SOURCE,FSTYPE,OPTIONS,SIZE --bytes --mountpoint /var/lib/docker || echo "(not mounted)"
        echo "### /etc/sysconfig/docker-storage"
        sha256sum /etc/sysconfig/docker-storage 2>&1 | awk '{print $1}'
        stat -c 'mode %a' /etc/sysconfig/docker-storage 2>&1
        echo "### DEVS identity record"
        cat /var/lib/container-storage-setup/.devs-identity 2>&1 || true
        echo "### lvm profiles"
        for f in /etc/lvm/profile/*.profile; do
                [[ -e $f ]] && echo "${f##*/} $(sha256sum <"$f" | cut -c1-64)"
        done
        echo "### files on the container storage"
        # A fresh XFS is empty; anything here came from a half-done earlier attempt.
        if mountpoint -q /var/lib/docker; then find /var/lib/docker -mindepth 1 | sort; fi
}

# Debris a cut may leave that is not part of the state: temporary files of an atomic write
# (".NAME.XXXXXX"). Reported in the table's notes, not compared.
leftovers() {
        { find /etc/sysconfig /etc/lvm/profile /etc/containers -maxdepth 1 -name '.*.??????' 2>/dev/null || true; } | sort
}

# The journal of the step that the cut interrupted (its program is in the case's directory),
# for the table's notes: what the step found and did after the cut.
step_journal() {
        local program
        program=$(cat /usr/lib/css-vm/scenario/powercut-step 2>/dev/null) || return 0
        [[ -n $program ]] || return 0
        journalctl -b -o cat --no-pager -u "$program.service" -u "$program@*.service" 2>&1
}

step "power-cut check, boot $(vm_boot): waiting for docker-storage-setup.service"
rc=0
systemctl start docker-storage-setup.service || rc=$?
if (($(vm_boot) < CUT_BOOT)); then
        echo "boot $(vm_boot) of $CUT_BOOT: the setup before the cut's boot (docker-storage-setup.service: $rc)"
        vm_dump_state
        vm_request_reboot
        exit 0
fi
show_steps
end_state >"$CSS_VM_ARTEFACTS/end-state.txt" 2>&1
leftovers >"$CSS_VM_ARTEFACTS/leftovers.txt"
step_journal >"$CSS_VM_ARTEFACTS/step-journal.txt"
sed 's/^/    /' "$CSS_VM_ARTEFACTS/end-state.txt"
vm_dump_state
if ((rc != 0)); then
        echo "docker-storage-setup.service failed ($rc)"
        if [[ ! -e $RETRIED ]]; then
                mkdir -p "$CSS_VM_STATE"
                : >"$RETRIED"
                sync
                vm_request_reboot
        fi
fi
exit 0
