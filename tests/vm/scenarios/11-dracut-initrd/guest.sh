#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 11-dracut-initrd, guest side. Boot 1 (initramfs-tools initrd, generator off): build a
# host-only initramfs with dracut, check that the module is in it with the generator, the two
# helpers and the settings, and hand it to the host. Boot 2 (that initramfs): vda2 and the PV
# were grown by css-growpart and css-pvresize before "Switching root."; after it the real
# root kept their state (active) and did not run them again; run by hand they find nothing to
# do; pvresize ran once in the boot; css-write-storage-config ran after switch-root.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

IMG=/var/tmp/initrd-dracut.img
GIB=$((1024 * 1024 * 1024))
VDA2_SECTORS=$((5 * 2097152)) # the image's vda2: 5 GiB (tests/vm/image/layout-guest.sh)
SETTINGS=/etc/sysconfig/docker-storage-setup

vda2_sectors() { cat /sys/block/vda/vda2/size; }
pv_bytes() { pvs --noheadings --units b --nosuffix -o pv_size /dev/vda2 | tr -d ' '; }

# first_mono ERE [journalctl options]: microseconds since boot of this boot's first journal
# line matching ERE, or nothing. One clock for the initrd and the real root (CLOCK_MONOTONIC).
first_mono() {
        local regex=$1
        shift
        journalctl -b -o short-monotonic --no-pager "$@" |
                RE=$regex awk '$0 ~ ENVIRON["RE"] {
                        t = $0; sub(/^\[ */, "", t); sub(/\].*/, "", t); split(t, p, ".")
                        printf "%d\n", p[1] * 1000000 + p[2]; exit }'
}

# assert_before A B what: two monotonic timestamps, both found, A earlier.
assert_before() {
        [[ -n $1 && -n $2 ]] || fail "$3: a journal line is missing (times '$1' and '$2')"
        (($1 < $2)) || fail "$3: at $1 us, not before $2 us"
        pass "$3 ($1 us < $2 us)"
}

build_initramfs() {
        step "dracut --hostonly for $(uname -r)"
        local start end size
        start=$(date +%s%N)
        # gzip -1: dracut's default gzip -9 costs tens of seconds under TCG for a few MB less.
        vm_record dracut dracut --force --hostonly --compress "gzip -1" "$IMG" "$(uname -r)" || fail "dracut failed"
        end=$(date +%s%N)
        size=$(stat -c %s "$IMG")
        echo "MEASURE dracut build: $(((end - start) / 1000000)) ms, initramfs $size bytes"

        step "what the initramfs holds"
        local listing modules
        listing=$(lsinitrd "$IMG")
        printf '%s\n' "$listing" >"$CSS_VM_ARTEFACTS/lsinitrd.txt"
        # check() put the module in without --add: the settings ask for GROWPART.
        modules=$(lsinitrd -m "$IMG")
        local m
        for m in container-storage-setup lvm systemd-initrd; do
                grep -qx "$m" <<<"$modules" || fail "dracut module $m is not in the image"
                pass "dracut module $m is in the image"
        done
        local f
        for f in '(usr/)?lib/systemd/system-generators/container-storage-setup-generator' \
                usr/libexec/container-storage-setup/css-growpart \
                usr/libexec/container-storage-setup/css-pvresize \
                usr/share/container-storage-setup/container-storage-setup \
                etc/sysconfig/docker-storage-setup \
                '(usr/)?s?bin/lvm'; do
                grep -Eq " $f\$" <<<"$listing" || fail "the initramfs has no $f"
                pass "the initramfs has $f"
        done
        grep -Eq ' usr/libexec/container-storage-setup/css-(prepare-disk|vg|thinpool|mkfs)$' <<<"$listing" &&
                fail "the initramfs holds steps that belong after switch-root"
        pass "only the root-growing helpers"
        assert_ok cmp <(lsinitrd -f "${SETTINGS#/}" "$IMG") "$SETTINGS"
        cp "$IMG" "$CSS_VM_ARTEFACTS/initrd-dracut.img"
}

