#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The named configurations' state directory (the original's layout, upstream-reference §3) and
# the global lock, on a fake root. Configurations with STORAGE_DRIVER= need no LVM: create
# sets nothing up and saves the state.
#
#   test-named-state.sh BINARY
set -u
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh" "$1"

state=$CSS_ROOT/var/lib/container-storage-setup
lock=$CSS_ROOT/run/container-storage-setup/lock
printf 'STORAGE_DRIVER=\nDEVICE_WAIT_TIMEOUT=7\n' >"$scratch/none.conf"

# --- create, layout -------------------------------------------------------------------------
expect 0 stdout '^Created storage configuration web$' -- create -o web.out web none.conf
for f in infile outfile metadata status; do
        check test -f "$state/web/$f" -- "web/$f exists"
done
check cmp -s "$scratch/none.conf" "$state/web/infile" -- "infile is a copy of INFILE"
check test "$(cat "$state/web/status")" = active -- "status is the one word 'active'"
check test ! -s "$scratch/web.out" -- "-o FILE: empty for STORAGE_DRIVER= (the original touched it)"
cat >"$scratch/metadata.expected" <<'META'
_M_METADATA_VERSION=1
_M_STORAGE_DRIVER=''
_M_VG=''
_M_VG_CREATED=0
_M_DEVS_RESOLVED=''
_M_CONTAINER_THINPOOL=''
_M_CONTAINER_ROOT_LV_NAME=''
_M_CONTAINER_ROOT_LV_MOUNT_PATH=''
_M_AUTO_EXTEND_POOL=yes
_M_DEVICE_WAIT_TIMEOUT=7
META
check diff -u "$scratch/metadata.expected" "$state/web/metadata" -- "metadata: _M_ assignments"
# The metadata is shell: sh reads it back as the original's scripts did.
check test "$(sh -c ". '$state/web/metadata'; echo \$_M_DEVICE_WAIT_TIMEOUT")" = 7 -- "metadata is valid sh"

expect 1 stderr 'Storage configuration web already exists' -- create web none.conf
expect 1 stderr 'File missing.conf does not exist\.' -- create other missing.conf
check test ! -e "$state/other" -- "a failed create leaves no state"

# --- named mode reads INFILE without the compat presets -------------------------------------
printf 'STORAGE_DRIVER=devicemapper\n' >"$scratch/dm.conf"
expect 1 stderr 'CONTAINER_THINPOOL must be defined for the devicemapper storage driver\.' -- create dm dm.conf
printf 'STORAGE_DRIVER=overlay2\nDOCKER_ROOT_VOLUME=yes\n' >"$scratch/drv.conf"
expect 1 stderr 'DOCKER_ROOT_VOLUME is deprecated\. Use CONTAINER_ROOT_LV_MOUNT_PATH instead\.' -- create drv drv.conf
check test ! -e "$state/dm" -a ! -e "$state/drv" -- "invalid INFILEs leave no state"

# --- list, export ---------------------------------------------------------------------------
expect 0 stdout '^Created storage configuration api$' -- create api none.conf
expect 0 stdout '^NAME                    DRIVER          STATUS          $' -- list
check grep -qx 'api                                     active          ' "$scratch/out" -- "list: 24/16/16 columns"
check test "$(sed -n 2p "$scratch/out" | cut -c1-3)$(sed -n 3p "$scratch/out" | cut -c1-3)" = apiweb -- "list: sorted"
expect 0 stdout '^Status: active$' -- list web
check grep -qx 'Name: web' "$scratch/out" -- "list NAME: Name:"
expect 0 stdout '"name": "api"' -- list --json
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert [c["name"] for c in d["configurations"]] == ["api","web"]' "$scratch/out" &&
        echo "ok   list --json is JSON" || { echo "FAIL list --json is not the expected JSON"; failures=$((failures + 1)); }
