#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 01-lab-overlay2, guest side. Boot 1: the generator's units grew vda2 and the PV, created
# atomicos/docker-root-lv, made XFS with ftype=1 on it, mounted it on /var/lib/docker with
# pquota and told docker: /etc/sysconfig/docker-storage byte for byte where docker.service reads
# it (Fedora/Atomic's unit, staged on Debian 12), /etc/docker/daemon.json where docker runs as
# the distribution ships it (Debian 13); docker uses overlay2 on the LV.
# Boot 2: nothing changed (same LV, same filesystem, same file), and the generator, seeing from
# the record of boot 1 that the work is done, emitted no step but the mount: no helper ran.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

SAVED=$CSS_VM_STATE/01-lab
EXPECTED='DOCKER_STORAGE_OPTIONS="--storage-driver overlay2 "'
# The file the steps must write: the one this guest's docker.service reads.
if [[ -e /etc/systemd/system/docker.service.d/css-vm.conf ]]; then
        OUTPUT=/etc/sysconfig/docker-storage
else
        OUTPUT=/etc/docker/daemon.json
fi
STEPS=(css-growpart css-pvresize css-create-lv css-mkfs css-write-storage-config)

# The steps are pulled in by docker-storage-setup.service (multi-user.target wants it) but
# nothing orders this script after them: join the job and wait for it.
wait_for_setup() {
        step "docker-storage-setup.service"
        local rc=0
        systemctl start docker-storage-setup.service || rc=$?
        for u in "${STEPS[@]}" var-lib-docker.mount docker-storage-setup; do
                echo "--- journal of $u"
                journalctl -b -o cat --no-pager -u "$u" | sed 's/^/    /'
        done
        ((rc == 0)) || fail "docker-storage-setup.service failed ($rc)"
        pass "docker-storage-setup.service started"
}

# Seconds each step took, from systemd's own timestamps; and what each one executed.
report_steps() {
        step "timings and executed programs"
        local u start end
        for u in "${STEPS[@]}"; do
                start=$(systemctl show -P ExecMainStartTimestampMonotonic "$u.service")
                end=$(systemctl show -P ExecMainExitTimestampMonotonic "$u.service")
                if [[ $start == 0 || -z $start ]]; then
                        echo "    $u: did not run ($(systemctl show -P ConditionResult "$u.service" | sed 's/no/condition false/;s/yes/ran/'))"
                else
                        echo "    $u: $(((end - start) / 1000)) ms, $(grep -c "^$u	" /run/css-exec.log || true) execs ($(grep "^$u	" /run/css-exec.log | cut -f2 | awk '{print $1}' | sort | uniq -c | tr -s ' ' | paste -sd, -))"
                fi
        done
        cp /run/css-exec.log "$CSS_VM_ARTEFACTS/exec.log" 2>/dev/null || true
        sed 's/^/    exec: /' /run/css-exec.log 2>/dev/null || true
}

# LVM tools run by one step: lvm itself and its command names (lvcreate, vgcreate, pvresize, ...).
lvm_execs_of() { grep -cE "^$1	(lvm|lv[a-z]+|vg[a-z]+|pv[a-z]+) " /run/css-exec.log || true; }

check_storage() {
        step "storage as the lab shows it"
        if (($(vm_boot) == 1)); then
                assert_eq "$(systemctl show -P LoadState css-create-lv.service)" loaded "generator emitted css-create-lv"
        fi
        assert_ok lvs atomicos/docker-root-lv
        local dev=/dev/atomicos/docker-root-lv
        assert_eq "$(blkid -o value -s TYPE $dev)" xfs "filesystem on $dev"
        assert_match "$(xfs_info /var/lib/docker)" "ftype=1" "xfs ftype (overlay2 needs 1, #194)"
        assert_mounted /var/lib/docker xfs /dev/mapper/atomicos-docker--root--lv
        assert_match "$(findmnt -n -o OPTIONS /var/lib/docker)" "prjquota" "mounted with pquota"
        if [[ $OUTPUT == /etc/sysconfig/docker-storage ]]; then
                assert_eq "$(cat "$OUTPUT")" "$EXPECTED" "$OUTPUT"
                # Byte for byte: exactly one line, trailing space inside the quotes, one newline.
                assert_ok cmp <(printf '%s\n' "$EXPECTED") "$OUTPUT"
        else
                assert_eq "$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["storage-driver"])' "$OUTPUT")" \
                        overlay2 "storage-driver in $OUTPUT"
                assert_fails test -e /etc/sysconfig/docker-storage
        fi
        assert_eq "$(stat -c %a "$OUTPUT")" 644 "file mode"
}

