#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 50-export-import, guest side (scenario.conf says what each boot shows).
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

EXPORT=/var/tmp/export
# manifest QUERY: a Python expression over the manifest `m` (the guest has python3, for cloud-init).
manifest() { python3 -c "import json,sys; m = json.load(open('$EXPORT/manifest.json')); print($1)"; }
# Debian's kernel has AppArmor on; docker 20.10 then needs apparmor_parser unless unconfined.
RUN=(docker run --rm --network none --security-opt apparmor=unconfined)

# docker.service is wanted by multi-user.target, which this script runs after.
docker_running() {
        step "docker.service, started at boot"
        systemctl status --no-pager docker-storage-setup.service docker.service 2>&1 | sed 's/^/    /' || true
        assert_unit_active docker-storage-setup.service
        assert_unit_active docker.service
        # docker.service must have started after the storage was set up.
        local dss docker
        dss=$(systemctl show -P ActiveEnterTimestampMonotonic docker-storage-setup.service)
        docker=$(systemctl show -P ExecMainStartTimestampMonotonic docker.service)
        assert_gt "$docker" "$dss" "dockerd started (us) after docker-storage-setup.service was active"
        DOCKERD_ARGS=$(tr '\0' ' ' </proc/"$(systemctl show -P MainPID docker.service)"/cmdline)
        echo "    dockerd: $DOCKERD_ARGS"
        INFO=$(docker info 2>&1) || fail "docker info: $INFO"
        printf '%s\n' "$INFO" | grep -E 'Storage Driver|Backing|Pool Name|Data file|Metadata file|Docker Root Dir|Data loop' | sed 's/^/    /'
        assert_contains "$DOCKERD_ARGS " " $1 " "dockerd got the options of /etc/sysconfig/docker-storage"
}

case $(vm_boot) in
1)
        # What was scenario 05's first boot: the engine really uses the storage.
        assert_eq "$(cat /etc/sysconfig/docker-storage)" 'DOCKER_STORAGE_OPTIONS="--storage-driver overlay2 "' "/etc/sysconfig/docker-storage"
        docker_running "--storage-driver overlay2"
        assert_match "$INFO" "Storage Driver: overlay2" "docker info: Storage Driver"
        assert_match "$INFO" "Backing Filesystem: xfs" "docker info: backing filesystem"
        assert_match "$INFO" "Docker Root Dir: /var/lib/docker" "docker info: root dir"
        assert_mounted /var/lib/docker xfs /dev/mapper/atomicos-docker--root--lv
        assert_eq "$(findmnt -n -o SOURCE -T /var/lib/docker/overlay2)" /dev/mapper/atomicos-docker--root--lv "docker's overlay2 directory is on the LV"
        assert_match "$(findmnt -n -o OPTIONS /var/lib/docker)" prjquota "mounted with pquota"
        step "what docker holds: an image with two tags, a volume with a file"
        vm_tiny_image_tar /tmp/tiny.tar
        assert_ok docker import /tmp/tiny.tar css-tiny:1
        assert_ok docker tag css-tiny:1 css-tiny:latest
        assert_ok docker volume create data
        assert_ok "${RUN[@]}" -v data:/data css-tiny:1 /usr/bin/dash -c 'cat /usr/bin/sha256sum > /data/payload; echo kept > /data/note'
        SUM=$("${RUN[@]}" -v data:/data css-tiny:1 /usr/bin/sha256sum /data/payload /data/note)
        echo "$SUM" >/var/tmp/volume.sha256
        echo "    $SUM"

        step "an export is refused where the change removes it, and changes nothing"
        out=$(container-storage-setup export-images /var/lib/docker/export 2>&1) && fail "export into the data root: $out"
        assert_match "$out" "inside the engine's data root /var/lib/docker" "refused: inside the data root"
        assert_fails test -e /var/lib/docker/export
        out=$(container-storage-setup export-images --dry-run "$EXPORT" 2>&1) || fail "dry run: $out"
        assert_match "$out" "would run: docker save --output $EXPORT/images.tar css-tiny:" "dry run names the save"
        assert_fails test -e "$EXPORT"

        step "export-images"
        assert_ok container-storage-setup export-images "$EXPORT"
        sed 's/^/    /' "$EXPORT/manifest.json"
        assert_eq "$(stat -c %a "$EXPORT")" 700 "the export directory is root's only"
        assert_eq "$(manifest "' '.join(sorted(t for i in m['images'] for t in i['tags']))")" "css-tiny:1 css-tiny:latest" "manifest: both tags"
        assert_eq "$(manifest "' '.join(m['volumes'])")" data "manifest: the volume"
        for f in images.tar volumes/data.tar; do
                assert_eq "$(sha256sum "$EXPORT/$f" | cut -d' ' -f1)" \
                        "$(manifest "[f['sha256'] for f in m['files'] if f['path'] == '$f'][0]")" "manifest: sha256 of $f"
        done
        out=$(container-storage-setup export-images "$EXPORT" 2>&1) && fail "a second export into the same directory: $out"
        assert_match "$out" "is not empty" "an export never replaces files"

        step "the lab's storage change in one command: switch --export"
        SWITCH_EXPORT=/var/tmp/switch-export
        printf 'DEVS=/dev/vdb\nVG=docker-vg\nSTORAGE_DRIVER=devicemapper\n' >/etc/sysconfig/docker-storage-setup
        out=$(container-storage-setup switch --dry-run --export "$SWITCH_EXPORT" 2>&1) || fail "switch --dry-run: $out"
        echo "$out" | sed 's/^/    /'
        assert_match "$out" "stop docker.socket docker.service|stop docker.service" "the plan stops docker"
        assert_match "$out" "would run: lvremove .*atomicos/docker-root-lv" "the plan removes docker-root-lv"
        assert_match "$out" "set up the storage as configured: check-engine, prepare-disk /dev/vdb, vg" "the plan sets up DEVS"
        assert_ok lvs atomicos/docker-root-lv
        assert_fails test -e "$SWITCH_EXPORT"
        assert_unit_active docker.service
        start=$(date +%s)
        out=$(container-storage-setup switch --export "$SWITCH_EXPORT" 2>&1) || { echo "$out"; fail "switch failed"; }
        echo "$out" | sed 's/^/    /'
        echo "    switch took $(($(date +%s) - start)) s"
        assert_unit_active docker.service
        assert_match "$(docker info 2>&1)" "Pool Name: docker--vg-docker--pool" "docker runs on the thin pool"
        assert_fails lvs atomicos/docker-root-lv
        assert_fails test -e /var/lib/container-storage-setup/.switch
        assert_ok test -f "$SWITCH_EXPORT/manifest.json"
        assert_match "$(cat /var/lib/container-storage-setup/.applied-config)" "^STORAGE_DRIVER=devicemapper" "the applied record follows"
        assert_eq "$(docker image ls --format '{{.Repository}}:{{.Tag}}' | sort | tr '\n' ' ')" "css-tiny:1 css-tiny:latest " "both tags back"
        assert_eq "$("${RUN[@]}" -v data:/data css-tiny:latest /usr/bin/sha256sum /data/payload /data/note)" \
                "$(cat /var/tmp/volume.sha256)" "the volume's files, read by a container on the pool"
        vm_request_reboot
        ;;
