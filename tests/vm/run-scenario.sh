#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Runs one VM scenario: builds (or reuses) the cached Atomic Host image, installs the
# project from a meson build directory into the guest through the initrd, boots qemu
# (TCG) as often as the guest asks, and reports the guest script's result.
#
#   tests/vm/run-scenario.sh [-B BUILDDIR] [-g GUEST] SCENARIO
#
# SCENARIO is a directory name under tests/vm/scenarios/ or a path to a scenario
# directory. BUILDDIR defaults to $CSS_BUILD_DIR. GUEST (bookworm, trixie) runs the scenario
# on that guest instead of the one its scenario.conf names. Exit: 0 pass, 1 fail, 77 skipped
# (no qemu, unless CSS_VM_TESTS_REQUIRED=1). See tests/vm/README.md.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib/vm.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib/vm.sh"

usage() {
        sed -n '7,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
        exit 2
}

# Scenario declaration defaults; scenario.conf overrides them (see README.md).
load_scenario() {
        local dir=$1 # $2: the guest that overrides the scenario's
        DISKS=()
        INSTALL_PROJECT=yes
        ENABLE_UNITS=()
        MAX_BOOTS=1
        KERNEL_ARGS=""
        GUEST=bookworm
        CLOUD_INIT=no
        DOCKER_UNIT=""
        SHUTDOWN=quick
        unset -f on_guest
        [[ -f $dir/guest.sh ]] || die "$dir has no guest.sh"
        if [[ -f $dir/scenario.conf ]]; then
                # shellcheck source=/dev/null
                source "$dir/scenario.conf"
        fi
        GUEST=${2:-$GUEST}
        # A scenario may adjust its declaration to the guest it runs on (e.g. fewer boots).
        if declare -F on_guest >/dev/null; then
                on_guest "$GUEST"
        fi
        # The Debian 12 scenarios were written for Fedora/Atomic's docker.service, which reads
        # the output file; on Debian 13 docker runs as the distribution ships it.
        if [[ -z $DOCKER_UNIT ]]; then
                if [[ $GUEST == bookworm ]]; then DOCKER_UNIT=atomic; else DOCKER_UNIT=shipped; fi
        fi
        case $DOCKER_UNIT in atomic | shipped) ;; *) die "DOCKER_UNIT must be atomic or shipped" ;; esac
        case $CLOUD_INIT in yes | no) ;; *) die "CLOUD_INIT must be yes or no" ;; esac
        case $SHUTDOWN in quick | shipped) ;; *) die "SHUTDOWN must be quick or shipped" ;; esac
}

# SHUTDOWN=quick: blk-availability.service masked. Debian enables it; at shutdown it runs
# blkdeactivate, which unmounts and deactivates every VG one command at a time: 9-10 s of each
# reboot under TCG with docker-vg active (tests/vm/README.md). Without it systemd unmounts the
# mounts and systemd-shutdown removes the device-mapper devices, as on distributions that leave
# it disabled (Fedora); the disks hold the same. `shipped` keeps Debian's shutdown (06, 40).
stage_shutdown() {
        local root=$1
        [[ $SHUTDOWN == quick ]] || return 0
        mkdir -p "$root/etc/systemd/system"
        ln -sfn /dev/null "$root/etc/systemd/system/blk-availability.service"
}

# Atomic's docker.service: a drop-in that makes the distribution's unit read the output file.
stage_docker_unit() {
        local root=$1
        [[ $DOCKER_UNIT == atomic ]] || return 0
        install -D -m 0644 "$CSS_VM_DIR/guest/docker-atomic-unit.conf" "$root/etc/systemd/system/docker.service.d/css-vm.conf"
}

# A copy-on-write overlay of the cached image, and the scenario's extra disks: sparse
# raw files, blank or with a signature written on the host (SIZE:ext4).
make_disks() {
        local image=$1 work=$2 spec size kind i=0 disk
        qemu-img create -q -f qcow2 -b "$image/base.raw" -F raw "$work/vda.qcow2"
        VM_DRIVES=("file=$work/vda.qcow2,format=qcow2,cache=unsafe,discard=unmap|css-root")
        EXTRA_DISKS=()
        for spec in "${DISKS[@]}"; do
                i=$((i + 1))
                size=${spec%%:*}
                kind=${spec#"$size"}
                kind=${kind#:}
                disk=$work/extra$i.raw
                truncate -s "$size" "$disk"
                case $kind in
                "") ;;
                ext4) mkfs.ext4 -q -F -L "css-extra$i" "$disk" ;;
                *) die "unknown disk content '$kind' in DISKS ($spec)" ;;
                esac
                EXTRA_DISKS+=("$disk")
                VM_DRIVES+=("file=$disk,format=raw,cache=unsafe,discard=unmap|css-extra$i")
        done
        # A scenario can write anything else on its disks from the host.
        if declare -F prepare_disks >/dev/null; then
                prepare_disks "${EXTRA_DISKS[@]}"
        fi
}

