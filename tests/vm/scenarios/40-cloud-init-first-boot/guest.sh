#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 40-cloud-init-first-boot, guest side (see scenario.conf).
# Boot 1: cloud-init wrote the config during this boot; css-cloud-init.service reloaded systemd
# and the steps ran after cloud-init's network stage, in this boot; docker (as shipped, reading
# /etc/docker/daemon.json) started after docker-storage-setup.service, on the new LV, and kept
# the admin's key; a container runs from an image made here; GROWPART=true grew the root
# partition and PV (on Debian 13 this is the lab's growpart on its LVM and libfdisk, which 01 runs
# on Debian 12). The generator's units verify
# against this distribution's real units. Boot 2: nothing changed, nothing ran but the mount.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

SAVED=$CSS_VM_STATE/40
LV=/dev/docker-vg/docker-root-lv
STEPS=(css-prepare-disk@dev-vdb css-vg css-growpart css-pvresize css-create-lv css-mkfs css-write-storage-config)
. /etc/os-release

# The network stage: renamed in cloud-init 24.3.
if [[ -e /usr/lib/systemd/system/cloud-init-network.service ]]; then
        CLOUD_NETWORK=cloud-init-network.service
else
        CLOUD_NETWORK=cloud-init.service
fi

wait_for_boot() {
        step "cloud-init and docker-storage-setup.service"
        echo "    $PRETTY_NAME, $(cloud-init --version 2>&1), $(dockerd --version)"
        cloud-init status --wait >/dev/null || true
        { cloud-init status --long || true; } | sed "s/^/    /"
        vm_start_setup css-cloud-init.path css-cloud-init "${STEPS[@]}" var-lib-docker.mount docker-storage-setup docker ||
                fail "docker-storage-setup.service failed"
        pass "docker-storage-setup.service started"
}

check_docker_on_lv() {
        step "docker, as $ID ships it, on the LV"
        assert_unit_active docker.service
        assert_mounted /var/lib/docker xfs /dev/mapper/docker--vg-docker--root--lv
        assert_eq "$(docker info --format '{{.Driver}}')" overlay2 "docker's storage driver"
        assert_eq "$(docker info --format '{{.DockerRootDir}}')" /var/lib/docker "docker's root"
        assert_eq "$(python3 -c 'import json; print(json.load(open("/etc/docker/daemon.json"))["log-level"])')" warn \
                "the admin's key in daemon.json"
        assert_eq "$(python3 -c 'import json; print(json.load(open("/etc/docker/daemon.json"))["storage-driver"])')" overlay2 \
                "storage-driver in daemon.json"
        assert_before docker-storage-setup.service docker.service
        assert_before var-lib-docker.mount docker.service
}

case $(vm_boot) in
1)
        assert_file_contains /etc/sysconfig/docker-storage-setup "^DEVS=/dev/vdb$"
        wait_for_boot
        step "the config came from cloud-init in this boot, the steps ran after it"
        assert_unit_result css-cloud-init.service success
        assert_before "$CLOUD_NETWORK" css-cloud-init.service
        assert_before css-cloud-init.service css-prepare-disk@dev-vdb.service
        for u in "${STEPS[@]}"; do assert_unit_result "$u.service" success; done
        assert_eq "$(vgs --noheadings -o pv_count docker-vg | tr -d ' ')" 1 "docker-vg on vdb1"
        # GROWPART=true with this distribution's LVM (the image's vda2 ends at 5 GiB + 616448).
        vda2_end=$(($(cat /sys/block/vda/vda2/start) + $(cat /sys/block/vda/vda2/size)))
        assert_gt "$vda2_end" $((616448 + 5 * 2097152)) "vda2 grown by css-growpart"
        assert_gt "$(pvs --noheadings --units b --nosuffix -o pv_size /dev/vda2 | tr -d ' ')" $((10 * 1024 * 1024 * 1024)) \
                "the root PV resized by css-pvresize"
        assert_eq "$(blkid -o value -s TYPE $LV)" xfs "XFS on $LV"
        check_docker_on_lv

        step "a container from an image made here, its layer on the LV"
        vm_tiny_image_tar /tmp/tiny.tar
        assert_ok docker import /tmp/tiny.tar css-tiny:1
        # Debian's kernel has AppArmor on; docker 20.10 then needs apparmor_parser (the apparmor
        # package, a Recommends that debootstrap leaves out) unless the container is unconfined.
        assert_eq "$(docker run --rm --network none --security-opt apparmor=unconfined css-tiny:1 /usr/bin/dash -c 'echo hello from the LV')" \
                "hello from the LV" "docker run"
        assert_match "$(docker image inspect -f '{{.GraphDriver.Data.UpperDir}}' css-tiny:1)" '^/var/lib/docker/overlay2/' \
                "the image's layer under /var/lib/docker"

        step "the generator's units verify against $PRETTY_NAME's units"
        # Every unit it wrote, with the real cloud-init, docker, podman, containerd units loaded.
        mapfile -t units < <(find /run/systemd/generator -maxdepth 1 -type f \( -name 'css-*' -o -name '*.mount' -o -name 'docker-storage-setup.service' \))
        echo "    ${units[*]}"
        out=$(SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no "${units[@]}" 2>&1) || fail "systemd-analyze verify: $out"
        [[ -z $out ]] || printf '%s\n' "$out" | sed 's/^/    /'
        assert_eq "$(grep -c 'cycle' <<<"$out" || true)" 0 "no ordering cycle"
        assert_eq "$(cat /run/systemd/generator/css-*.service /run/systemd/generator/docker-storage-setup.service |
                sed -n 's/^After=//p' | tr ' ' '\n' | grep '^cloud-init' | sort -u | paste -sd' ')" \
                "$CLOUD_NETWORK" "the steps are ordered after $CLOUD_NETWORK alone"

        mkdir -p "$SAVED"
        lvs --noheadings -o lv_uuid docker-vg/docker-root-lv | tr -d ' ' >"$SAVED/lv-uuid"
        blkid -o value -s UUID $LV >"$SAVED/fs-uuid"
        sha256sum /etc/docker/daemon.json /etc/sysconfig/docker-storage-setup >"$SAVED/files"
        vm_dump_state
        vm_last_boot || vm_request_reboot
        ;;
2)
        wait_for_boot
        step "second boot, same instance-id: nothing changed"
        assert_eq "$(lvs --noheadings -o lv_uuid docker-vg/docker-root-lv | tr -d ' ')" "$(cat "$SAVED/lv-uuid")" "same LV"
        assert_eq "$(blkid -o value -s UUID $LV)" "$(cat "$SAVED/fs-uuid")" "same filesystem"
        assert_ok sha256sum -c "$SAVED/files"
        for u in "${STEPS[@]}"; do
                [[ $u == css-create-lv ]] && continue
                assert_eq "$(systemctl show -P LoadState "$u.service")" not-found "generator left out $u"
        done
        assert_eq "$(grep -vE '^css-create-lv	(lvchange -ay |lvm fullreport)' /run/css-exec.log 2>/dev/null || true)" "" \
                "no program run by a step"
        check_docker_on_lv
        assert_match "$(docker images --format '{{.Repository}}:{{.Tag}}')" 'css-tiny:1' "the image is still there"
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
