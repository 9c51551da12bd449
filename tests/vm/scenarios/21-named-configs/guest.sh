#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 21-named-configs, guest side: `create -o FILE NAME INFILE` partitions vdb, creates the VG,
# a pool with activation-skip, an XFS LV mounted on its path, writes STORAGE_OPTIONS and the
# state directory; list/export show it; deactivate/activate take it down and up; add-dev
# adds vdc; remove takes everything down, VG included, and the state directory.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

CSS=/usr/bin/container-storage-setup
STATE=/var/lib/container-storage-setup/web
systemctl start docker-storage-setup.service || fail "docker-storage-setup.service failed"

step "create"
assert_ok $CSS create -o /run/web.options web /usr/lib/css-vm/scenario/named.conf
assert_eq "$(lvs --noheadings -o lv_attr css-named/named-pool | tr -d ' ' | cut -c1)" t "named pool is a thin pool"
assert_match "$(lvs --noheadings -o lv_attr css-named/named-pool | tr -d ' ')" "k$" "activation-skip flag set"
assert_mounted /srv/named-root xfs /dev/mapper/css--named-named--root
assert_match "$(cat /run/web.options)" '^STORAGE_OPTIONS="--storage-driver devicemapper --storage-opt dm.fs=xfs --storage-opt dm.thinpooldev=/dev/mapper/css--named-named--pool ' "-o FILE"
for f in infile outfile metadata status; do assert_ok test -s $STATE/$f; done
assert_eq "$(cat $STATE/status)" active "status word"
assert_file_contains $STATE/metadata "^_M_METADATA_VERSION=1$"
assert_file_contains $STATE/metadata "^_M_VG_CREATED=1$"
assert_file_contains $STATE/metadata "^_M_DEVS_RESOLVED=/dev/vdb$"
assert_ok cmp $STATE/infile /usr/lib/css-vm/scenario/named.conf
assert_ok cmp $STATE/outfile /run/web.options
out=$($CSS create web /usr/lib/css-vm/scenario/named.conf 2>&1) && fail "create of an existing name succeeded"
assert_match "$out" "Storage configuration web already exists" "second create refused"

step "list and export"
assert_match "$($CSS list)" "web +devicemapper +active" "list table"
assert_match "$($CSS list web)" "CONTAINER_THINPOOL=named-pool" "list NAME"
assert_eq "$($CSS export web)" "$(cat /run/web.options)" "export"

step "deactivate, activate"
assert_ok $CSS deactivate web
assert_eq "$(cat $STATE/status)" inactive "status after deactivate"
assert_fails mountpoint -q /srv/named-root
assert_eq "$(lvs --noheadings -o lv_active css-named/named-pool | tr -d ' ')" "" "pool inactive"
assert_ok $CSS activate web
assert_eq "$(cat $STATE/status)" active "status after activate"
assert_mounted /srv/named-root xfs /dev/mapper/css--named-named--root
assert_eq "$(lvs --noheadings -o lv_active css-named/named-pool | tr -d ' ')" active "pool active again"

step "add-dev"
assert_ok $CSS add-dev web /dev/vdc
assert_eq "$(pvs --noheadings -o vg_name /dev/vdc1 | tr -d ' ')" css-named "vdc1 in the VG"
assert_file_contains $STATE/metadata "^_M_DEVS_RESOLVED='/dev/vdb /dev/vdc'$"

step "remove"
assert_ok $CSS remove web
assert_fails vgs css-named
assert_fails test -e $STATE
assert_fails mountpoint -q /srv/named-root
assert_eq "$($CSS list | wc -l)" 1 "list: the header only"
vm_dump_state
