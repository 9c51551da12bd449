#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 10-deb-package, guest side. Nothing of the project is in the guest but the .deb.
# Boot 1: dpkg -i; the package's files are where the project installs them; the admin writes
# the lab's config over the shipped stub (a conffile); daemon-reload runs the generator, which
# only loads units. Boot 2: the packaged generator and helpers set up the lab's storage (as 01);
# dpkg -r keeps the admin's config, dpkg --purge removes it; neither touches the LV, the mount
# or /etc/sysconfig/docker-storage; daemon-reload then drops the generated units, not the mount.
# Then the package again, and the lab's exercise with it (lab-exercise.sh; scenario 20 before).
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

PKG=container-storage-setup
DEB=/usr/lib/css-vm/packages/$PKG.deb
SAVED=$CSS_VM_STATE/10-deb
EXPECTED='DOCKER_STORAGE_OPTIONS="--storage-driver overlay2 "'
# Merged /usr: the package ships the generator under /lib (Debian 12's systemd.pc says so).
GENERATOR=/lib/systemd/system-generators/container-storage-setup-generator
HELPERS=/usr/libexec/container-storage-setup

# "ii " installed, "rc " removed with its conffiles left, absent once purged (dpkg may keep a
# "pn" entry: not installed, nothing left).
pkg_status() {
        local s
        s=$(dpkg-query -W -f='${db:Status-Abbrev}' "$PKG" 2>/dev/null) || s=absent
        [[ $s == pn* || $s == un* ]] && s=absent
        echo "$s"
}

# Storage exactly as 01 checks it, and the same LV, filesystem and file as after boot 2's setup.
check_storage_kept() {
        assert_ok lvs atomicos/docker-root-lv
        assert_eq "$(lvs --noheadings -o lv_uuid atomicos/docker-root-lv | tr -d ' ')" "$(cat "$SAVED/lv-uuid")" "same LV"
        assert_eq "$(blkid -o value -s UUID /dev/atomicos/docker-root-lv)" "$(cat "$SAVED/fs-uuid")" "same filesystem"
        assert_ok cmp <(printf '%s\n' "$EXPECTED") /etc/sysconfig/docker-storage
        assert_eq "$(stat -c '%i %Y' /etc/sysconfig/docker-storage)" "$(cat "$SAVED/file-stat")" "/etc/sysconfig/docker-storage not rewritten"
}

