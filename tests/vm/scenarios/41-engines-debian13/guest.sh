#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 41-engines-debian13, guest side (see scenario.conf).
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh
. /etc/os-release

settle() { vm_start_setup 'css-*' docker-storage-setup '*.mount'; }

DEVS_PVS="/dev/vdb1 /dev/vdc1 /dev/vdd1"

# Issue 18: the LV is striped across the three DEVS disks, and the lvcreate named them.
assert_striped() {
        local lv=docker-vg/$1
        assert_eq "$(lvs --noheadings -o stripes "$lv" | tr -d ' ')" 3 "$lv: lvs -o stripes"
        assert_eq "$(lvs --noheadings -o devices "$lv" | tr -d ' ' | sed 's/([0-9]*)//g')" /dev/vdb1,/dev/vdc1,/dev/vdd1 \
                "$lv: one stripe on each DEVS disk"
        assert_eq "$(grep -c "^css-create-lv	lvcreate .*--stripes 3 .*-n $1 docker-vg $DEVS_PVS\$" /run/css-exec.log || true)" 1 \
                "css-create-lv's lvcreate: --stripes 3 and the DEVS PVs"
}

# Sequential direct writes (dd oflag=direct, 1 MiB blocks) to a new striped LV and a new linear
# LV of the same size on one of the same disks; removed afterwards. The disks are sparse files
# on one host disk under qemu: the figures say what the guest sees, not what hardware would.
measure_striped_write() {
        local mib=384 kind args start secs
        for kind in striped linear; do
                if [[ $kind == striped ]]; then
                        args=(--stripes 3 --stripesize 64K docker-vg $DEVS_PVS)
                else
                        args=(docker-vg /dev/vdb1)
                fi
                assert_ok lvcreate -q -y -L ${mib}M -n bench-$kind "${args[@]}"
                start=$EPOCHREALTIME
                assert_ok dd if=/dev/zero of=/dev/docker-vg/bench-$kind bs=1M count=$mib oflag=direct status=none
                secs=$(python3 -c "print(round($EPOCHREALTIME - $start, 2))")
                echo "MEASURE dd oflag=direct bs=1M $mib MiB to a $kind LV (lvs stripes $(lvs --noheadings -o stripes docker-vg/bench-$kind | tr -d ' ')): $secs s, $(python3 -c "print(round($mib / max($secs, 0.01), 1))") MiB/s"
                assert_ok lvremove -q -y docker-vg/bench-$kind
        done
}

case $(vm_boot) in
1)
        step "devicemapper on $PRETTY_NAME: $(dockerd --version), $(podman --version)"
        assert_fails settle
        status=$(systemctl status --no-pager --lines=5 css-check-engine.service 2>&1 || true)
        printf '%s\n' "$status" | sed 's/^/    /'
        assert_contains "$status" "devicemapper" "systemctl status names the driver"
        assert_match "$status" "docker 2[5-9]|docker [3-9][0-9]" "and the engine's version"
        assert_eq "$(systemctl is-active docker.service)" inactive "docker did not start"
        assert_eq "$(blkid -p /dev/vdb >/dev/null 2>&1; echo $?)" 2 "no signature on vdb"
        assert_eq "$(vgs docker-vg >/dev/null 2>&1; echo $?)" 5 "no docker-vg"
        sed 's/^/    exec: /' /run/css-exec.log 2>/dev/null || true
        assert_eq "$(grep -vE '^css-check-engine	/usr/s?bin/(dockerd|podman) --version$' /run/css-exec.log 2>/dev/null || true)" "" \
                "nothing run but css-check-engine's version probes"

        cat >/etc/sysconfig/docker-storage-setup <<'CONF'
DEVS="/dev/disk/by-id/virtio-css-extra1 /dev/disk/by-id/virtio-css-extra2 /dev/disk/by-id/virtio-css-extra3"
VG=docker-vg
STRIPES=auto
STRIPE_SIZE=64K
STORAGE_DRIVER=overlay2
CONTAINER_ROOT_LV_NAME=containers-lv
CONTAINER_ROOT_LV_SIZE=50%FREE
CONTAINER_ROOT_LV_MOUNT_PATH=/var/lib/containers
CONTAINERS_STORAGE_CONF=true
CONF
        vm_dump_state
        vm_request_reboot
        ;;
2)
        step "podman on the container LV, striped across three disks named by id"
        assert_ok settle
        assert_mounted /var/lib/containers xfs /dev/mapper/docker--vg-containers--lv
        assert_striped containers-lv
        measure_striped_write
        cat /etc/containers/storage.conf | sed 's/^/    /'
        assert_eq "$(podman info --format '{{.Store.GraphDriverName}}')" overlay "podman's driver"
        assert_eq "$(podman info --format '{{.Store.GraphRoot}}')" /var/lib/containers/storage "podman's graphRoot"
        vm_tiny_image_tar /tmp/tiny.tar
        assert_ok podman import /tmp/tiny.tar localhost/css-tiny:1
        assert_eq "$(podman run --rm --network none localhost/css-tiny:1 /usr/bin/dash -c 'echo hello from the LV')" \
                "hello from the LV" "podman run"
        assert_eq "$(findmnt -n -o SOURCE --target "$(podman image inspect -f '{{.GraphDriver.Data.UpperDir}}' localhost/css-tiny:1)")" \
                /dev/mapper/docker--vg-containers--lv "the image's layer is on the LV"
        assert_eq "$(systemctl show -P RequiresMountsFor podman.service)" /var/lib/containers "podman.service waits for the mount"
        assert_eq "$(systemctl show -P RequiresMountsFor podman-restart.service)" /var/lib/containers \
                "podman-restart.service waits for the mount"
        assert_eq "$(docker info --format '{{.Driver}}')" overlay2 "docker (as shipped) reads overlay2 from daemon.json"

        cat >/etc/sysconfig/docker-storage-setup <<'CONF'
DEVS="/dev/disk/by-id/virtio-css-extra1 /dev/disk/by-id/virtio-css-extra2 /dev/disk/by-id/virtio-css-extra3"
VG=docker-vg
STRIPES=auto
STORAGE_DRIVER=overlay2
CONTAINER_ROOT_LV_NAME=containerd-lv
CONTAINER_ROOT_LV_SIZE=100%FREE
CONTAINER_ROOT_LV_MOUNT_PATH=/var/lib/containerd
CONF
        # What the next boot will do, before it does it: the striped lvcreate and its disks.
        plan=$(container-storage-setup plan 2>&1) || fail "plan failed: $plan"
        printf '%s\n' "$plan" | sed 's/^/    plan: /'
        assert_match "$plan" "would run: lvcreate -y --wipesignatures y -l 100%FREE --stripes 3 -n containerd-lv docker-vg $DEVS_PVS" \
                "plan: the striped lvcreate"
        vm_dump_state
        vm_request_reboot
        ;;
3)
        step "containerd's root on a container LV"
        assert_ok settle
        assert_mounted /var/lib/containerd xfs /dev/mapper/docker--vg-containerd--lv
        assert_striped containerd-lv
        assert_unit_active containerd.service
        assert_before var-lib-containerd.mount containerd.service
        assert_before docker-storage-setup.service containerd.service
        assert_ok ctr snapshots prepare css-proof
        assert_eq "$(findmnt -n -o SOURCE --target /var/lib/containerd/io.containerd.snapshotter.v1.overlayfs/snapshots)" \
                /dev/mapper/docker--vg-containerd--lv "containerd's snapshots on the LV"
        assert_ok ctr snapshots rm css-proof
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
