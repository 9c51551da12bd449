# SPDX-License-Identifier: Apache-2.0
# Guest-side helpers for scenario scripts: assertions, artefact dumps, reboots.
# A scenario's guest.sh starts with:  source /usr/lib/css-vm/lib.sh
# Every assertion prints one line; a failed one exits 1, which the host reports as
# the scenario's failure together with this output.
# shellcheck shell=bash
set -euo pipefail

: "${CSS_VM_BOOT:=1}" "${CSS_VM_ARTEFACTS:=/tmp/css-vm-artefacts}" "${CSS_VM_STATE:=/var/lib/css-vm}"
mkdir -p "$CSS_VM_ARTEFACTS"

pass() { echo "ok: $*"; }
fail() {
        echo "FAIL: $*"
        exit 1
}
# Each step carries the guest's uptime: where a boot's time goes, read off any guest.log.
step() {
        local up _
        read -r up _ </proc/uptime
        echo "== [${up}s] $*"
}

# The number of this boot within the scenario: 1, 2, ...
vm_boot() { echo "$CSS_VM_BOOT"; }

# True in the scenario's last boot on this guest: a scenario may declare fewer boots for one
# guest (on_guest in scenario.conf) and then end there instead of asking for the next.
vm_last_boot() { [[ " $(cat /proc/cmdline) " == *" css_vm.max_boots=$CSS_VM_BOOT "* ]]; }

# Ask the host to boot again with the same disks once this script exits 0.
vm_request_reboot() {
        mkdir -p /run/css-vm
        : >/run/css-vm/reboot-requested
        echo "reboot requested after boot $CSS_VM_BOOT"
}

assert_eq() {
        local actual=$1 expected=$2 what=${3:-value}
        [[ $actual == "$expected" ]] || fail "$what: expected '$expected', got '$actual'"
        pass "$what = '$expected'"
}

assert_ne() {
        local actual=$1 unexpected=$2 what=${3:-value}
        [[ $actual != "$unexpected" ]] || fail "$what: must not be '$unexpected'"
        pass "$what != '$unexpected'"
}

# assert_match STRING ERE [what]
assert_match() {
        local actual=$1 regex=$2 what=${3:-value}
        [[ $actual =~ $regex ]] || fail "$what: '$actual' does not match /$regex/"
        pass "$what matches /$regex/"
}

# assert_contains STRING SUBSTRING [what]: a fixed string (no regex), e.g. a message.
assert_contains() {
        local actual=$1 needle=$2 what=${3:-value}
        [[ $actual == *"$needle"* ]] || fail "$what: '$actual' does not contain '$needle'"
        pass "$what contains '$needle'"
}

# assert_gt A B [what]: integers, A > B
assert_gt() {
        local a=$1 b=$2 what=${3:-value}
        ((a > b)) || fail "$what: expected $a > $b"
        pass "$what: $a > $b"
}

# Runs a command that must succeed; its output goes to the log.
assert_ok() {
        local out rc=0
        out=$("$@" 2>&1) || rc=$?
        [[ -z $out ]] || printf '%s\n' "$out" | sed 's/^/    /'
        ((rc == 0)) || fail "command failed with $rc: $*"
        pass "$*"
}

# Runs a command that must fail.
assert_fails() {
        local out rc=0
        out=$("$@" 2>&1) || rc=$?
        [[ -z $out ]] || printf '%s\n' "$out" | sed 's/^/    /'
        ((rc != 0)) || fail "command succeeded but must fail: $*"
        pass "fails ($rc): $*"
}

assert_file_contains() {
        local file=$1 regex=$2
        [[ -r $file ]] || fail "$file does not exist"
        grep -Eq -- "$regex" "$file" || fail "$file has no line matching /$regex/"
        pass "$file has /$regex/"
}

assert_block_device() {
        [[ -b $1 ]] || fail "$1 is not a block device"
        pass "$1 is a block device"
}

# assert_unit_active UNIT: ActiveState=active (a oneshot with RemainAfterExit counts).
assert_unit_active() {
        local state
        state=$(systemctl show -P ActiveState "$1")
        [[ $state == active ]] || {
                systemctl status --no-pager "$1" || true
                fail "$1 is $state, expected active"
        }
        pass "$1 is active"
}

# assert_unit_result UNIT RESULT: e.g. success, exit-code; for oneshots that ran.
assert_unit_result() {
        local result
        result=$(systemctl show -P Result "$1")
        assert_eq "$result" "$2" "Result of $1"
}

# assert_mounted PATH [FSTYPE] [SOURCE]
assert_mounted() {
        local path=$1 fstype=${2:-} source=${3:-} line
        line=$(findmnt -n -o FSTYPE,SOURCE --mountpoint "$path") || fail "nothing mounted on $path"
        [[ -z $fstype || ${line%% *} == "$fstype" ]] || fail "$path is ${line%% *}, expected $fstype"
        [[ -z $source || $(awk '{print $2}' <<<"$line") == "$source" ]] || fail "$path comes from $(awk '{print $2}' <<<"$line"), expected $source"
        pass "$path mounted ($line)"
}

