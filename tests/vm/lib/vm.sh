# SPDX-License-Identifier: Apache-2.0
# Host side of the VM harness: staging the per-run files into an initrd, booting qemu
# and reading the result from the serial console. Sourced, never executed.
# shellcheck shell=bash source-path=SCRIPTDIR
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# Seconds one boot may take before it counts as a hang. TCG boots take about 30 s.
: "${CSS_VM_BOOT_TIMEOUT:=300}"
: "${CSS_VM_MEMORY:=2G}"
# CSS_VM_KERNEL_ARGS: appended to every boot's kernel command line, for debugging:
# e.g. "loglevel=7 systemd.show_status=1" brings back what "quiet" hides.

# --- staging: the files that the initrd's init-bottom script copies into the root ---

# STAGE/css-vm/root is copied at every boot, STAGE/css-vm/firstboot at the first only.
vm_stage_harness() {
        local stage=$1 root=$1/css-vm/root guest=$CSS_VM_DIR/guest
        mkdir -p "$root/usr/lib/css-vm" "$root/etc/systemd/system/emergency.service.d" "$stage/css-vm/firstboot"
        install -m 0755 "$guest/runner" "$root/usr/lib/css-vm/runner"
        install -m 0644 "$guest/lib.sh" "$root/usr/lib/css-vm/lib.sh"
        install -m 0644 "$guest/css-vm.target" "$guest/css-vm-runner.service" "$root/etc/systemd/system/"
        install -m 0644 "$guest/emergency.service.d/css-vm.conf" "$root/etc/systemd/system/emergency.service.d/"
        # Not copied into the root: initramfs-tools scripts for the initrd itself.
        vm_stage_initramfs_script "$stage" init-premount css-vm-rootwait
        vm_stage_initramfs_script "$stage" local-block css-vm-root-fallback
}

# An initramfs-tools boot script of the harness in STAGE/scripts/PHASE, with the ORDER file
# that runs it (the cached initrd has no scripts of its own in these phases).
vm_stage_initramfs_script() {
        local stage=$1 phase=$2 name=$3
        mkdir -p "$stage/scripts/$phase"
        install -m 0755 "$CSS_VM_DIR/guest/initramfs/$name" "$stage/scripts/$phase/"
        printf '%s\n' "/scripts/$phase/$name \"\$@\"" \
                '[ -e /conf/param.conf ] && . /conf/param.conf' >"$stage/scripts/$phase/ORDER"
}

# SOURCE is a scenario directory (guest.sh and whatever else it holds, for the guest
# script to use) or a single script, installed as guest.sh.
vm_stage_guest_script() {
        local stage=$1 source=$2 dest=$1/css-vm/root/usr/lib/css-vm/scenario
        mkdir -p "$dest"
        if [[ -d $source ]]; then
                cp -a "$source/." "$dest/"
        else
                install -m 0755 "$source" "$dest/guest.sh"
        fi
}

# Units the scenario wants started at boot (e.g. docker.service), as `systemctl enable`
# would do for WantedBy=multi-user.target.
vm_stage_enable_units() {
        local stage=$1 unit wants=$1/css-vm/root/etc/systemd/system/multi-user.target.wants
        shift
        for unit in "$@"; do
                mkdir -p "$wants"
                ln -sfn "/usr/lib/systemd/system/$unit" "$wants/$unit"
        done
}

# The guest is merged-/usr: /lib, /bin, /sbin are symlinks into /usr there, and cp
# cannot copy a directory over a symlink. Debian 12's systemd.pc still says
# /lib/systemd/system-generators, so move such top-level directories under usr/.
vm_usrmerge() {
        local dir=$1 d
        for d in bin sbin lib lib32 lib64 libx32; do
                [[ -d $dir/$d && ! -L $dir/$d ]] || continue
                mkdir -p "$dir/usr/$d"
                cp -a "$dir/$d/." "$dir/usr/$d/"
                rm -rf "${dir:?}/$d"
        done
}

