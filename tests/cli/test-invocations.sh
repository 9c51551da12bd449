#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The command-line contract of container-storage-setup: exit 0 when done (or valid),
# 1 when the configuration is invalid or the work failed, 2 for a usage error (every
# command); --help and --version on stdout. No LVM is needed: the fake root's "/" is a disk.
#
#   test-invocations.sh BINARY VERSION
set -u

version=$2
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh" "$1"

printf 'STORAGE_DRIVER=overlay2\n' >"$scratch/good.conf"
printf 'STORAGE_DRIVER=zfs\n' >"$scratch/bad.conf"

expect 0 stdout '^Usage: container-storage-setup' -- --help
expect 0 stdout '^Usage: container-storage-setup' -- -h
expect 0 stdout "^${version//./\\.}\$" -- --version
expect 0 stdout "^${version//./\\.}\$" -- -v
expect 2 stderr 'Unknown command frobnicate' -- frobnicate
expect 2 stderr "Unknown option '--frob'" -- --frob
expect 0 stdout '^Usage: container-storage-setup check' -- check --help
expect 0 stdout '^STORAGE_DRIVER=devicemapper$' -- check
expect 0 stdout '^STORAGE_DRIVER=overlay2$' -- check good.conf
expect 0 stdout '^STORAGE_DRIVER=overlay2$' -- check -- good.conf
expect 0 stdout '"STORAGE_DRIVER": "overlay2"' -- check --json good.conf
expect 0 stdout '"STORAGE_DRIVER": "overlay2"' -- check good.conf --json
expect 1 stderr 'Invalid storage driver: zfs\.' -- check bad.conf
expect 1 stderr "Failed to read 'missing.conf': No such file or directory" -- check missing.conf
expect 2 stderr 'Too many arguments' -- check good.conf bad.conf
expect 2 stderr "Unknown option '--frob'" -- check --frob good.conf
# docker-storage-setup.service's checks (issue 15): a step that did not succeed, or none to ask
# (no system bus here, or no such unit on a real host), and the generator's reason.
expect 1 stderr 'css-no-such-step\.service is not loaded|Failed to ask systemd for the result of the setup steps' -- check --step css-no-such-step.service good.conf
expect 1 stderr 'The generator could not write the units of this configuration, so no setup step ran: a reason$' -- check --generator-error 'a reason' good.conf
expect 1 none '' -- check --generator-error 'a reason' good.conf
if [ -s "$scratch/out" ]; then
        echo "FAIL check --generator-error wrote the settings"
        failures=$((failures + 1))
fi
expect 2 stderr "Option '--step' needs a value" -- check good.conf --step

# Invalid output produces nothing on stdout.
expect 1 none '' -- check bad.conf
if [ -s "$scratch/out" ]; then
        echo "FAIL check bad.conf wrote to stdout"
        failures=$((failures + 1))
fi

# Every command: -h is help on stdout (0); a wrong number of arguments is a usage error (2),
# where the original printed its help and exited 0; an unknown option too.
for c in plan status create activate deactivate remove list export add-dev export-images import-images; do
        expect 0 stdout "^Usage: container-storage-setup $c" -- "$c" --help
        expect 2 stderr "Unknown option '--frob' for $c" -- "$c" --frob
done
for c in plan status; do expect 2 stderr "Wrong number of arguments for $c" -- "$c" extra; done
expect 2 stderr 'Wrong number of arguments for create' -- create only-name
expect 2 stderr 'Wrong number of arguments for create' -- create a b c
expect 2 stderr "Option '-o' needs a value" -- create a b -o
for c in activate deactivate remove export; do
        expect 2 stderr "Wrong number of arguments for $c" -- "$c"
        expect 2 stderr "Wrong number of arguments for $c" -- "$c" a b
done
expect 2 stderr 'Wrong number of arguments for list' -- list a b
expect 2 stderr 'Wrong number of arguments for add-dev' -- add-dev a
expect 2 stderr '--reset takes no arguments' -- --reset now
for c in export-images import-images; do
        expect 2 stderr "Wrong number of arguments for $c" -- "$c"
        expect 2 stderr "Wrong number of arguments for $c" -- "$c" a b