# assert_lv_step_idle VG/LV: css-create-lv on a provisioned boot (generator/unit_graph.cpp)
# succeeded without creating anything: skipped by its condition since LVM had activated the
# LV, or, when LVM's autoactivation left it inactive, it ran `lvchange -ay VG/LV` only (needs
# CSS_EXEC_LOG=/run/css-exec.log). Prints which.
assert_lv_step_idle() {
        local lv=$1 unit=css-create-lv.service execs
        assert_unit_result "$unit" success
        if [[ $(systemctl show -P ConditionResult "$unit") == no ]]; then
                pass "$unit skipped by its condition (LVM had activated $lv)"
                return
        fi
        # An LVM report first only where the VG is the root's (found through LVM).
        execs=$(grep "^css-create-lv	" /run/css-exec.log 2>/dev/null | cut -f2- | grep -v '^lvm fullreport' || true)
        assert_eq "$execs" "lvchange -ay $lv" "$unit ran, and only activated $lv (LVM had not)"
}

# lv_exists VG/LV
lv_exists() { lvs --noheadings "$1" >/dev/null 2>&1; }

# Runs a command, keeps its output as an artefact NAME.txt and shows it.
vm_record() {
        local name=$1
        shift
        echo "\$ $*" | tee "$CSS_VM_ARTEFACTS/$name.txt"
        "$@" 2>&1 | tee -a "$CSS_VM_ARTEFACTS/$name.txt"
        return "${PIPESTATUS[0]}"
}

# The storage picture, for the artefacts and the log: call at the end of each boot.
vm_dump_state() {
        local f=$CSS_VM_ARTEFACTS/state.txt
        {
                echo "### lsblk"; lsblk -o NAME,MAJ:MIN,SIZE,TYPE,FSTYPE,MOUNTPOINTS
                echo "### pvs"; pvs -o +pv_uuid 2>&1
                echo "### vgs"; vgs 2>&1
                echo "### lvs"; lvs -a -o +devices,lv_profile 2>&1
                echo "### blkid"; blkid 2>&1
                echo "### findmnt"; findmnt -n -o TARGET,SOURCE,FSTYPE,OPTIONS -t xfs,ext4,overlay 2>&1
                echo "### failed units"; systemctl --failed --no-pager 2>&1
        } >"$f" 2>&1 || true
        echo "state saved in artefacts boot-$CSS_VM_BOOT/state.txt"
}

# vm_lab_remove_storage: the lab's storage change by hand, up to the new config: stop docker,
# unmount /var/lib/docker, remove docker-root-lv and the output file; docker's state was on the
# removed LV, so what is left under the mount point goes too.
vm_lab_remove_storage() {
        assert_ok systemctl stop docker.service docker.socket
        assert_ok umount /var/lib/docker
        assert_ok lvremove -y atomicos/docker-root-lv
        assert_ok rm /etc/sysconfig/docker-storage
        assert_ok rm -rf /var/lib/docker
}

# vm_tiny_image_tar OUT: a container image's root filesystem as a tar, from the guest's own
# dash, cat and sha256sum and the libraries they load, for `docker import` / `podman import`:
# the guest has no registry to pull from.
vm_tiny_image_tar() {
        local out=$1 dir bin
        dir=$(mktemp -d)
        for bin in /usr/bin/dash /usr/bin/cat /usr/bin/sha256sum; do
                install -D "$bin" "$dir$bin"
                ldd "$bin" | grep -oE '/[^ ]+' | while read -r lib; do
                        [[ -e $dir$lib ]] || install -D "$lib" "$dir$lib"
                done
        done
        ln -s dash "$dir/usr/bin/sh"
        ln -s usr/bin "$dir/bin"
        tar -C "$dir" -cf "$out" .
        rm -rf "$dir"
}

# assert_before A B: unit A was done (active, or for a oneshot without RemainAfterExit= back to
# inactive) before unit B started (systemd's own timestamps).
assert_before() {
        local a=$1 b=$2 a_done b_start
        a_done=$(systemctl show -P ActiveEnterTimestampMonotonic "$a")
        [[ $a_done != 0 ]] || a_done=$(systemctl show -P InactiveEnterTimestampMonotonic "$a")
        b_start=$(systemctl show -P InactiveExitTimestampMonotonic "$b")
        [[ $a_done != 0 && $b_start != 0 ]] || fail "$a or $b never ran ($a_done, $b_start)"
        ((a_done <= b_start)) || fail "$b started at $b_start, before $a was done at $a_done"
        pass "$a done before $b started ($a_done <= $b_start)"
}

# vm_start_setup [UNIT...]: joins the start of docker-storage-setup.service (the steps are pulled
# in by multi-user.target, but nothing orders the guest script after them), prints the journal
# of each UNIT (patterns allowed), and returns the start's exit status.
vm_start_setup() {
        local rc=0 u
        systemctl start docker-storage-setup.service || rc=$?
        for u in "$@"; do
                echo "--- journal of $u"
                journalctl -b -o cat --no-pager -u "$u" | sed 's/^/    /'
        done
        return $rc
}
