#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 42-lvm-devices-file, guest side. Boot 1: two PVs that an lvm devices file then hides, and a
# configuration that lists their disks with WIPE_SIGNATURES=true. Boot 2: both disks refused,
# untouched, docker not started. See scenario.conf.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

CONFIG=/etc/sysconfig/docker-storage-setup
HIDDEN='has an LVM physical volume label that lvm does not report (an lvm devices file, a filter or a foreign system ID hides it); not wiping it, even with WIPE_SIGNATURES=true'
declare -A MESSAGE=(
        [vdb]="Partition /dev/vdb1 of device /dev/vdb $HIDDEN"
        [vdc]="Device /dev/vdc $HIDDEN"
)

unit_of() { echo "css-prepare-disk@dev-$1.service"; }

status_of() { systemctl status --no-pager -l -n 20 "$1" 2>&1 || true; }

# The PVs every lvm command sees by default, one name a line.
reported_pvs() { pvs --noheadings -o pv_name | tr -d ' '; }

make_hidden_pvs() {
        step "two PVs: vdb1 in our own layout, the whole of vdc"
        printf 'label: dos\nstart=2048, type=8e\n' | sfdisk -q /dev/vdb
        udevadm settle
        assert_block_device /dev/vdb1
        assert_ok pvcreate -y /dev/vdb1
        assert_ok pvcreate -y /dev/vdc
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdb1)" LVM2_member "vdb1 signature"
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdc)" LVM2_member "vdc signature"

        step "an lvm devices file with the root VG's PV only, as RHEL 9 has"
        sed -i 's/^\([[:space:]]*\)# use_devicesfile = 0$/\1use_devicesfile = 1/' /etc/lvm/lvm.conf
        assert_eq "$(lvmconfig devices/use_devicesfile)" use_devicesfile=1 "lvm.conf"
        # Debian installs no vgimportdevices link; lvm runs it by name.
        assert_ok lvm vgimportdevices atomicos
        assert_file_contains /etc/lvm/devices/system.devices 'DEVNAME=/dev/vda2'
        assert_eq "$(reported_pvs)" /dev/vda2 "the PVs lvm reports"
        assert_eq "$(pvs --devicesfile '' --noheadings -o pv_name /dev/vdb1 /dev/vdc | tr -d ' ' | tr '\n' ' ')" \
                "/dev/vdb1 /dev/vdc " "the PVs without the devices file"
}

configure_devs() {
        cat >$CONFIG <<'CONF'
DEVS="/dev/vdb /dev/vdc"
VG=docker-vg
STORAGE_DRIVER=overlay2
CONTAINER_ROOT_LV_NAME=docker-root-lv
CONTAINER_ROOT_LV_MOUNT_PATH=/var/lib/docker
WIPE_SIGNATURES=true
EPHEMERAL_STORAGE=false
CONF
        systemctl enable docker.service
}

refused_at_boot() {
        local d u
        for d in vdb vdc; do
                u=$(unit_of "$d")
                step "/dev/$d: refused"
                status_of "$u" | sed 's/^/    /'
                assert_eq "$(systemctl show -P ActiveState "$u")" failed "$u state"
                assert_unit_result "$u" exit-code
                assert_contains "$(status_of "$u")" "${MESSAGE[$d]}" "systemctl status $u"
                assert_eq "$(journalctl -b -o cat -u "$u" | grep -c 'Wipe Signatures is set to true' || true)" 0 "$d: no wipe announced"
        done
}

nothing_ran() {
        step "nothing after the disks ran; docker did not start"
        local u
        for u in css-vg.service css-create-lv.service css-mkfs.service css-write-storage-config.service \
                docker-storage-setup.service docker.service; do
                assert_eq "$(systemctl show -P ActiveEnterTimestampMonotonic $u)" 0 "$u never active in this boot"
        done
        assert_fails pidof dockerd
        assert_fails vgs --devicesfile '' docker-vg
        assert_fails test -e /etc/sysconfig/docker-storage
}

pvs_intact() {
        step "both PV labels are still there, still hidden"
        assert_eq "$(lsblk -n -l -o TYPE /dev/vdb | grep -cx part)" 1 "vdb: one partition"
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdb1)" LVM2_member "vdb1 signature"
        assert_eq "$(blkid -p -o value -s TYPE /dev/vdc)" LVM2_member "vdc signature"
        assert_eq "$(pvs --devicesfile '' --noheadings -o vg_name /dev/vdb1 /dev/vdc | tr -d ' \n')" "" "both PVs in no VG"
        assert_eq "$(reported_pvs)" /dev/vda2 "the PVs lvm reports"
}

case $(vm_boot) in
1)
        make_hidden_pvs
        configure_devs
        vm_dump_state
        vm_request_reboot
        ;;
2)
        refused_at_boot
        nothing_ran
        pvs_intact
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