done
# export-images and import-images (issue 17): what is refused before any engine is asked.
expect 1 stderr "The export directory must be an absolute path, not 'relative'" -- export-images relative
expect 1 stderr '--engine must be docker or podman' -- export-images --engine containerd /var/tmp/x
expect 1 stderr "No export in $scratch: manifest.json cannot be read" -- import-images "$scratch"
mkdir -p "$scratch/export/volumes"
printf 'saved' >"$scratch/export/volumes/data.tar"
cat >"$scratch/export/manifest.json" <<'JSON'
{"format": 1, "engine": "podman", "images": [], "volumes": ["data"],
 "files": [{"path": "volumes/data.tar", "sha256": "0000000000000000000000000000000000000000000000000000000000000000", "bytes": 5}]}
JSON
expect 1 stderr 'volumes/data.tar does not match the manifest.s SHA-256: not importing anything' -- import-images "$scratch/export"
expect 1 stderr 'The export was made with podman, not docker' -- import-images --engine docker "$scratch/export"
printf '{"format": 1, "engine": "podman", "images": [], "volumes": ["../etc"], "files": []}' >"$scratch/export/manifest.json"
expect 1 stderr "Invalid volume name '\.\./etc' in the manifest" -- import-images "$scratch/export"
# Commands on a configuration that does not exist: 1.
for c in activate deactivate remove export list; do
        expect 1 stderr '^(<3>)?(ERROR: )?Storage configuration nosuch does not exist' -- "$c" nosuch
done
expect 1 stderr 'Storage configuration nosuch does not exist' -- add-dev nosuch /dev/null
expect 1 stderr "Invalid storage configuration name '\.\.'" -- create .. good.conf

# No command: compat mode. With STORAGE_DRIVER= and "/" not on LVM every step has nothing to
# do (no lvm, no disk touched): 0, and no output file, as the original.
printf 'STORAGE_DRIVER=\n' >"$CSS_ROOT/etc/sysconfig/docker-storage-setup"
expect 0 stderr 'STORAGE_DRIVER not set, no storage will be configured\.\.\.' --
check test ! -e "$CSS_ROOT/etc/sysconfig/docker-storage" -- "compat mode with no driver writes no output file"
check test -e "$CSS_ROOT/run/container-storage-setup/lock" -- "compat mode took the global lock"
# The settings are read once the lock is ours: an edit made while we waited is what counts.
flock "$CSS_ROOT/run/container-storage-setup/lock" sleep 3 &
holder=$!
sleep 0.5
(sleep 1.5; printf 'STORAGE_DRIVER=zfs\n' >"$CSS_ROOT/etc/sysconfig/docker-storage-setup") &
CSS_LOCK_TIMEOUT=10 expect 1 stderr 'Invalid storage driver: zfs\.' --
wait "$holder"
printf 'STORAGE_DRIVER=\n' >"$CSS_ROOT/etc/sysconfig/docker-storage-setup"
expect 0 stdout '^== write-storage-config \(css-write-storage-config\.service\)$' -- plan
expect 0 stdout '^== write-storage-config' -- --dry-run
expect 0 stdout '"result": "ok"' -- plan --json
expect 0 stdout '^Output: /etc/sysconfig/docker-storage \(missing\)$' -- status
expect 0 stdout '"exists": false' -- status --json
expect 0 none '' -- --reset
# switch (issue 17): the plan first; no systemd and no engine here, so the switch is the setup.
expect 1 stderr "The export directory must be an absolute path, not 'relative'" -- switch --export relative
expect 0 stdout '^[0-9]\. set up the storage as configured: check-engine, vg, growpart' -- switch --dry-run
check test ! -e "$CSS_ROOT/var/lib/container-storage-setup/.switch" -- "switch --dry-run records nothing"
expect 0 stdout '"set_up": \[' -- switch --dry-run --json
python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); assert d["resumed"] is False and d["phase"] == "exporting" and d["remove"] is None and d["set_up"][0] == "check-engine", d' "$scratch/out" ||
        { echo "FAIL switch --dry-run --json: $(cat "$scratch/out")"; failures=$((failures + 1)); }