stage_guest() {
        local scenario=$1 stage=$2 builddir=$3 logdir=$4
        vm_stage_harness "$stage"
        vm_stage_guest_script "$stage" "$scenario"
        vm_stage_enable_units "$stage" "${ENABLE_UNITS[@]}"
        stage_docker_unit "$stage/css-vm/root"
        stage_shutdown "$stage/css-vm/root"
        if [[ $INSTALL_PROJECT == yes ]]; then
                [[ -n $builddir ]] || die "this scenario installs the project: give a build directory (-B or CSS_BUILD_DIR)"
                vm_stage_project "$stage" "$builddir" "$logdir/meson-install.log"
        fi
        # After the project: the scenario's files replace the shipped ones (the config stub).
        if [[ -d $scenario/firstboot ]]; then
                cp -a "$scenario/firstboot/." "$stage/css-vm/firstboot/"
        fi
        if [[ -f $scenario/docker-storage-setup ]]; then
                install -D -m 0644 "$scenario/docker-storage-setup" "$stage/css-vm/firstboot/etc/sysconfig/docker-storage-setup"
        fi
        # A scenario's own files for the guest's root, copied at every boot (README).
        if declare -F stage_files >/dev/null; then
                stage_files "$stage/css-vm/root" "$builddir"
        fi
}

# shellcheck disable=SC2034 # the VM_* globals are vm_boot's input (lib/vm.sh)
main() {
        local builddir=${CSS_BUILD_DIR:-} guest="" opt
        while getopts B:g:h opt; do
                case $opt in
                B) builddir=$OPTARG ;;
                g) guest=$OPTARG ;;
                *) usage ;;
                esac
        done
        shift $((OPTIND - 1))
        (($# == 1)) || usage
        local scenario=$1
        [[ -d $scenario ]] || scenario=$CSS_VM_DIR/scenarios/$1
        [[ -d $scenario ]] || die "no scenario $1 (looked in $CSS_VM_DIR/scenarios)"
        scenario=$(cd "$scenario" && pwd)
        [[ -z $builddir ]] || builddir=$(cd "$builddir" && pwd)
        local name
        name=$(basename "$scenario")

        require_host_tools qemu-img cpio timeout
        load_scenario "$scenario" "$guest"
        [[ -z $guest ]] || name+="@$guest"

        local start=$SECONDS image logdir work
        image=$("$CSS_VM_DIR/image/build-layout.sh" "$GUEST")
        logdir=${CSS_VM_LOGDIR:-${builddir:-/var/tmp}/meson-logs/vm}/$name
        rm -rf "$logdir"
        mkdir -p "$logdir/artefacts"
        work=$(mktemp -d "${CSS_VM_WORKDIR:-/var/tmp}/css-vm-$name.XXXXXX")
        # shellcheck disable=SC2064 # expand now: $work is local
        [[ ${CSS_VM_KEEP:-0} == 1 ]] || trap "rm -rf '$work'" EXIT

        log "scenario $name on $GUEST (logs and artefacts: $logdir)"
        stage_guest "$scenario" "$work/stage" "$builddir" "$logdir"
        vm_make_initrd "$image/initrd.img" "$work/stage" "$work/initrd.img"
        make_disks "$image" "$work"
        VM_KERNEL=$image/vmlinuz
        VM_INITRD=$work/initrd.img
        VM_CMDLINE="root=/dev/mapper/atomicos-root rw $KERNEL_ARGS"
        [[ $CLOUD_INIT == yes ]] || VM_CMDLINE+=" $VM_CLOUD_INIT_OFF"
        VM_SHARE=$logdir/artefacts
        # For the scenario's hooks (README): its work directory (extra disks live there) and,
        # with a during_boot hook, qemu's monitor socket.
        VM_WORKDIR=$work
        VM_MONITOR=""
        if declare -F during_boot >/dev/null; then
                VM_MONITOR=$work/monitor.sock
        fi

        local rc=0
        vm_run_boots "$logdir" "$MAX_BOOTS" || rc=$?
        if ((rc == vm_emulator_fault_rc)); then
                # Seen with Debian 13's kernel under multi-threaded TCG, in a kernel thread (rcu_preempt)
                # after systemd had started: an int3 Oops where the kernel patches its own code. Not
                # the guest's doing, but guest programs ran: the whole scenario again, on fresh
                # disks, once. The first attempt's logs are kept beside (*.emulator-fault).
                log "WARNING: the emulator's fault, not the scenario's: running it again from the start on fresh disks"
                local f
                for f in "$logdir"/serial-boot-* "$logdir"/during-boot-*.log; do
                        [[ ! -e $f || $f == *.emulator-fault ]] || mv "$f" "$f.emulator-fault"
                done
                mv "$logdir/artefacts" "$logdir/artefacts.emulator-fault"
                mkdir -p "$logdir/artefacts"
                # Everything the first attempt left in the work directory but the staged guest:
                # truncate(1) alone would keep the old disks' data.
                find "$work" -mindepth 1 -maxdepth 1 ! -name stage ! -name initrd.img -exec rm -rf {} +
                make_disks "$image" "$work"
                rc=0
                vm_run_boots "$logdir" "$MAX_BOOTS" || rc=$?
                ((rc != vm_emulator_fault_rc)) || rc=1
        fi
        if ((rc == 0)); then
                log "PASS $name in $((SECONDS - start)) s (logs: $logdir)"
        else
                log "FAIL $name (rc $rc) in $((SECONDS - start)) s (logs: $logdir)"
        fi
        exit "$rc"
}

# shellcheck disable=SC2317 # main exits; this exit only guards against edits of a running script
{ main "$@"; exit; }