# assert_ran_in_initrd_only UNIT SWITCH_US: started once in this boot, before switch-root, and
# still active with success on the real root.
assert_ran_in_initrd_only() {
        local u=$1 started
        assert_unit_result "$u.service" success
        assert_unit_active "$u.service"
        started=$(systemctl show -P ExecMainStartTimestampMonotonic "$u.service")
        assert_before "$started" "$2" "$u.service's last start: in the initrd"
        assert_eq "$(journalctl -b -o cat --no-pager -u "$u" | grep -c "^Starting $u.service")" 1 "starts of $u.service in this boot"
}

# The real root's steps: pulled in by docker-storage-setup.service; join that job.
wait_for_setup() {
        step "docker-storage-setup.service after switch-root"
        local rc=0 u
        systemctl start docker-storage-setup.service || rc=$?
        for u in css-growpart css-pvresize css-write-storage-config; do
                echo "--- journal of $u (whole boot, initrd included)"
                journalctl -b -o short-monotonic --no-pager -u "$u" | sed 's/^/    /'
        done
        ((rc == 0)) || fail "docker-storage-setup.service failed ($rc)"
        pass "docker-storage-setup.service started"
}

case $(vm_boot) in
1)
        step "boot 1: initramfs-tools, the generator off"
        assert_match "$(cat /proc/cmdline)" "(^| )container_storage_setup=0( |$)" "kernel command line"
        assert_eq "$(systemctl show -P LoadState css-growpart.service)" not-found "no css-growpart.service"
        assert_eq "$(vda2_sectors)" "$VDA2_SECTORS" "vda2 sectors before"
        build_initramfs
        vm_dump_state
        vm_request_reboot
        ;;
2)
        step "boot 2: dracut's initramfs"
        switch=$(first_mono 'systemd\[1\]: Switching root\.')
        [[ -n $switch ]] || fail "no 'Switching root.' in the journal: this boot had no systemd initrd"
        pass "switch-root at $switch us"
        assert_gt "$(vda2_sectors)" "$VDA2_SECTORS" "vda2 sectors"
        assert_gt "$(pv_bytes)" $((5 * GIB)) "PV on vda2, bytes"
        wait_for_setup

        step "grown in the initrd, before switch-root"
        assert_before "$(first_mono '^\[.*\] .*css-growpart\[[0-9]+\]: CHANGED: partition=2 ' -u css-growpart)" "$switch" \
                "css-growpart grew partition 2"
        assert_before "$(first_mono 'Physical volume "/dev/vda2" changed' -u css-pvresize)" "$switch" \
                "css-pvresize resized /dev/vda2"

        step "after switch-root: not run again"
        # initrd-switch-root.target wants initrd-root-fs.target, so isolating it keeps the two
        # steps, and systemd carries their state over switch-root: active, not started again.
        assert_ran_in_initrd_only css-growpart "$switch"
        assert_ran_in_initrd_only css-pvresize "$switch"
        sed 's/^/    exec: /' /run/css-exec.log
        cp /run/css-exec.log "$CSS_VM_ARTEFACTS/exec.log"
        assert_eq "$(grep -c '^css-pvresize	pvresize ' /run/css-exec.log || true)" 1 "pvresize runs in this boot (initrd and real root)"
        assert_eq "$(grep -c '^css-growpart	' /run/css-exec.log || true)" 0 "programs css-growpart runs (libfdisk, none)"
        # Run by hand on the real root, the helpers find nothing left to do.
        assert_match "$(/usr/libexec/container-storage-setup/css-growpart 2>&1)" "NOCHANGE: partition 2 " "css-growpart by hand"
        assert_match "$(/usr/libexec/container-storage-setup/css-pvresize 2>&1)" "already uses all of /dev/vda2" "css-pvresize by hand"
        assert_eq "$(grep -c '	pvresize ' /run/css-exec.log || true)" 1 "pvresize runs after the helpers by hand"

        step "the rest after switch-root, as usual"
        assert_before "$switch" "$(first_mono . -u css-write-storage-config)" \
                "css-write-storage-config's first journal line: on the real root"
        assert_eq "$(cat /etc/sysconfig/docker-storage)" 'DOCKER_STORAGE_OPTIONS="--storage-driver overlay2 "' \
                "/etc/sysconfig/docker-storage"
        echo "MEASURE initrd: switch-root at $switch us"
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