2)
        POOL=/dev/mapper/docker--vg-docker--pool
        docker_running "--storage-driver devicemapper --storage-opt dm.fs=xfs --storage-opt dm.thinpooldev=$POOL"
        assert_eq "$(lvs --noheadings -o segtype docker-vg/docker-pool | tr -d ' ')" thin-pool "docker-vg/docker-pool"
        assert_match "$INFO" "Pool Name: docker--vg-docker--pool" "docker on the thin pool after a reboot"
        assert_match "$INFO" "Backing Filesystem: xfs" "docker info: backing filesystem"
        assert_fails grep -q "Data loop file" <<<"$INFO"
        assert_fails findmnt --mountpoint /var/lib/docker
        assert_fails test -e /dev/atomicos/docker-root-lv
        # docker made its base device in the pool: a thin LV that LVM does not know, counted
        # in the pool's transaction id and data use.
        assert_gt "$(dmsetup status docker--vg-docker--pool | awk '{print $4}')" 0 "thin pool transaction id (docker created its base device)"
        assert_match "$(docker image inspect -f '{{.GraphDriver.Name}}' css-tiny:1)" devicemapper "the image is on devicemapper"
        assert_eq "$("${RUN[@]}" -v data:/data css-tiny:latest /usr/bin/sha256sum /data/payload /data/note)" \
                "$(cat /var/tmp/volume.sha256)" "the volume's files after a reboot"

        step "a corrupted export is refused and nothing is loaded"
        assert_ok docker image rm css-tiny:latest
        cp -a "$EXPORT" /var/tmp/bad
        printf 'x' | dd of=/var/tmp/bad/volumes/data.tar bs=1 seek=600 conv=notrunc status=none
        out=$(container-storage-setup import-images /var/tmp/bad 2>&1) && fail "import of a corrupted export: $out"
        assert_match "$out" "does not match the manifest's SHA-256: not importing anything" "refused: checksum"
        assert_eq "$(docker image ls --format '{{.Repository}}:{{.Tag}}' | sort | tr '\n' ' ')" "css-tiny:1 " "nothing loaded"

        step "import-images by hand: a volume that holds files is never overwritten"
        out=$(container-storage-setup import-images "$EXPORT" 2>&1) && fail "an import over the volume: $out"
        assert_match "$out" "Volume data exists and holds files: not importing anything" "an import never overwrites a volume"
        assert_ok docker volume rm data
        assert_ok container-storage-setup import-images "$EXPORT"
        assert_eq "$(docker image ls --format '{{.Repository}}:{{.Tag}}' | sort | tr '\n' ' ')" "css-tiny:1 css-tiny:latest " "both tags back"
        assert_eq "$("${RUN[@]}" -v data:/data css-tiny:latest /usr/bin/sha256sum /data/payload /data/note)" \
                "$(cat /var/tmp/volume.sha256)" "the volume's files, imported by hand"
        vm_dump_state
        pass "images and the volume survived the storage change"
        ;;
esac
