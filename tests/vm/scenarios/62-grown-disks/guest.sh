#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 62-grown-disks, guest side (see scenario.conf). Boot 1: a striped pool and docker-root-lv, tagged.
# Boot 2: both disks grew: partitions, PVs, the pool, docker-root-lv and its XFS grow; docker
# runs. Boot 3: nothing grew, nothing runs, nothing changes.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

SAVED=$CSS_VM_STATE/62
POOL=docker-vg/docker-pool
ROOTLV=docker-vg/docker-root-lv

bytes() { lvs --noheadings --units b --nosuffix -o "$1" "$2" | tr -d ' '; }
vg_bytes() { vgs --noheadings --units b --nosuffix -o vg_size docker-vg | tr -d ' '; }
fs_bytes() { df -B1 --output=size /var/lib/docker | tail -n 1 | tr -d ' '; }
# The stripe counts of an LV's segments, each once ("2": every segment has 2 stripes).
stripes_of() { lvs -a --segments --noheadings -o lv_name,stripes docker-vg | awk -v n="$1" '$1 == n { print $2 }' | sort -u; }
# LV + 40% of what the VG gained, in whole 4 MiB extents (steps/grow_lv.cpp's share).
share() {
        local lv=$1 gained=$2 extent=$((4 * 1024 * 1024)) t
        t=$((lv + gained * 40 / 100))
        echo $((t - t % extent))
}
save() {
        mkdir -p "$SAVED"
        vg_bytes >"$SAVED/vg"
        bytes lv_size $POOL >"$SAVED/pool"
        bytes lv_size $ROOTLV >"$SAVED/rootlv"
        fs_bytes >"$SAVED/fs"
        lvs --noheadings -o lv_name,lv_tags docker-vg >"$SAVED/tags"
}
docker_runs_on_the_pool() {
        assert_unit_active docker.service
        assert_eq "$(docker info --format '{{.Driver}}')" devicemapper "docker's storage driver"
        assert_match "$(docker info 2>/dev/null)" "Pool Name: docker--vg-docker--pool" "docker uses the pool"
        assert_mounted /var/lib/docker xfs /dev/mapper/docker--vg-docker--root--lv
}

case $(vm_boot) in
1)
        step "a striped pool and docker-root-lv, each with its growth tag"
        assert_ok vm_start_setup 'css-*' docker-storage-setup
        assert_eq "$(stripes_of '[docker-pool_tdata]')" 2 "the pool's data is striped over both disks"
        assert_eq "$(stripes_of docker-root-lv)" 2 "docker-root-lv is striped over both disks"
        assert_match "$(bytes lv_tags $POOL)" "^css_grow_vg$(vg_bytes)_lv$(bytes lv_size $POOL)$" "the pool's tag"
        assert_match "$(bytes lv_tags $ROOTLV)" "^css_grow_vg$(vg_bytes)_lv$(bytes lv_size $ROOTLV)$" "docker-root-lv's tag"
        assert_eq "$(grep -c '	xfs_growfs' /run/css-exec.log)" 0 "nothing to grow"
        docker_runs_on_the_pool
        vm_tiny_image_tar /tmp/tiny.tar
        assert_ok docker import /tmp/tiny.tar css-tiny:1
        save
        vm_dump_state
        vm_request_reboot
        ;;
2)
        step "both disks grew from 10G to 20G"
        assert_ok vm_start_setup 'css-prepare-disk@*' css-thinpool css-create-lv css-growfs docker-storage-setup
        sed 's/^/    exec: /' /run/css-exec.log
        cp /run/css-exec.log "$CSS_VM_ARTEFACTS/exec.log"
        assert_eq "$(grep -c '	pvresize /dev/vd[bc]1$' /run/css-exec.log)" 2 "pvresize of both DEVS PVs"
        for pv in /dev/vdb1 /dev/vdc1; do
                assert_gt "$(pvs --noheadings --units b --nosuffix -o pv_size $pv | tr -d ' ')" $((19 * 1024 * 1024 * 1024)) "$pv grown with its disk"
        done
        gained=$(($(vg_bytes) - $(cat "$SAVED/vg")))
        assert_gt "$gained" $((19 * 1024 * 1024 * 1024)) "docker-vg gained about 20G"
        assert_eq "$(bytes lv_size $POOL)" "$(share "$(cat "$SAVED/pool")" $gained)" "the pool took 40% of it (DATA_SIZE=40%FREE)"
        assert_eq "$(bytes lv_size $ROOTLV)" "$(share "$(cat "$SAVED/rootlv")" $gained)" \
                "docker-root-lv took 40% of it (DOCKER_ROOT_VOLUME_SIZE=40%FREE)"
        assert_eq "$(stripes_of '[docker-pool_tdata]')" 2 "the pool's new extents are striped too"
        assert_eq "$(stripes_of docker-root-lv)" 2 "docker-root-lv's too"
        assert_match "$(bytes lv_tags $POOL)" "^css_grow_vg$(vg_bytes)_lv$(bytes lv_size $POOL)$" "the pool's new tag"
        assert_eq "$(grep -c '	xfs_growfs /var/lib/docker$' /run/css-exec.log)" 1 "xfs_growfs on the mounted path"
        assert_unit_result css-growfs.service success
        df -h /var/lib/docker | sed 's/^/    df: /'
        assert_gt "$(fs_bytes)" $(($(cat "$SAVED/fs") + 7 * 1024 * 1024 * 1024)) "df: the XFS on /var/lib/docker grew by 8G"
        docker_runs_on_the_pool
        assert_eq "$(docker images -q css-tiny:1 | wc -l)" 1 "the image is still there"
        save
        vm_dump_state
        vm_request_reboot
        ;;
3)
        step "nothing grew: nothing runs, nothing changes"
        assert_ok vm_start_setup docker-storage-setup
        touch /run/css-exec.log # no helper may have run at all
        sed 's/^/    exec: /' /run/css-exec.log
        assert_eq "$(grep -vc '	lvm fullreport\|	lvchange -ay' /run/css-exec.log)" 0 "no change made by any helper"
        assert_eq "$(systemctl show -P ActiveState css-growfs.service)" inactive "css-growfs not run"
        old_tags=$(cat "$SAVED/tags") old_fs=$(cat "$SAVED/fs") old_pool=$(cat "$SAVED/pool")
        save
        assert_eq "$(cat "$SAVED/tags")" "$old_tags" "the tags are as boot 2 left them"
        assert_eq "$(cat "$SAVED/pool")" "$old_pool" "the pool's size unchanged"
        assert_eq "$(fs_bytes)" "$old_fs" "df unchanged"
        docker_runs_on_the_pool
        assert_eq "$(docker images -q css-tiny:1 | wc -l)" 1 "the image is still there"
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
