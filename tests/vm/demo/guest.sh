#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The demo's guest side: shows what the lab shows. It reports, it does not judge:
# whatever state the project is in, this prints it and exits 0.
# shellcheck source-path=SCRIPTDIR source=../guest/lib.sh
source /usr/lib/css-vm/lib.sh
set +e

show() {
        echo
        echo "[root@css-vm ~]# $*"
        "$@" 2>&1
}

# No waiting needed: the runner is ordered after multi-user.target, which is ordered
# after what it wants (docker, and so docker-storage-setup and its steps before it).
show cat /etc/sysconfig/docker-storage-setup
show systemctl status --no-pager -o cat docker-storage-setup.service
echo
# Every css-* step unit that systemd knows of (loaded, or failed), without the harness' own.
echo "[root@css-vm ~]# systemctl status 'css-*'   # each step"
units=$(systemctl list-units --all --plain --no-legend 'css-*' | awk '$1 !~ /^css-vm/ {print $1}')
[[ -n $units ]] || echo "(no css-* units are loaded)"
for unit in $units; do
        systemctl status --no-pager -o cat "$unit" 2>&1
done
show lsblk
# Where docker's storage settings went: the sysconfig file that Atomic's docker.service reads, or
# daemon.json for docker.service as Debian ships it (Debian 13 guest).
for f in /etc/sysconfig/docker-storage /etc/docker/daemon.json; do
        [[ -e $f ]] && show cat "$f"
done
echo
echo "[root@css-vm ~]# docker info 2>/dev/null | grep 'Storage Driver'"
docker info 2>/dev/null | grep 'Storage Driver' || echo "(docker info shows no storage driver: docker is $(systemctl is-active docker.service))"
vm_dump_state >/dev/null
exit 0