# The project as `meson install --strip` lays it out: stripped as a package ships it (with
# their debug info the helpers made the initrd 170 MB, seconds of unpacking at every boot).
# Like a package's conffiles, what it puts in /etc is installed at the first boot only (a
# scenario may change it and reboot); everything else is copied again at every boot.
vm_stage_project() {
        local stage=$1 builddir=$2 logfile=$3
        [[ -f $builddir/build.ninja ]] || die "$builddir is not a meson build directory"
        local prefix
        prefix=$(meson introspect --buildoptions "$builddir" 2>/dev/null |
                python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "prefix"))' || true)
        # systemd also reads /usr/local/lib/systemd, but a distribution installs to /usr.
        [[ $prefix == /usr ]] || log "note: $builddir has prefix '$prefix'; the guest gets the project there"
        log "installing the project from $builddir into the guest (log: $logfile)"
        local dest=$stage/css-vm/project
        # CSS_VM_NO_REBUILD=1 (tests/run-all.sh): the build is done before the VM suite starts;
        # install what was built rather than start a ninja beside the slow lane's tests.
        meson install -C "$builddir" ${CSS_VM_NO_REBUILD:+--no-rebuild} --destdir "$dest" --strip >"$logfile" 2>&1 ||
                { tail -n 30 "$logfile" >&2; die "meson install failed (see $logfile)"; }
        vm_usrmerge "$dest"
        if [[ -d $dest/etc ]]; then
                mkdir -p "$stage/css-vm/firstboot/etc"
                cp -a "$dest/etc/." "$stage/css-vm/firstboot/etc/"
                rm -rf "${dest:?}/etc"
        fi
        cp -a "$dest/." "$stage/css-vm/root/"
        rm -rf "$dest"
}

