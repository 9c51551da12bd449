#!/bin/bash
# shellcheck disable=SC2317 # the functions run through with_cache_lock
# SPDX-License-Identifier: Apache-2.0
# Stage 1 of the VM image: a Debian root filesystem made with mmdebstrap, the kernel and
# an initrd that can boot root on LVM.
#
#   build-rootfs.sh [SUITE]     SUITE: bookworm (Debian 12, the default) or trixie (Debian 13)
#
# Cached in $CSS_VM_CACHE/rootfs-SUITE-KEY where KEY hashes the suite, this script, the
# package lists and the files copied into the image. Prints the cache directory on stdout.
# Needs root (mmdebstrap, chroot).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR
# shellcheck source=../lib/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib/common.sh"

IMAGE_DIR=$CSS_VM_DIR/image
SUITE=${1:-bookworm}
case $SUITE in
bookworm | trixie) ;;
*) die "unknown guest suite '$SUITE' (bookworm or trixie)" ;;
esac

rootfs_key() {
        { echo "$SUITE"; hash_files "$IMAGE_DIR/build-rootfs.sh" "$IMAGE_DIR/packages.txt" \
                "$IMAGE_DIR/packages-$SUITE.txt" "$IMAGE_DIR"/files/*; } | sha256sum | cut -c1-16
}

# The Debian mirror the host's apt uses (the only one reachable in CI), from either
# sources format. CSS_VM_MIRROR overrides it.
host_debian_mirror() {
        if [[ -n ${CSS_VM_MIRROR:-} ]]; then
                echo "$CSS_VM_MIRROR"
                return
        fi
        local uri
        # deb822: the first stanza whose Suites has the suite (not -security). A host with only
        # bookworm listed gets that mirror for trixie too: Debian's mirrors serve both.
        uri=$(awk -v suite="$SUITE" 'BEGIN { RS = "" }
                { uris = ""; ok = 0
                  n = split($0, lines, "\n")
                  for (i = 1; i <= n; i++) {
                        if (lines[i] ~ /^URIs:/) { sub(/^URIs:[ \t]*/, "", lines[i]); split(lines[i], u, " "); uris = u[1] }
                        if (lines[i] ~ /^Suites:/) { m = split(lines[i], s, /[ \t]+/); for (j = 2; j <= m; j++) if (s[j] == suite) ok = 1 }
                  }
                  if (ok && uris != "") { print uris; exit } }' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
        if [[ -z $uri ]]; then
                # One-line format: deb [options] URI SUITE COMPONENTS...
                uri=$(awk -v suite="$SUITE" '$1 == "deb" { i = 2; if ($i ~ /^\[/) while ($i !~ /\]$/) i++; if ($i ~ /\]$/ && $i ~ /^\[|=/) i++; if ($(i + 1) == suite) { print $i; exit } }' \
                        /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true)
        fi
        if [[ -z $uri && $SUITE != bookworm ]]; then
                uri=$(SUITE=bookworm host_debian_mirror)
        fi
        [[ -n $uri ]] || die "no Debian $SUITE mirror found in /etc/apt/sources.list(.d); set CSS_VM_MIRROR"
        echo "$uri"
}

package_list() {
        sed -e 's/#.*//' -e '/^[[:space:]]*$/d' "$IMAGE_DIR/packages.txt" "$IMAGE_DIR/packages-$SUITE.txt" | paste -sd, -
}

# mmdebstrap rather than debootstrap: apt resolves the packages (virtual ones too) and fetches
# them in parallel, and dpkg installs them in a few runs, not one per package (tests/vm/README.md
# has the times). Its "I:" lines are the phases, shown as progress.
run_mmdebstrap() {
        local root=$1 logfile=$2 mirror
        mirror=$(host_debian_mirror)
        log "mmdebstrap $SUITE from $mirror (takes about 2 minutes; full log: $logfile)"
        mmdebstrap --mode=root --variant=minbase --include="$(package_list)" "$SUITE" "$root" "$mirror" 2>&1 |
                tee "$logfile" |
                { grep --line-buffered -E '^(I: |E: )' || true; } |
                sed -u 's/^/[vm]   /' >&2
}

chroot_run() {
        local root=$1
        shift
        chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C "$@"
}

# Boot fast and keep the serial console readable: no gettys, no timers that may wake
# up during a test, no first-boot prompts, docker started only by the scenarios that
# want it (they list it in ENABLE_UNITS). The engines' units stay as the distribution ships
# them: a scenario that wants Atomic's docker.service gets its drop-in from the harness
# (DOCKER_UNIT=atomic, tests/vm/README.md).
configure_systemd() {
        local root=$1 unit
        echo css-vm >"$root/etc/hostname"
        # A fixed machine-id: not a first boot (no systemd-firstboot prompt), and
        # journals of the boots of one scenario belong together.
        echo c55c55c55c55c55c55c55c55c55c55c5 >"$root/etc/machine-id"
        for unit in serial-getty@ttyS0.service getty@tty1.service systemd-firstboot.service \
                apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer e2scrub_reap.service \
                fstrim.timer dpkg-db-backup.timer systemd-tmpfiles-clean.timer; do
                ln -sfn /dev/null "$root/etc/systemd/system/$unit"
        done
        chroot_run "$root" systemctl disable docker.service docker.socket containerd.service \
                podman.socket podman-restart.service >/dev/null 2>&1 || true
        # Short timeouts: a hang must show up as a failure, not eat the CI budget.
        mkdir -p "$root/etc/systemd/system.conf.d"
        printf '[Manager]\nDefaultTimeoutStartSec=60s\nDefaultTimeoutStopSec=15s\nShowStatus=error\n' \
                >"$root/etc/systemd/system.conf.d/css-vm.conf"
        mkdir -p "$root/etc/sysconfig"
}

