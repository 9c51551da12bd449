# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash disable=SC2034  # INSTALL_PROJECT, ENABLE_UNITS: read by the harness
# Sourced by the bench scenarios' scenario.conf (host side). With CSS_BENCH_ORIGINAL=DIR, a
# checkout of projectatomic/container-storage-setup (this repository does not carry its
# code), the guest gets the original tool instead of this project: its script, library,
# defaults and child helper where the script looks for them (/usr/share/container-storage-setup),
# and a docker-storage-setup.service as the original shipped it (compat mode: no arguments),
# enabled for multi-user.target. The same guest script then measures either tool.
if [[ -n ${CSS_BENCH_ORIGINAL:-} ]]; then
        INSTALL_PROJECT=no
        ENABLE_UNITS=(docker-storage-setup.service)
fi

bench_stage_files() {
        local root=$1 here original share
        here=$(dirname "${BASH_SOURCE[0]}")
        install -D -m 0644 "$here/measure.sh" "$root/usr/lib/css-bench/measure.sh"
        [[ -n ${CSS_BENCH_ORIGINAL:-} ]] || return 0
        original=$CSS_BENCH_ORIGINAL share=$root/usr/share/container-storage-setup
        install -D -m 0755 "$original/container-storage-setup.sh" "$root/usr/bin/container-storage-setup"
        install -D -m 0644 "$original/container-storage-setup.conf" "$share/container-storage-setup"
        install -D -m 0755 "$original/libcss.sh" "$share/libcss.sh"
        install -D -m 0755 "$original/css-child-read-write.sh" "$share/css-child-read-write"
        # The original finds LVM's profile directory with `lvm dumpconfig | grep profile_dir`,
        # which lvm 2.03 (Debian 12) only prints when lvm.conf sets it: without this, the
        # original fails right after creating the pool (AUTO_EXTEND_POOL=yes). The value is
        # lvm's default, so LVM behaves the same.
        mkdir -p "$root/etc/lvm"
        printf '%s\n' 'local {' '}' 'config {' '        profile_dir = "/etc/lvm/profile"' '}' >"$root/etc/lvm/lvmlocal.conf"
        # For CONTAINER_ROOT_LV_MOUNT_PATH the original runs `restorecon -R` on the mount and
        # fails without it; Debian has no SELinux policy by default (policycoreutils is not
        # installed), where restorecon would change nothing. A no-op stands in for it.
        mkdir -p "$root/usr/local/sbin"
        printf '%s\n' '#!/bin/sh' '# bench/vm/original.sh: no SELinux here, nothing to restore.' 'exit 0' \
                >"$root/usr/local/sbin/restorecon"
        chmod 0755 "$root/usr/local/sbin/restorecon"
        mkdir -p "$root/usr/lib/systemd/system"
        cat >"$root/usr/lib/systemd/system/docker-storage-setup.service" <<'UNIT'
[Unit]
Description=Docker Storage Setup
After=cloud-init.service
Before=docker.service

[Service]
Type=oneshot
ExecStart=/usr/bin/container-storage-setup
EnvironmentFile=-/etc/sysconfig/docker-storage-setup

[Install]
WantedBy=multi-user.target
UNIT
}
