#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 00-harness-smoke, guest side. Boot 1: the lab's layout is there, LVM thin pools and
# XFS with project quota work on the extra disk; then reboot. Boot 2: the same VG and
# data are still there and the first-boot config was not seeded again.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

SECTOR=512
GIB=$((1024 * 1024 * 1024))

check_atomic_layout() {
        step "Atomic Host layout"
        assert_eq "$(findmnt -n -o SOURCE /)" /dev/mapper/atomicos-root "root device"
        assert_eq "$(findmnt -n -o FSTYPE /)" xfs "root filesystem"
        assert_match "$(xfs_info /)" "ftype=1" "root xfs ftype (overlay2 needs 1)"
        assert_eq "$(lvs --noheadings -o devices atomicos/root | tr -d ' ')" "/dev/vda2(0)" "root LV's PV"
        assert_eq "$(pvs --noheadings -o vg_name /dev/vda2 | tr -d ' ')" atomicos "VG on vda2"
        assert_eq "$(($(cat /sys/block/vda/vda1/size) * SECTOR / 1024 / 1024))" 300 "vda1 size in MiB"
        assert_eq "$(cat /sys/block/vda/vda2/start)" 616448 "vda2 start sector (as in the lab)"
        assert_mounted /boot ext4
        local disk_end pv_end
        disk_end=$(cat /sys/block/vda/size)
        pv_end=$(($(cat /sys/block/vda/vda2/start) + $(cat /sys/block/vda/vda2/size)))
        assert_gt $(((disk_end - pv_end) * SECTOR)) $((5 * GIB)) "free bytes after vda2 (growpart's work)"
        assert_eq "$(($(cat /sys/block/vdb/size) * SECTOR))" $((10 * GIB)) "extra disk vdb size"
        assert_eq "$(cat /sys/block/vdb/serial)" css-extra1 "vdb serial"
}

check_thin_pool_xfs() {
        step "thin pool + XFS (pquota) on vdb"
        assert_ok pvcreate --yes /dev/vdb
        assert_ok vgcreate smoke-vg /dev/vdb
        assert_ok lvcreate --yes --type thin-pool -L 2G -n pool smoke-vg
        assert_ok lvcreate --yes -V 4G --thinpool smoke-vg/pool -n thin
        assert_eq "$(lvs --noheadings -o segtype smoke-vg/pool | tr -d ' ')" thin-pool "pool segment type"
        assert_ok mkfs.xfs -q -n ftype=1 /dev/smoke-vg/thin
        mkdir -p /mnt/thin
        assert_ok mount -o pquota /dev/smoke-vg/thin /mnt/thin
        assert_match "$(findmnt -n -o OPTIONS /mnt/thin)" "prjquota" "mount options"
        echo "written in boot 1" >/mnt/thin/proof
        assert_ok umount /mnt/thin
}

check_after_reboot() {
        step "after the reboot"
        assert_eq "$(vgs --noheadings -o vg_name smoke-vg | tr -d ' ')" smoke-vg "VG seen again"
        assert_match "$(lvs --noheadings -o lv_attr smoke-vg/pool | tr -d ' ')" "^twi-a" "pool active"
        mkdir -p /mnt/thin
        assert_ok mount -o pquota /dev/smoke-vg/thin /mnt/thin
        assert_eq "$(cat /mnt/thin/proof)" "written in boot 1" "data on the thin LV"
        assert_ok umount /mnt/thin
        assert_file_contains /etc/sysconfig/docker-storage-setup "^# changed in boot 1$"
}

step "boot $(vm_boot)"
case $(vm_boot) in
1)
        assert_file_contains /etc/sysconfig/docker-storage-setup "css-vm smoke: seeded"
        check_atomic_layout
        check_thin_pool_xfs
        # The first-boot config must survive the reboot, not be seeded again.
        echo "# changed in boot 1" >>/etc/sysconfig/docker-storage-setup
        vm_dump_state
        vm_request_reboot
        ;;
2)
        check_after_reboot
        check_atomic_layout
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