# MODULES=list keeps the initrd small (11 MB instead of 40); lvm2's own hook adds lvm
# and its local-top script activates the root LV named by root=/dev/mapper/VG-LV.
configure_initramfs() {
        local root=$1
        sed -i 's/^MODULES=.*/MODULES=list/' "$root/etc/initramfs-tools/initramfs.conf"
        sed -e '/^#/d' "$IMAGE_DIR/files/initramfs-modules" >>"$root/etc/initramfs-tools/modules"
        install -m 0755 "$IMAGE_DIR/files/initramfs-hook" "$root/etc/initramfs-tools/hooks/css-vm"
        install -m 0755 "$IMAGE_DIR/files/initramfs-init-bottom" "$root/etc/initramfs-tools/scripts/init-bottom/css-vm"
        mount -t proc proc "$root/proc"
        chroot_run "$root" update-initramfs -u -k all >&2 || { umount "$root/proc"; return 1; }
        umount "$root/proc"
}

# Check what the boot depends on, so a broken initrd fails here and not as a hang.
# bookworm's lvm2 activates the root VG from udev rules (event activation).
check_initrd() {
        local root=$1 listing want
        listing=$(chroot_run "$root" sh -c 'lsinitramfs /boot/initrd.img-*')
        # A module may be built into the kernel instead (trixie's virtio_pci).
        listing+=$'\n'$(cat "$root"/lib/modules/*/modules.builtin)
        for want in bin/lvm rules.d/69-lvm.rules scripts/init-bottom/css-vm 'bin/cp$' \
                virtio_blk.ko virtio_pci.ko dm-mod.ko xfs.ko ext4.ko; do
                grep -Eq -- "$want" <<<"$listing" || die "initrd lacks $want"
        done
}

trim_rootfs() {
        local root=$1
        chroot_run "$root" apt-get clean
        rm -rf "$root"/var/lib/apt/lists/* "$root"/usr/share/doc/* "$root"/usr/share/man/* \
                "$root"/usr/share/info/* "$root"/var/log/*.log "$root"/var/cache/debconf/*-old
        find "$root/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} +
}

build_rootfs() {
        local out=$1 work=$1.tmp
        remove_tree "$work"
        mkdir -p "$work"
        local root=$work/root start=$SECONDS
        run_mmdebstrap "$root" "$work/mmdebstrap.log"
        log "mmdebstrap done in $((SECONDS - start)) s; configuring"
        configure_systemd "$root"
        configure_initramfs "$root"
        check_initrd "$root"
        trim_rootfs "$root"
        cp "$root"/boot/vmlinuz-* "$work/vmlinuz"
        cp "$root"/boot/initrd.img-* "$work/initrd.img"
        log "packing the root filesystem (tar for the builder VM, ext4 image to boot it)"
        tar --numeric-owner --xattrs --xattrs-include='*' -C "$root" -cf "$work/rootfs.tar" .
        # mkfs.ext4 -d: an image from a directory without loop devices or mounts.
        mkfs.ext4 -q -F -L css-builder -d "$root" "$work/rootfs.ext4" 3G
        du -sh "$root" | awk '{print "[vm]   root filesystem: " $1}'
        remove_tree "$root"
        mv "$work" "$out"
        touch "$out/done"
        log "rootfs stage built in $((SECONDS - start)) s: $out"
}

# Other keys of the same suite are stale builds of older scripts: drop them, images are
# gigabytes (rootfs-KEY without a suite is the layout before Debian 13 guests).
prune_old() {
        local keep=$1 dir
        for dir in "$CSS_VM_CACHE/rootfs-$SUITE"-* "$CSS_VM_CACHE"/rootfs-????????????????; do
                [[ -d $dir && $dir != "$keep" ]] || continue
                log "removing stale cache $dir"
                remove_tree "$dir"
        done
}

main() {
        local out
        # Only the result goes to stdout (callers capture it); all tools' chatter to stderr.
        exec 3>&1 1>&2
        out=$CSS_VM_CACHE/rootfs-$SUITE-$(rootfs_key)
        if [[ ! -e $out/done ]]; then
                [[ $(id -u) == 0 ]] || skip_or_fail "building the VM image needs root (mmdebstrap, chroot)"
                require_host_tools mmdebstrap mkfs.ext4 tar
                prune_old "$out"
                build_rootfs "$out"
        fi
        echo "$out" >&3
}

# On one line with exit: bash reads scripts as it runs them, so an edit of this file
# during a long build must not make it run anything past this point.
with_cache_lock main "$@"; exit
