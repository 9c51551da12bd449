#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 43-podman-debian12, guest side (see scenario.conf).
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh
. /etc/os-release

readonly LV=/dev/mapper/docker--vg-containers--lv MNT=/var/lib/containers/lv
readonly DISTRO_CONF=/usr/share/containers/storage.conf OURS=/etc/containers/storage.conf

# distro_value KEY: KEY's value in Debian's storage.conf, unquoted ("" when it has none).
distro_value() { sed -n "s/^$1 *= *\"\(.*\)\"\$/\1/p" "$DISTRO_CONF" | head -n 1; }

case $(vm_boot) in
1)
        step "podman on $PRETTY_NAME: $(podman --version)"
        assert_match "$(podman --version)" '^podman version 4\.' "Debian 12's podman is podman 4"
        assert_ok vm_start_setup 'css-*' docker-storage-setup '*.mount'
        assert_mounted "$MNT" xfs "$LV"

        step "the storage.conf written: Debian's, with graphroot on the LV"
        sed 's/^/    /' "$OURS"
        assert_file_contains "$OURS" "^# Derived from $DISTRO_CONF"
        assert_file_contains "$OURS" "^graphroot = \"$MNT\"\$"
        assert_file_contains "$OURS" '^driver = "overlay"$'
        assert_eq "$(podman info --format '{{.Store.GraphDriverName}}')" overlay "podman's driver"
        assert_eq "$(podman info --format '{{.Store.GraphRoot}}')" "$MNT" "podman's graphRoot"
        assert_eq "$(podman info --format '{{.Store.RunRoot}}')" "$(distro_value runroot)" \
                "podman's runRoot, as Debian's file sets it"
        mountopt=$(distro_value mountopt)
        if [[ -n $mountopt ]]; then
                assert_eq "$(podman info --format '{{index .Store.GraphOptions "overlay.mountopt"}}')" "$mountopt" \
                        "the overlay mount options Debian's file sets"
        fi
        assert_eq "$(systemctl show -P RequiresMountsFor podman.service)" "$MNT" "podman.service waits for the mount"
        assert_eq "$(systemctl show -P RequiresMountsFor podman-restart.service)" "$MNT" \
                "podman-restart.service waits for the mount"

        step "a container from an image made here, its layer on the LV"
        vm_tiny_image_tar /tmp/tiny.tar
        assert_ok podman import /tmp/tiny.tar localhost/css-tiny:1
        assert_eq "$(podman run --rm --network none localhost/css-tiny:1 /usr/bin/dash -c 'echo hello from the LV')" \
                "hello from the LV" "podman run"
        assert_eq "$(findmnt -n -o SOURCE --target "$(podman image inspect -f '{{.GraphDriver.Data.UpperDir}}' localhost/css-tiny:1)")" \
                "$LV" "the image's layer is on the LV"

        step "export-images and import-images with podman (issue 17)"
        assert_ok podman volume create data
        assert_ok podman run --rm --network none -v data:/data localhost/css-tiny:1 /usr/bin/dash -c 'cat /usr/bin/dash > /data/payload'
        sum=$(podman run --rm --network none -v data:/data localhost/css-tiny:1 /usr/bin/sha256sum /data/payload)
        out=$(container-storage-setup export-images --engine podman "$MNT/export" 2>&1) && fail "export into podman's graphroot: $out"
        assert_match "$out" "inside the engine's data root $MNT" "refused: inside podman's graphRoot"
        assert_ok container-storage-setup export-images --engine podman /var/tmp/export
        assert_ok podman volume rm data
        assert_ok podman rmi localhost/css-tiny:1
        assert_ok container-storage-setup import-images /var/tmp/export
        assert_eq "$(podman run --rm --network none -v data:/data localhost/css-tiny:1 /usr/bin/sha256sum /data/payload)" \
                "$sum" "the image and the volume's file are back"
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