case $(vm_boot) in
1)
        assert_file_contains /etc/sysconfig/docker-storage-setup "^STORAGE_DRIVER=overlay2$"
        wait_for_setup
        check_storage
        for u in "${STEPS[@]}"; do assert_unit_result "$u.service" success; done
        assert_match "$(journalctl -b -o cat -u css-create-lv)" 'Logical volume "docker-root-lv" created.' "lvm's own output in the journal"
        # growpart ran first: the LV took 40% of the space growpart added, not of the old free space.
        vda2_end=$(($(cat /sys/block/vda/vda2/start) + $(cat /sys/block/vda/vda2/size)))
        assert_gt "$vda2_end" $((616448 + 5 * 2097152)) "vda2 grown by css-growpart"
        report_steps
        for u in css-create-lv css-mkfs css-write-storage-config; do
                echo "    lvm execs of $u: $(lvm_execs_of "$u")"
        done
        assert_eq "$(lvm_execs_of css-create-lv)" 2 "css-create-lv: one report + one lvcreate"
        assert_eq "$(lvm_execs_of css-mkfs)" 0 "css-mkfs runs no lvm (the root's VG from its dm name)"
        assert_eq "$(lvm_execs_of css-pvresize)" 1 "css-pvresize: pvresize alone (css-growpart's note)"
        assert_eq "$(lvm_execs_of css-write-storage-config)" 0 "css-write-storage-config runs no lvm for overlay2"
        assert_eq "$(grep -c '^css-mkfs	mkfs.xfs -n ftype=1 /dev/atomicos/docker-root-lv$' /run/css-exec.log)" 1 "mkfs.xfs -n ftype=1 once"

        step "docker"
        assert_ok systemctl start docker.service
        assert_eq "$(docker info --format '{{.Driver}}')" overlay2 "docker's storage driver"
        assert_eq "$(docker info --format '{{.DockerRootDir}}')" /var/lib/docker "docker's root"
        assert_ok systemctl stop docker.service docker.socket

        mkdir -p "$SAVED"
        lvs --noheadings -o lv_uuid atomicos/docker-root-lv | tr -d ' ' >"$SAVED/lv-uuid"
        blkid -o value -s UUID /dev/atomicos/docker-root-lv >"$SAVED/fs-uuid"
        stat -c '%i %Y' "$OUTPUT" >"$SAVED/file-stat"
        echo proof >/var/lib/docker/css-proof
        vm_dump_state
        vm_request_reboot
        ;;
2)
        wait_for_setup
        check_storage
        step "nothing changed"
        assert_eq "$(lvs --noheadings -o lv_uuid atomicos/docker-root-lv | tr -d ' ')" "$(cat "$SAVED/lv-uuid")" "same LV"
        assert_eq "$(blkid -o value -s UUID /dev/atomicos/docker-root-lv)" "$(cat "$SAVED/fs-uuid")" "same filesystem"
        assert_eq "$(stat -c '%i %Y' "$OUTPUT")" "$(cat "$SAVED/file-stat")" "$OUTPUT not rewritten"
        assert_eq "$(cat /var/lib/docker/css-proof)" proof "data on the LV kept"
        report_steps
        step "provisioned: no step but the LV's activation (when LVM did not) and the mount"
        for u in "${STEPS[@]}"; do
                [[ $u != css-create-lv ]] || continue
                assert_eq "$(systemctl show -P LoadState "$u.service")" not-found "generator left out $u"
        done
        assert_lv_step_idle atomicos/docker-root-lv
        assert_unit_active var-lib-docker.mount
        assert_eq "$(grep -vE '^css-create-lv	(lvchange -ay |lvm fullreport)' /run/css-exec.log 2>/dev/null || true)" "" "no other program run by a step"
        assert_match "$(journalctl -b -o cat)" "Container storage is already set up as configured" "the generator says why"
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