expect 2 stderr '--json goes with --dry-run' -- switch --json
printf 'DOCKER_STORAGE_OPTIONS="--storage-driver overlay2 "\n' >"$CSS_ROOT/etc/sysconfig/docker-storage"
expect 1 stderr 'There is no record of the configuration the storage was set up from' -- switch
rm "$CSS_ROOT/etc/sysconfig/docker-storage"
expect 0 stderr 'The storage is switched to what /etc/sysconfig/docker-storage-setup says' -- switch
check test ! -e "$CSS_ROOT/var/lib/container-storage-setup/.switch" -- "a finished switch leaves no record"
# A switch that stopped half-way: the engines' check fails with what to do, until it is finished.
mkdir -p "$CSS_ROOT/var/lib/container-storage-setup"
printf '{"format": 1, "phase": "removed", "old_config": "", "export_dir": "", "engines": [], "data_dir": "", "data_dir_aside": ""}' \
        >"$CSS_ROOT/var/lib/container-storage-setup/.switch"
expect 1 stderr "A storage switch is not finished \(phase removed\).*Run 'container-storage-setup switch' to finish it" --
expect 1 stderr 'already-begun|not finished; it exports' -- switch --export /var/tmp/elsewhere
expect 0 stdout '^The switch begun earlier goes on, from phase removed:$' -- switch
check test ! -e "$CSS_ROOT/var/lib/container-storage-setup/.switch" -- "the finished switch removed its record"
printf '{' >"$CSS_ROOT/var/lib/container-storage-setup/.switch"
expect 1 stderr 'is damaged; remove it only after checking the storage by hand' -- switch
rm "$CSS_ROOT/var/lib/container-storage-setup/.switch"
printf 'STORAGE_DRIVER=devicemapper\n' >"$CSS_ROOT/etc/sysconfig/docker-storage-setup"
# devicemapper with no VG at all: the original's message, and the run stops there.
expect 1 stderr 'No valid volume group found\. Exiting\.' --
expect 1 stdout '^== thinpool' -- plan
if grep -q '^== create-lv' "$scratch/out"; then
        echo "FAIL plan went on after the failing step"
        failures=$((failures + 1))
fi
printf 'STORAGE_DRIVER=zfs\n' >"$CSS_ROOT/etc/sysconfig/docker-storage-setup"
for args in "" "--reset" "plan" "status"; do
        # shellcheck disable=SC2086
        expect 1 stderr 'Invalid storage driver: zfs\.' -- $args
done
rm "$CSS_ROOT/etc/sysconfig/docker-storage-setup"

# The default input is /etc/sysconfig/docker-storage-setup under CSS_ROOT; FILE is not.
mkdir -p "$CSS_ROOT/etc/sysconfig"
printf 'STORAGE_DRIVER=overlay\n' >"$CSS_ROOT/etc/sysconfig/docker-storage-setup"
expect 0 stdout '^STORAGE_DRIVER=overlay$' -- check
expect 0 stdout '^STORAGE_DRIVER=overlay2$' -- check good.conf
# An installed defaults file replaces the built-in defaults.
mkdir -p "$CSS_ROOT/usr/share/container-storage-setup"
# A key the installed file leaves out is unset, as when the original sourced it.
printf 'STORAGE_DRIVER=devicemapper\nAUTO_EXTEND_POOL=yes\n' \
        >"$CSS_ROOT/usr/share/container-storage-setup/container-storage-setup"
rm "$CSS_ROOT/etc/sysconfig/docker-storage-setup"
expect 1 stderr 'DATA_SIZE not specified\.' -- check
expect 1 stderr 'POOL_AUTOEXTEND_THRESHOLD not specified' -- check
printf 'DATA_SIZE=7G\nSTORAGE_DRIVER=devicemapper\n' \
        >"$CSS_ROOT/usr/share/container-storage-setup/container-storage-setup"
expect 0 stdout '^DATA_SIZE=7G$' -- check
expect 0 stdout '^AUTO_EXTEND_POOL=no$' -- check

# A failing stdout is an error, not a silent success.
if [ -w /dev/full ]; then
        (cd "$scratch" && "$binary" check good.conf >/dev/full 2>"$scratch/err")
        if [ $? -ne 1 ]; then
                echo "FAIL check >/dev/full did not exit 1"
                failures=$((failures + 1))
        else
                echo "ok   container-storage-setup check good.conf >/dev/full -> 1"
        fi
fi

finish
