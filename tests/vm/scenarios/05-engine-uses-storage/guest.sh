#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 05-engine-uses-storage, guest side. docker.service was started at boot (enabled) after
# docker-storage-setup.service; check what dockerd was given and what it reports.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

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
        EXPECTED='--storage-driver overlay2 '
        assert_eq "$(cat /etc/sysconfig/docker-storage)" "DOCKER_STORAGE_OPTIONS=\"$EXPECTED\"" "/etc/sysconfig/docker-storage"
        docker_running "--storage-driver overlay2"
        assert_match "$INFO" "Storage Driver: overlay2" "docker info: Storage Driver"
        assert_match "$INFO" "Backing Filesystem: xfs" "docker info: backing filesystem"
        assert_match "$INFO" "Docker Root Dir: /var/lib/docker" "docker info: root dir"
        assert_mounted /var/lib/docker xfs /dev/mapper/atomicos-docker--root--lv
        assert_eq "$(findmnt -n -o SOURCE -T /var/lib/docker/overlay2)" /dev/mapper/atomicos-docker--root--lv "docker's overlay2 directory is on the LV"
        assert_match "$(findmnt -n -o OPTIONS /var/lib/docker)" prjquota "mounted with pquota"

        step "switch to devicemapper, as an admin would (the lab's steps)"
        vm_lab_remove_storage
        cat >/etc/sysconfig/docker-storage-setup <<'CONF'
DEVS=/dev/vdb
VG=docker-vg
STORAGE_DRIVER=devicemapper
CONF
        vm_dump_state
        vm_request_reboot
        ;;
2)
        POOL=/dev/mapper/docker--vg-docker--pool
        docker_running "--storage-driver devicemapper --storage-opt dm.fs=xfs --storage-opt dm.thinpooldev=$POOL"
        assert_eq "$(lvs --noheadings -o segtype docker-vg/docker-pool | tr -d ' ')" thin-pool "docker-vg/docker-pool"
        assert_match "$INFO" "Storage Driver: devicemapper" "docker info: Storage Driver"
        assert_match "$INFO" "Pool Name: docker--vg-docker--pool" "docker info: Pool Name"
        assert_match "$INFO" "Backing Filesystem: xfs" "docker info: backing filesystem"
        assert_fails grep -q "Data loop file" <<<"$INFO"
        assert_fails findmnt --mountpoint /var/lib/docker
        assert_fails test -e /dev/atomicos/docker-root-lv
        # docker made its base device in the pool: a thin LV that LVM does not know, counted
        # in the pool's transaction id and data use.
        assert_gt "$(dmsetup status docker--vg-docker--pool | awk '{print $4}')" 0 "thin pool transaction id (docker created its base device)"
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