# The cached initrd with the staged files appended as an uncompressed cpio. The
# kernel unpacks concatenated archives, but only at an aligned start: pad first, an
# unaligned append fails with "invalid magic" and the files silently never arrive.
vm_make_initrd() {
        local base=$1 stage=$2 out=$3 size dirs=(css-vm)
        [[ ! -d $stage/scripts ]] || dirs+=(scripts)
        cp "$base" "$out"
        size=$(stat -c %s "$out")
        truncate -s $(((size + 511) / 512 * 512)) "$out"
        (cd "$stage" && find "${dirs[@]}" | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >>"$out"
}

# --- booting ---

# Every boot: serial console, quiet (saves about 3 s), a panic ends qemu (-no-reboot),
# straight to the harness' target. No modules for hardware that TCG's "-cpu max"
# pretends to have or that the tests never use: kvm_amd under emulated SVM can hang
# the boot (soft lockups seen in the builder VM), floppy and pcspkr only cost time.
# no_timer_check: on a busy host TCG is slow enough for the kernel's IO-APIC timer
# check to fail and panic at 0.07 s ("IO-APIC + timer doesn't work!"), seen here.
# Never rootdelay=: initramfs-tools sleeps that long at every boot (guest/initramfs/).
# tsc=reliable clocksource=tsc: the kernel finds TCG's TSCs "unsynchronized" and falls back to
# the HPET, which no vDSO can read: every clock_gettime is then a system call and an emulated
# device read. mitigations=off: no speculation barriers in an emulated CPU. The measurement is in
# tests/vm/README.md.
VM_COMMON_CMDLINE="console=ttyS0 quiet panic=-1 no_timer_check tsc=reliable clocksource=tsc mitigations=off systemd.unit=css-vm.target modprobe.blacklist=kvm,kvm_amd,kvm_intel,floppy,pcspkr,powernow_k8"

# cloud-init is installed in every image but runs only where a scenario asks for it
# (CLOUD_INIT=yes): its own units and generator honour this, and so does ours.
VM_CLOUD_INIT_OFF="cloud-init=disabled"

# Globals a caller sets before vm_boot:
#   VM_KERNEL, VM_INITRD, VM_CMDLINE   the kernel, the per-run initrd, its command line
#   VM_DRIVES                          array of qemu -drive values (no if=), vda first;
#                                      an entry may end in "|SERIAL", the disk's serial
#   VM_SHARE                           host directory shared as 9p tag css_artefacts
# vm_boot SERIAL_LOG NONCE prints one word: result:RC, reboot, timeout, panic,
# emergency or nomarker.
vm_boot() {
        local serial=$1 nonce=$2 drive i=0 rc=0
        # shellcheck disable=SC2054 # commas inside qemu option values
        local -a args=(
                -name css-vm -machine pc -accel tcg,thread=multi -cpu max -smp 2 -m "$CSS_VM_MEMORY"
                -nodefaults -no-reboot -display none -nic none -device virtio-rng-pci
                -serial "file:$serial" -pidfile "$serial.pid"
                -kernel "$VM_KERNEL" -initrd "$VM_INITRD"
                -append "$VM_CMDLINE $VM_COMMON_CMDLINE ${CSS_VM_KERNEL_ARGS:-} css_vm.nonce=$nonce"
        )
        # virtio-blk devices in order: vda, vdb, ... The serial (for /dev/disk/by-id) is
        # a property of the device, not of -drive.
        for drive in "${VM_DRIVES[@]}"; do
                i=$((i + 1))
                args+=(-drive "${drive%%|*},if=none,id=disk$i")
                if [[ $drive == *"|"* ]]; then
                        args+=(-device "virtio-blk-pci,drive=disk$i,serial=${drive#*|}")
                else
                        args+=(-device "virtio-blk-pci,drive=disk$i")
                fi
        done
        if [[ -n ${VM_SHARE:-} ]]; then
                args+=(-virtfs "local,path=$VM_SHARE,mount_tag=css_artefacts,security_model=none,id=css_artefacts")
        fi
        # A human monitor (HMP) socket for a scenario's during_boot hook (vm_monitor).
        if [[ -n ${VM_MONITOR:-} ]]; then
                rm -f "$VM_MONITOR"
                args+=(-monitor "unix:$VM_MONITOR,server=on,wait=off")
        fi
        vm_take_slot
        timeout --kill-after=10 "$CSS_VM_BOOT_TIMEOUT" qemu-system-x86_64 "${args[@]}" \
                >"$serial.qemu" 2>&1 </dev/null || rc=$?
        vm_release_slot
        vm_classify_boot "$serial" "$nonce" "$rc"
}

# At most CSS_VM_SLOTS (default 2) guests run at once on this machine, whoever starts them:
# TCG guests on a 2-core host slow down so much past that that boots time out. A slot is
# an flock on $CSS_VM_CACHE/slot-N, let go when qemu exits (or this shell dies). The boot
# timeout only starts once a slot is ours.
vm_take_slot() {
        local n slots=${CSS_VM_SLOTS:-2} waited=0
        mkdir -p "$CSS_VM_CACHE"
        for (( ; ; waited++)); do
                for ((n = 0; n < slots; n++)); do
                        exec {VM_SLOT_FD}>>"$CSS_VM_CACHE/slot-$n"
                        flock -n "$VM_SLOT_FD" && return 0
                        exec {VM_SLOT_FD}>&-
                done
                ((waited % 60 == 0)) && log "waiting for a free VM slot (CSS_VM_SLOTS=$slots)" >&2
                sleep 1
        done
}

vm_release_slot() {
        [[ -n ${VM_SLOT_FD:-} ]] && exec {VM_SLOT_FD}>&-
        VM_SLOT_FD=""
}

# Reads what a boot left in its serial log. The marker lines carry the nonce.
vm_classify_boot() {
        local serial=$1 nonce=$2 qemu_rc=$3 text="" line
        [[ ! -f $serial ]] || text=$(tr -d '\r' <"$serial")
        if [[ -e $serial.cut ]]; then
                echo cut
        elif grep -q 'Kernel panic - not syncing' <<<"$text" &&
                grep -Eq '^\[ *[0-9.]+\] CPU: [0-9]+ (UID: [0-9]+ )?PID: [0-9]+ Comm: swapper/' <<<"$text"; then
                # Before the kernel ran /init: no program of the guest has run, no disk was written.
                echo early-panic
        elif grep -q 'Kernel panic - not syncing' <<<"$text" && grep -Eq '^\[ *[0-9.]+\] Oops: int3' <<<"$text"; then
                # The kernel hit a breakpoint of its own text patching in kernel code: the
                # emulator's fault (multi-threaded TCG and cross-modified code), after /init.
                echo emulator-fault
        elif grep -q 'Kernel panic - not syncing' <<<"$text"; then
                echo panic
        elif line=$(grep -a -m1 "^CSS-VM-RESULT $nonce " <<<"$text"); then
                echo "result:${line##*rc=}"
        elif grep -q "^CSS-VM-REBOOT $nonce " <<<"$text"; then
                echo reboot
        elif grep -q '^CSS-VM-EMERGENCY' <<<"$text"; then
                echo emergency
        elif [[ $qemu_rc == 124 || $qemu_rc == 137 ]]; then
                echo timeout
        elif [[ $qemu_rc != 0 ]]; then
                echo "qemu-error:$qemu_rc"
        else
                echo nomarker
        fi
}

# The guest's initramfs did not activate the root LV by itself and the harness' fallback did
# (guest/initramfs/css-vm-root-fallback): a warning with the state it printed, not a failure,
# since the root's activation is the guest distribution's job, done before the project runs.
vm_report_initramfs_fallback() {
        local serial=$1
        [[ -f $serial ]] && grep -q '^CSS-VM-INITRAMFS-FALLBACK' "$serial" || return 0
        log "WARNING: the guest's initramfs did not activate the root LV within 10 s; the harness did:"
        tr -d '\r' <"$serial" | sed -n '/^CSS-VM-INITRAMFS-FALLBACK/,/^CSS-VM-INITRAMFS-FALLBACK: done/s/^/    /p' >&2
}

# Shows the end of a boot's serial log, where a failure's reason usually is.
vm_show_log_tail() {
        local serial=$1 lines=${2:-60}
        echo "----- last $lines lines of $serial -----" >&2
        [[ ! -f $serial ]] || tr -d '\r' <"$serial" | tail -n "$lines" >&2
        [[ ! -s $serial.qemu ]] || { echo "----- qemu said -----" >&2; cat "$serial.qemu" >&2; }
        echo "-----" >&2
}

# vm_monitor COMMAND: sends one HMP command to the running guest's qemu (VM_MONITOR, set
# when the scenario has a during_boot hook) and prints qemu's answer.
vm_monitor() {
        python3 - "$VM_MONITOR" "$1" <<'PY'
import socket, sys, time
path, command = sys.argv[1], sys.argv[2]
for _ in range(100):
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.connect(path)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("no qemu monitor at " + path)
s.settimeout(30)
def until_prompt():
    data = b""
    while not data.endswith(b"(qemu) "):
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.decode(errors="replace")
until_prompt()
s.sendall(command.encode() + b"\n")
answer = until_prompt().replace("\r", "")
# The monitor echoes the command line; print the rest.
lines = [l for l in answer.split("\n") if l and not l.startswith("(qemu)") and command not in l]
print("\n".join(lines))
PY
}

# vm_power_cut SERIAL_LOG: pulls the plug on the running guest (a during_boot hook's tool, for
# the power-cut tests): SIGKILL to qemu, so no clean shutdown and no flush. What the guest had
# written to its virtual disks stays (qemu had handed it to the host); its page cache, and
# qcow2 cluster mappings of writes it never flushed, are gone, as a disk's volatile write cache
# would be. The boot then counts as "cut" and the next one starts.
vm_power_cut() {
        local serial=$1
        : >"$serial.cut"
        kill -KILL "$(<"$serial.pid")"
}

# vm_wait_serial SERIAL_LOG ERE SECONDS: waits until a line of the boot's serial log
# matches ERE (a during_boot hook's way to hear from the guest).
vm_wait_serial() {
        local serial=$1 regex=$2 seconds=$3 end=$((SECONDS + $3))
        while ((SECONDS < end)); do
                [[ -f $serial ]] && tr -d '\r' <"$serial" | grep -Eq -- "$regex" && return 0
                sleep 0.5
        done
        log "no line matching /$regex/ in $serial within $seconds s"
        return 1
}

# vm_run_boots LOGDIR MAX_BOOTS: boots until the guest reports a result, at most
# MAX_BOOTS times (the guest asks for each reboot). Returns the guest script's exit
# code, or 1 for a hang, a panic, emergency mode or a missing marker, or vm_emulator_fault_rc
# for the emulator's int3 Oops after /init (guest programs ran: the caller starts over).
# Optional hooks a scenario.conf may define (run on the host):
#   during_boot BOOT SERIAL_LOG  started in the background when qemu starts (e.g. hot-add a
#                                disk with vm_monitor when the guest asks for it on the
#                                serial console, see vm_wait_serial); stopped when qemu exits;
#                                its output is in LOGDIR/during-boot-N.log; a non-zero exit
#                                fails the run.
#   after_boot BOOT              after each boot that ended with a result or a reboot, with
#                                qemu gone (e.g. check the disk images); non-zero fails the run.
#   boot_kernel_args BOOT        prints arguments added to this boot's kernel command line only
#                                (e.g. a power-cut test's css.test_point= for boot 1).
#   boot_drives BOOT             may change VM_DRIVES (index 0 is vda) before this boot, e.g.
#                                swap two disks so the kernel names them the other way round;
#                                the change stays for the boots after it.
#   boot_initrd BOOT             prints the initrd for this boot, or nothing for the harness'
#                                own (e.g. one the guest built in an earlier boot and left in the
#                                artefact share $VM_SHARE/boot-N/). The harness' staged files are
#                                not appended to it: what earlier boots copied into the root stays.
# A boot that the during_boot hook ended with vm_power_cut counts as "cut": the next one starts.
vm_emulator_fault_rc=75
vm_run_boots() {
        local logdir=$1 max=$2 boot=1 nonce status start serial hook_pid hook_rc cmdline=$VM_CMDLINE initrd=$VM_INITRD
        local early_panics=0
        nonce=$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')
        while ((boot <= max)); do
                serial=$logdir/serial-boot-$boot.log
                VM_CMDLINE="$cmdline css_vm.max_boots=$max"
                if declare -F boot_kernel_args >/dev/null; then
                        VM_CMDLINE+=" $(boot_kernel_args "$boot")"
                fi
                VM_INITRD=$initrd
                if declare -F boot_drives >/dev/null; then
                        boot_drives "$boot"
                fi
                if declare -F boot_initrd >/dev/null; then
                        VM_INITRD=$(boot_initrd "$boot")
                        VM_INITRD=${VM_INITRD:-$initrd}
                fi
                start=$SECONDS
                log "boot $boot: qemu started (serial log: $serial)"
                hook_pid=""
                if declare -F during_boot >/dev/null; then
                        during_boot "$boot" "$serial" >"$logdir/during-boot-$boot.log" 2>&1 &
                        hook_pid=$!
                fi
                status=$(vm_boot "$serial" "$nonce")
                log "boot $boot: $status after $((SECONDS - start)) s"
                vm_report_initramfs_fallback "$serial"
                if [[ -n $hook_pid ]]; then
                        hook_rc=0
                        kill "$hook_pid" 2>/dev/null && log "boot $boot: during_boot hook still running, stopped"
                        wait "$hook_pid" || hook_rc=$?
                        sed 's/^/    during_boot: /' "$logdir/during-boot-$boot.log" >&2
                        if [[ $hook_rc != 0 && $hook_rc != 143 ]]; then
                                log "FAIL: the scenario's during_boot hook failed ($hook_rc) in boot $boot"
                                return 1
                        fi
                fi
                if [[ $status == result:* || $status == reboot ]] && declare -F after_boot >/dev/null; then
                        if ! after_boot "$boot" >&2; then
                                log "FAIL: the scenario's host-side check (after_boot) failed after boot $boot"
                                return 1
                        fi
                fi
                case $status in
                result:0)
                        return 0 ;;
                result:*)
                        vm_show_log_tail "$serial"
                        log "FAIL: the guest script exited with ${status#result:} in boot $boot (serial log: $serial)"
                        return "${status#result:}" ;;
                reboot | cut)
                        boot=$((boot + 1)) ;;
                early-panic)
                        # Seen with Debian 13's kernel under multi-threaded TCG: an int3 Oops while the
                        # kernel patches its own code in kernel_init, before any guest program ran.
                        # The emulator's fault, not the guest's: the same boot again, at most twice.
                        vm_show_log_tail "$serial" 12
                        if ((++early_panics > 2)); then
                                log "FAIL: kernel panic before /init in boot $boot, three times (serial log: $serial)"
                                return 1
                        fi
                        log "WARNING: kernel panic before /init in boot $boot (no guest program ran): booting it again"
                        mv "$serial" "$serial.early-panic-$early_panics" ;;
                timeout)
                        vm_show_log_tail "$serial"
                        log "FAIL: boot $boot did not finish within ${CSS_VM_BOOT_TIMEOUT} s: the guest hangs (serial log: $serial)"
                        return 1 ;;
                emulator-fault)
                        vm_show_log_tail "$serial" 30
                        log "WARNING: the guest kernel hit an int3 Oops in its own code in boot $boot (serial log: $serial)"
                        return "$vm_emulator_fault_rc" ;;
                panic)
                        vm_show_log_tail "$serial"
                        log "FAIL: kernel panic in boot $boot (serial log: $serial)"
                        return 1 ;;
                emergency)
                        vm_show_log_tail "$serial" 100
                        log "FAIL: boot $boot ended in emergency mode (serial log: $serial)"
                        return 1 ;;
                qemu-error:*)
                        vm_show_log_tail "$serial"
                        log "FAIL: qemu failed (exit ${status#qemu-error:}) in boot $boot (serial log: $serial)"
                        return 1 ;;
                *)
                        vm_show_log_tail "$serial"
                        log "FAIL: boot $boot ended without a result marker ($status) (serial log: $serial)"
                        return 1 ;;
                esac
        done
        log "FAIL: the guest asked for more than $max boots"
        return 1
}