case $(vm_boot) in
1)
        step "before the package"
        assert_eq "$(pkg_status)" absent "$PKG not installed"
        [[ ! -e $GENERATOR && ! -e /usr/bin/container-storage-setup ]] || fail "project files in the guest before dpkg -i"
        pass "no generator, no CLI"
        assert_eq "$(systemctl show -P LoadState docker-storage-setup.service)" not-found "docker-storage-setup.service"

        step "dpkg -i"
        assert_ok dpkg -i "$DEB"
        assert_eq "$(pkg_status)" "ii " "dpkg status"
        for f in "$GENERATOR" /usr/bin/container-storage-setup "$HELPERS/css-create-lv" "$HELPERS/css-mkfs" \
                "$HELPERS/css-write-storage-config" /usr/share/container-storage-setup/container-storage-setup; do
                [[ -x $f || ( -f $f && $f == /usr/share/* ) ]] || fail "$f missing after dpkg -i"
                assert_eq "$(dpkg -S "$f" | cut -d: -f1)" "$PKG" "owner of $f"
        done
        assert_eq "$(readlink /usr/bin/docker-storage-setup)" container-storage-setup "/usr/bin/docker-storage-setup"
        assert_match "$(container-storage-setup --version)" "^[0-9]" "container-storage-setup --version"
        assert_match "$(dpkg-query -W -f='${Conffiles}' "$PKG" | tr '\n' ' ')" "^ */etc/sysconfig/docker-storage-setup [0-9a-f]{32} *$" "conffiles"
        assert_file_contains /etc/sysconfig/docker-storage-setup "^STORAGE_DRIVER=overlay2$"
        assert_ok test -f /usr/share/man/man8/container-storage-setup.8.gz

        step "the admin's config, then daemon-reload: units loaded, nothing started"
        install -m 0644 /usr/lib/css-vm/scenario/lab.conf /etc/sysconfig/docker-storage-setup
        assert_ok systemctl daemon-reload
        assert_eq "$(systemctl show -P LoadState css-create-lv.service)" loaded "generator ran: css-create-lv"
        assert_eq "$(systemctl show -P ActiveState css-create-lv.service)" inactive "css-create-lv not started"
        assert_fails lvs atomicos/docker-root-lv
        [[ ! -e /etc/sysconfig/docker-storage ]] || fail "/etc/sysconfig/docker-storage written before boot 2"
        pass "no output file yet"
        vm_request_reboot
        ;;
2)
        step "the packaged generator set up the lab's storage at boot"
        rc=0
        systemctl start docker-storage-setup.service || rc=$?
        journalctl -b -o cat --no-pager -u 'css-*' -u docker-storage-setup | sed 's/^/    /'
        ((rc == 0)) || fail "docker-storage-setup.service failed ($rc)"
        pass "docker-storage-setup.service started"
        for u in css-growpart css-pvresize css-create-lv css-mkfs css-write-storage-config; do
                assert_unit_result "$u.service" success
                exe=$(systemctl show -P ExecStart "$u.service" | sed -n 's/.*path=\([^ ;]*\).*/\1/p')
                assert_eq "$exe" "$HELPERS/$u" "$u runs"
                assert_eq "$(dpkg -S "$exe" | cut -d: -f1)" "$PKG" "owner of $exe"
        done
        assert_eq "$(blkid -o value -s TYPE /dev/atomicos/docker-root-lv)" xfs "filesystem"
        assert_match "$(xfs_info /var/lib/docker)" "ftype=1" "xfs ftype"
        assert_mounted /var/lib/docker xfs /dev/mapper/atomicos-docker--root--lv
        assert_match "$(findmnt -n -o OPTIONS /var/lib/docker)" "prjquota" "mounted with pquota"
        # Byte for byte, as the original wrote it.
        assert_ok cmp <(printf '%s\n' "$EXPECTED") /etc/sysconfig/docker-storage
        assert_eq "$(stat -c %a /etc/sysconfig/docker-storage)" 644 "file mode"
        mkdir -p "$SAVED"
        lvs --noheadings -o lv_uuid atomicos/docker-root-lv | tr -d ' ' >"$SAVED/lv-uuid"
        blkid -o value -s UUID /dev/atomicos/docker-root-lv >"$SAVED/fs-uuid"
        stat -c '%i %Y' /etc/sysconfig/docker-storage >"$SAVED/file-stat"
        echo proof >/var/lib/docker/css-proof
        vm_dump_state

        step "dpkg -r: the programs go, the admin's config and the storage stay"
        assert_ok dpkg -r "$PKG"
        assert_eq "$(pkg_status)" "rc " "dpkg status"
        for f in "$GENERATOR" /usr/bin/container-storage-setup /usr/bin/docker-storage-setup "$HELPERS"; do
                [[ ! -e $f && ! -L $f ]] || fail "$f still there after dpkg -r"
        done
        pass "generator, CLI and helpers removed"
        assert_ok cmp /usr/lib/css-vm/scenario/lab.conf /etc/sysconfig/docker-storage-setup
        check_storage_kept
        assert_mounted /var/lib/docker xfs /dev/mapper/atomicos-docker--root--lv
        assert_eq "$(cat /var/lib/docker/css-proof)" proof "data on the LV"

        step "dpkg --purge: the config goes, the storage and the output file stay"
        assert_ok dpkg --purge "$PKG"
        assert_eq "$(pkg_status)" absent "dpkg status"
        [[ ! -e /etc/sysconfig/docker-storage-setup ]] || fail "/etc/sysconfig/docker-storage-setup still there after purge"
        pass "/etc/sysconfig/docker-storage-setup removed"
        check_storage_kept
        assert_mounted /var/lib/docker xfs /dev/mapper/atomicos-docker--root--lv
        # Without the generator, daemon-reload drops its units; the mount stays.
        assert_ok systemctl daemon-reload
        assert_eq "$(systemctl show -P LoadState css-create-lv.service)" not-found "css-create-lv after daemon-reload"
        assert_mounted /var/lib/docker xfs /dev/mapper/atomicos-docker--root--lv
        assert_eq "$(cat /var/lib/docker/css-proof)" proof "data on the LV"
        [[ ! -e /run/systemd/generator/css-create-lv.service ]] || fail "generated units left after daemon-reload"
        pass "no generated units left"

        step "dpkg -i again and the admin's config back: the lab's exercise with the packaged tool"
        assert_ok dpkg -i "$DEB"
        install -m 0644 /usr/lib/css-vm/scenario/lab.conf /etc/sysconfig/docker-storage-setup
        assert_ok systemctl daemon-reload
        assert_ok systemctl start docker-storage-setup.service
        # shellcheck source=lab-exercise.sh
        source /usr/lib/css-vm/scenario/lab-exercise.sh
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
