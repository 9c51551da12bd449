#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Guest script of the builder VM (stage 2): turns the blank target disk /dev/vdb into
# the Atomic Host layout of the lab (lsblk there: vda1 300M /boot, vda2 a PV of VG
# atomicos with LV root for /, free space after vda2 so that growpart has work), then
# copies the root filesystem from the tar on /dev/vdc into it.
# Needs device-mapper, which the host kernel lacks: that is why this runs in a VM.
# shellcheck source-path=SCRIPTDIR source=../guest/lib.sh
source /usr/lib/css-vm/lib.sh

TARGET=/dev/vdb
TARBALL=/dev/vdc
VG=atomicos
# The lab's vda2 starts at sector 616448: 2048 + 300 MiB of vda1. Both msdos, as Atomic.
BOOT_SECTORS=$((300 * 2048))
PV_SECTORS=$((5 * 1024 * 2048))
ROOT_LV_SIZE=3584M

partition() {
        step "partitioning $TARGET"
        sfdisk --quiet --label dos "$TARGET" <<PARTS
start=2048, size=$BOOT_SECTORS, type=83, bootable
start=$((2048 + BOOT_SECTORS)), size=$PV_SECTORS, type=8e
PARTS
        udevadm settle
        assert_block_device "${TARGET}1"
        assert_block_device "${TARGET}2"
}

make_lvm() {
        step "LVM: VG $VG, LV root"
        assert_ok pvcreate --yes "${TARGET}2"
        assert_ok vgcreate "$VG" "${TARGET}2"
        assert_ok lvcreate --yes --wipesignatures y -n root -L "$ROOT_LV_SIZE" "$VG"
}

# xfs with ftype=1 (Atomic's root filesystem), so docker's overlay2 also works when
# /var/lib/docker stays on root.
make_filesystems() {
        step "filesystems"
        assert_ok mkfs.ext4 -q -L boot "${TARGET}1"
        assert_ok mkfs.xfs -q -L root -n ftype=1 "/dev/$VG/root"
}

copy_root() {
        step "copying the root filesystem"
        mkdir -p /mnt/target
        mount "/dev/$VG/root" /mnt/target
        tar --numeric-owner --xattrs --xattrs-include='*' -C /mnt/target -xf "$TARBALL"
        mkdir -p /mnt/boot
        mount "${TARGET}1" /mnt/boot
        cp -a /mnt/target/boot/. /mnt/boot/
        umount /mnt/boot
        cat >/mnt/target/etc/fstab <<'FSTAB'
# Atomic Host layout made by the VM harness (tests/vm/image/layout-guest.sh).
/dev/mapper/atomicos-root  /      xfs   defaults          0 0
LABEL=boot                 /boot  ext4  defaults,nofail   0 2
FSTAB
        # The harness' state (boot counter, first-boot seed) must start empty.
        rm -rf /mnt/target/var/lib/css-vm
        assert_ok test -x /mnt/target/usr/lib/systemd/systemd
        df -h /mnt/target
        umount /mnt/target
}

finish() {
        vgchange -an "$VG"
        sync
        lsblk "$TARGET"
}

partition
make_lvm
make_filesystems
copy_root
vm_dump_state
finish