expect 0 none '' -- export web
check test ! -s "$scratch/out" -- "export prints the (empty) outfile"
printf 'STORAGE_OPTIONS="--storage-driver overlay2 "\n' >"$state/web/outfile"
expect 0 stdout '^STORAGE_OPTIONS="--storage-driver overlay2 "$' -- export web
rm "$state/web/outfile"
expect 1 stderr "Failed to read '.*/web/outfile'" -- export web

# A damaged configuration is reported by name, the others still listed.
echo bogus >"$state/api/status"
expect 0 stderr "Invalid status 'bogus'" -- list
check grep -q '^web ' "$scratch/out" -- "list goes on past a damaged configuration"
expect 1 stderr "Invalid status 'bogus'" -- list api
expect 1 stderr "Invalid status 'bogus'" -- activate api
echo active >"$state/api/status"

# --- activate/deactivate/remove of a configuration without volumes --------------------------
expect 0 stdout '^Deactivated storage config web$' -- deactivate web
check test "$(cat "$state/web/status")" = inactive -- "status inactive"
expect 0 stdout '^Activated storage config web$' -- activate web
check test "$(cat "$state/web/status")" = active -- "status active"
echo invalid >"$state/web/status"
expect 1 stderr 'Storage configuration web is invalid' -- activate web
expect 0 stdout '^Removed storage configuration web$' -- remove web
check test ! -e "$state/web" -- "remove deletes the state directory"
expect 1 stderr 'Storage configuration web does not exist' -- export web
expect 1 stderr 'has no volume group to add' -- add-dev api /dev/null

# --- the global lock ------------------------------------------------------------------------
# Another process holds it until told to let go (not for a fixed time: under ASan at the lowest
# priority beside the VM suite, the commands below took longer than the 6 s it once held it):
# the original's messages, and the timeout.
# shellcheck disable=SC2016 # $1 is the inner shell's
flock "$lock" sh -c 'until [ -e "$1" ]; do sleep 0.1; done' sh "$scratch/release" &
holder=$!
until ! flock -n "$lock" true; do sleep 0.05; done
CSS_LOCK_TIMEOUT=2 expect 1 stderr 'Timed out while waiting to acquire lock .*/run/container-storage-setup/lock' -- list
check grep -q 'Waiting to acquire lock' "$scratch/err" -- "'Waiting to acquire lock' while waiting"
for args in "create x none.conf" "" "--reset" "remove api" "export api"; do
        # shellcheck disable=SC2086
        CSS_LOCK_TIMEOUT=0 expect 1 stderr 'Timed out while waiting to acquire lock' -- $args
done
# plan, status and check change nothing and do not wait.
printf 'STORAGE_DRIVER=\n' >"$CSS_ROOT/etc/sysconfig/docker-storage-setup"
for c in plan status check; do CSS_LOCK_TIMEOUT=0 expect 0 none '' -- $c; done
# Waiting long enough gets the lock once the holder is gone. The holder lets go once the waiter
# has said it waits (a fixed delay raced the waiter's start under ASan at the lowest priority).
rm -f "$scratch/err"
(
        for _ in $(seq 600); do grep -qs 'Waiting to acquire lock' "$scratch/err" && break; sleep 0.1; done
        touch "$scratch/release"
) &
CSS_LOCK_TIMEOUT=30 expect 0 stderr 'Waiting to acquire lock' -- list
wait "$holder"
CSS_LOCK_TIMEOUT=x expect 1 stderr "Invalid CSS_LOCK_TIMEOUT 'x'" -- list

# Two of our own processes creating the same name at once: the lock makes exactly one win.
for i in 1 2 3 4; do
        (cd "$scratch" && "$binary" create race none.conf >"$scratch/race.$i" 2>&1) &
done
wait
check test "$(cat "$scratch"/race.* | grep -c '^Created storage configuration race$')" = 1 -- "one of four concurrent creates wins"
check test "$(cat "$scratch"/race.* | grep -c 'Storage configuration race already exists')" = 3 -- "the three others are refused"

finish
