#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 04-root-size, guest side. Boot 1: css-extend-root grew atomicos/root by 1 GiB with
# `lvextend -r` (the XFS on / grew too) and recorded it. Boot 2: +1G is not applied again.
# Boot 3: ROOT_SIZE=6G is reached; a later run has nothing to do. Boot 4: ROOT_SIZE=50G cannot
# be reached: css-extend-root fails, yet the rest of the setup runs (the original ignored the
# failure), and the setup is not recorded as done, so the next boot tries again.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

GIB=$((1024 * 1024 * 1024))
SAVED=$CSS_VM_STATE/04-root
RECORD=/var/lib/container-storage-setup/.extend-root

root_lv_bytes() { lvs --noheadings --units b --nosuffix -o lv_size atomicos/root | tr -d ' '; }
root_fs_bytes() { df -B1 --output=size / | tail -n 1 | tr -d ' '; }

wait_for_setup() {
        step "docker-storage-setup.service"
        local rc=0 u
        systemctl start docker-storage-setup.service || rc=$?
        for u in css-growpart css-pvresize css-extend-root; do
                echo "--- journal of $u"
                journalctl -b -o cat --no-pager -u "$u" | sed 's/^/    /'
        done
        ((rc == 0)) || fail "docker-storage-setup.service failed ($rc)"
        assert_unit_result css-extend-root.service success
        local start end
        start=$(systemctl show -P ExecMainStartTimestampMonotonic css-extend-root.service)
        end=$(systemctl show -P ExecMainExitTimestampMonotonic css-extend-root.service)
        echo "    css-extend-root: $(((end - start) / 1000)) ms"
        sed 's/^/    exec: /' /run/css-exec.log
        cp /run/css-exec.log "$CSS_VM_ARTEFACTS/exec.log"
}

extend_execs() { grep -c "^css-extend-root	lvextend" /run/css-exec.log || true; }

case $(vm_boot) in
1)
        wait_for_setup
        # The image's root LV is 3.5 GiB; growpart and pvresize made room for it.
        assert_eq "$(root_lv_bytes)" $((3584 * 1024 * 1024 + GIB)) "root LV grown by 1 GiB"
        assert_eq "$(grep -c '^css-extend-root	lvextend -r -L +1G /dev/atomicos/root$' /run/css-exec.log)" 1 "lvextend -r -L +1G"
        assert_gt "$(root_fs_bytes)" $((4 * GIB)) "XFS on / grown with the LV (-r)"
        assert_file_contains "$RECORD" " $((3584 * 1024 * 1024 + GIB)) \+1G$"
        assert_eq "$(grep -c '^css-extend-root	lvm fullreport' /run/css-exec.log)" 1 "one LVM report"
        root_lv_bytes >"$SAVED.size"
        vm_dump_state
        vm_request_reboot
        ;;
2)
        wait_for_setup
        assert_eq "$(root_lv_bytes)" "$(cat "$SAVED.size")" "root LV not grown again"
        assert_eq "$(extend_execs)" 0 "no lvextend at the second boot"
        assert_match "$(journalctl -b -o cat -u css-extend-root)" "ROOT_SIZE=\+1G was already applied to atomicos/root, nothing to do." "the step says why"
        sed -i 's/^ROOT_SIZE=.*/ROOT_SIZE=6G/' /etc/sysconfig/docker-storage-setup
        vm_dump_state
        vm_request_reboot
        ;;
3)
        wait_for_setup
        assert_eq "$(root_lv_bytes)" $((6 * GIB)) "root LV at ROOT_SIZE=6G"
        assert_eq "$(grep -c '^css-extend-root	lvextend -r -L 6G /dev/atomicos/root$' /run/css-exec.log)" 1 "lvextend -r -L 6G"
        step "a second run has nothing to do"
        : >/run/css-exec.log
        helper=$(systemctl show -P ExecStart css-extend-root.service | sed -n 's/.*path=\([^ ;]*\).*/\1/p')
        assert_ok env CSS_EXEC_LOG=/run/css-exec.log "$helper"
        assert_eq "$(extend_execs)" 0 "no lvextend when the size is reached"
        sed -i 's/^ROOT_SIZE=.*/ROOT_SIZE=50G/; s/^STORAGE_DRIVER=.*/STORAGE_DRIVER=overlay2/' /etc/sysconfig/docker-storage-setup
        vm_dump_state
        vm_request_reboot
        ;;
4)
        step "ROOT_SIZE=50G does not fit: the step fails, nothing else does"
        systemctl start docker-storage-setup.service || true
        journalctl -b -o cat --no-pager -u css-extend-root | sed 's/^/    /'
        assert_unit_result css-extend-root.service exit-code
        assert_unit_result css-write-storage-config.service success
        assert_unit_active docker-storage-setup.service
        assert_eq "$(root_lv_bytes)" $((6 * GIB)) "root LV unchanged"
        assert_match "$(cat /etc/sysconfig/docker-storage)" "--storage-driver overlay2" "output file written"
        assert_fails test -e /var/lib/container-storage-setup/.provisioned
        assert_match "$(journalctl -b -o cat -u css-write-storage-config)" "ROOT_SIZE was not applied at this boot" "the writer says why it records nothing"
        step "the next boot runs css-extend-root again"
        assert_ok systemctl daemon-reload
        assert_ok test -e /run/systemd/generator/css-extend-root.service
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
