#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# 32-concurrency, guest side (the plan is in scenario.conf). A paused process holds the global
# lock (CSS_TEST_POINT=<program>:<point>@SECONDS, a -Dtest-points build); the other one must
# log "Waiting to acquire lock ...", go on once the first is done, and the storage must end
# exactly as the uninterrupted reference of boot 1: same VGs, PVs, LVs (sizes, attributes,
# profiles, devices), partition tables, output files and named state, byte for byte.
# shellcheck source-path=SCRIPTDIR source=../../guest/lib.sh
source /usr/lib/css-vm/lib.sh

CSS=/usr/bin/container-storage-setup
CONFIG=/etc/sysconfig/docker-storage-setup
SCENARIO=/usr/lib/css-vm/scenario
LOCK=/run/container-storage-setup/lock
NAMED=/var/lib/container-storage-setup
REFERENCE=$CSS_VM_STATE/32-reference.txt
WAITING="Waiting to acquire lock $LOCK"
TIMED_OUT="Timed out while waiting to acquire lock $LOCK"
STEPS=(css-prepare-disk@dev-vdb.service css-vg.service css-thinpool.service css-write-storage-config.service)
PAUSE=7

# CLOCK_MONOTONIC in microseconds, as systemd's *TimestampMonotonic: /proc/uptime counts the
# same in a guest that never suspends (in hundredths of a second).
now_us() {
        local up
        read -r up _ </proc/uptime
        echo $((10#${up/./} * 10000))
}

journal_cursor() { journalctl -n 1 -o cat --show-cursor -q | sed -n 's/^-- cursor: //p'; }

# wait_for SECONDS WHAT COMMAND...: polls COMMAND until it succeeds.
wait_for() {
        local seconds=$1 what=$2 i
        shift 2
        for ((i = 0; i < seconds * 2; i++)); do
                "$@" >/dev/null 2>&1 && { pass "$what"; return 0; }
                sleep 0.5
        done
        fail "$what: not within $seconds s"
}

# grep without -q reads to the end: journalctl never dies of SIGPIPE (pipefail).
journal_has() { journalctl --after-cursor="$1" -o cat | grep -F -- "$2" >/dev/null; }

# The paused process says so before it sleeps (lib/core/test_point.cpp). A build without
# -Dtest-points=true never does: say so instead of timing out obscurely.
wait_test_point() {
        local what="test point $1 reached (needs a build with -Dtest-points=true)"
        shift
        wait_for 120 "$what" "$@"
}

# Everything the setup makes, sorted, without what differs between two equal runs (UUIDs,
# dos label ids, times).
storage_state() {
        echo "## vgs"
        vgs --noheadings --units s --nosuffix -o vg_name,pv_count,lv_count,vg_size,vg_free | awk '{$1=$1} 1' | sort
        echo "## pvs"
        pvs --noheadings --units s --nosuffix -o pv_name,vg_name,pv_size,pe_start | awk '{$1=$1} 1' | sort
        echo "## lvs"
        lvs -a --noheadings --units s --nosuffix \
                -o vg_name,lv_name,lv_attr,segtype,lv_size,lv_metadata_size,chunk_size,lv_profile,devices |
                awk '{$1=$1} 1' | sort
        echo "## partitions"
        local d
        for d in vdb vdc vdd vde; do
                sfdisk -d /dev/$d 2>/dev/null | grep '^/dev/' || echo "/dev/$d: no partition table"
        done
        echo "## files"
        (cd / && sha256sum etc/sysconfig/docker-storage run/a.options run/b.options etc/lvm/profile/*--*-extend.profile 2>&1) || true
        # .provisioned (lib/steps/provisioned.hpp) holds a digest of LVM's metadata backup, which
        # has UUIDs and times in it: only whether it is there can be compared.
        (cd $NAMED 2>/dev/null && find . -type f ! -name .provisioned | sort | xargs -r sha256sum) || true
        (cd $NAMED 2>/dev/null && find . -name .provisioned) || true
}

assert_reference() {
        step "the storage equals boot 1's uninterrupted reference"
        local now
        now=$(storage_state)
        if [[ $now != "$(cat "$REFERENCE")" ]]; then
                diff -u "$REFERENCE" <(printf '%s\n' "$now") | sed 's/^/    /' || true
                fail "the storage differs from the reference (above)"
        fi
        pass "storage equals the reference ($(wc -l <"$REFERENCE") lines: VGs, PVs, LVs, partitions, files)"
}

steps_succeeded() {
        local u
        for u in "${STEPS[@]}" docker-storage-setup.service; do assert_unit_result "$u" success; done
}

# Runs `create` in the background; NAME.rc gets its status and the monotonic time it ended.
create_in_background() {
        local name=$1 test_point=$2
        rm -f "/run/create-$name.log" "/run/create-$name.rc"
        (
                rc=0
                CSS_TEST_POINT=$test_point $CSS create -o "/run/$name.options" "$name" "$SCENARIO/$name.conf" \
                        >"/run/create-$name.log" 2>&1 || rc=$?
                echo "$rc $(now_us)" >"/run/create-$name.rc"
        ) &
        BACKGROUND=$!
}

finish_background() {
        local name=$1
        wait "$BACKGROUND" || true
        sed "s/^/    create $name: /" "/run/create-$name.log"
        read -r BACKGROUND_RC BACKGROUND_END <"/run/create-$name.rc"
        assert_eq "$BACKGROUND_RC" 0 "create $name: exit status"
        assert_file_contains "/run/create-$name.log" "^Created storage configuration $name$"
}

count_waits() { grep -cF -- "$WAITING" || true; }

teardown() {
        step "take everything down and remove the config: the next boot's generator writes nothing"
        # Only the loaded ones: a step whose unit left the graph at a by-hand run's
        # daemon-reload while it ran (the writer, when the compat run got the lock first) is
        # not-found once it ends, and stopping it by name would fail.
        local steps
        steps=$(systemctl list-units --all --plain --no-legend 'css-prepare-disk@*.service' css-vg.service \
                css-thinpool.service css-write-storage-config.service | awk '$2 == "loaded" || $3 != "inactive" { print $1 }')
        # shellcheck disable=SC2086 # one unit name per word
        systemctl stop docker-storage-setup.service $steps
        systemctl reset-failed
        local vg d
        for vg in docker-vg css-a css-b css-c; do
                if vgs "$vg" >/dev/null 2>&1; then assert_ok vgremove -ff -y "$vg"; fi
        done
        for d in vdb vdc vdd vde; do
                if pvs "/dev/${d}1" >/dev/null 2>&1; then assert_ok pvremove -ff -y "/dev/${d}1"; fi
                assert_ok wipefs -a "/dev/$d"
        done
        udevadm settle
        rm -rf "${NAMED:?}"/{a,b,c,.provisioned}
        rm -f $CONFIG /etc/sysconfig/docker-storage /run/{a,b}.options /etc/lvm/profile/*--*-extend.profile
        for d in vdb vdc vdd vde; do
                assert_eq "$(wipefs -p "/dev/$d" | grep -vc '^#' || true)" 0 "/dev/$d blank"
                assert_eq "$(lsblk -n -o NAME "/dev/$d" | wc -l)" 1 "/dev/$d has no partition"
        done
}

# Boots 2 and 3 start with no config: nothing may have run at the boot.
restore_config() {
        step "nothing ran at this boot (no config); the config back and the units generated"
        assert_eq "$(systemctl show -P LoadState css-vg.service)" not-found "no css-vg.service at boot"
        assert_fails vgs docker-vg
        install -m 0644 $SCENARIO/docker-storage-setup $CONFIG
        assert_ok systemctl daemon-reload
        assert_eq "$(systemctl show -P LoadState css-thinpool.service)" loaded "css-thinpool.service generated"
}

reference_run() {
        step "the reference: the boot's setup, then create a, then create b, one at a time"
        assert_ok systemctl start docker-storage-setup.service
        steps_succeeded
        local name start
        for name in a b; do
                start=$(now_us)
                assert_ok $CSS create -o "/run/$name.options" "$name" "$SCENARIO/$name.conf"
                echo "    create $name alone: $((($(now_us) - start) / 1000)) ms"
        done
        mkdir -p "$CSS_VM_STATE"
        storage_state >"$REFERENCE"
        sed 's/^/    /' "$REFERENCE"
        assert_eq "$(lvs --noheadings -o lv_name,segtype docker-vg/docker-pool css-a/pool-a css-b/pool-b | awk '{print $2}' | sort -u)" \
                thin-pool "three thin pools"
}

# Case 1: a boot step holds the lock in the middle (after the pool's lvcreate) while the admin
# runs compat mode by hand.
boot_step_paused_compat_waits() {
        step "css-thinpool paused after its lvcreate, holding the lock; compat container-storage-setup meanwhile"
        local cursor out rc=0 start end exited
        cursor=$(journal_cursor)
        assert_ok systemctl set-environment "CSS_TEST_POINT=css-thinpool:exec1@$PAUSE"
        assert_ok systemctl start --no-block docker-storage-setup.service
        wait_test_point css-thinpool:exec1 journal_has "$cursor" "Test point css-thinpool:exec1 reached"
        start=$(now_us)
        out=$($CSS 2>&1) || rc=$?
        end=$(now_us)
        printf '%s\n' "$out" | sed 's/^/    compat: /'
        assert_ok systemctl start docker-storage-setup.service
        assert_ok systemctl unset-environment CSS_TEST_POINT
        assert_eq "$rc" 0 "compat run: exit status"
        steps_succeeded
        assert_contains "$out" "$WAITING" "the compat run waited for the lock"
        exited=$(systemctl show -P ExecMainExitTimestampMonotonic css-thinpool.service)
        assert_gt "$exited" "$start" "css-thinpool exited after the compat run started (they overlapped)"
        assert_gt "$end" "$exited" "the compat run finished after css-thinpool let go of the lock"
        echo "    compat run: $((($(now_us) - start) / 1000)) ms, $(count_waits <<<"$out") waits; css-thinpool exited $(((exited - start) / 1000)) ms after it started"
        assert_eq "$(journalctl --after-cursor="$cursor" -o cat | grep -c 'Logical volume "docker-pool" created' || true)" 1 "one lvcreate of the pool"
        assert_eq "$(grep -cE '(Logical volume|Volume group|Physical volume) .*created' <<<"$out" || true)" 0 \
                "the compat run created no LV, VG or PV"
}

# Case 2: two by-hand runs at once.
two_creates() {
        step "create a paused after its pvcreate, holding the lock; create b meanwhile"
        local out rc=0 start end
        create_in_background a "container-storage-setup:exec1@$PAUSE"
        wait_test_point container-storage-setup:exec1 grep -qF "Test point container-storage-setup:exec1 reached" /run/create-a.log
        start=$(now_us)
        out=$($CSS create -o /run/b.options b "$SCENARIO/b.conf" 2>&1) || rc=$?
        end=$(now_us)
        printf '%s\n' "$out" | sed 's/^/    create b: /'
        finish_background a
        assert_eq "$rc" 0 "create b: exit status"
        assert_contains "$out" "Created storage configuration b" "create b done"
        assert_contains "$out" "$WAITING" "create b waited for the lock"
        assert_eq "$(count_waits </run/create-a.log)" 0 "create a never waited"
        assert_gt "$end" "$BACKGROUND_END" "create b finished after create a"
        assert_gt "$BACKGROUND_END" "$start" "create a was still running when create b started"
        echo "    create b: $(((end - start) / 1000)) ms, $(count_waits <<<"$out") waits; create a ended $(((BACKGROUND_END - start) / 1000)) ms after b started"
}

# Case 3: the CLI holds the lock while the boot steps start.
cli_paused_boot_steps_wait() {
        step "create a paused after its pvcreate, holding the lock; the boot steps start meanwhile"
        # The head of the chain, the first step to take the lock (issue 14's pre-flight).
        local cursor rc=0 started exited unit=css-check-engine.service
        cursor=$(journal_cursor)
        create_in_background a "container-storage-setup:exec1@$PAUSE"
        wait_test_point container-storage-setup:exec1 grep -qF "Test point container-storage-setup:exec1 reached" /run/create-a.log
        systemctl start docker-storage-setup.service || rc=$?
        finish_background a
        journalctl --after-cursor="$cursor" -o cat -u "$unit" | sed "s/^/    $unit: /"
        assert_eq "$rc" 0 "docker-storage-setup.service started"
        steps_succeeded
        assert_gt "$(journalctl --after-cursor="$cursor" -o cat -u "$unit" | count_waits)" 0 "$unit waited for the lock"
        started=$(systemctl show -P ExecMainStartTimestampMonotonic "$unit")
        exited=$(systemctl show -P ExecMainExitTimestampMonotonic "$unit")
        assert_gt "$BACKGROUND_END" "$started" "$unit started while create a held the lock"
        assert_gt "$exited" "$BACKGROUND_END" "$unit finished after create a let go"
        echo "    $unit: ran $(((exited - started) / 1000)) ms, of which $(((BACKGROUND_END - started) / 1000)) ms before create a ended"
        step "create b, alone, to complete the reference"
        assert_ok $CSS create -o /run/b.options b "$SCENARIO/b.conf"
}

# timeout_case WHAT COMMAND...: with the lock held, COMMAND gives up after about 2 s with the
# original's message.
timeout_case() {
        local what=$1 out rc=0 start ms
        shift
        start=$(now_us)
        out=$("$@" 2>&1) || rc=$?
        ms=$((($(now_us) - start) / 1000))
        printf '%s\n' "$out" | sed "s/^/    $what: /"
        assert_eq "$rc" 1 "$what: exit status"
        assert_contains "$out" "$TIMED_OUT" "$what: the original's timeout message"
        assert_gt "$(count_waits <<<"$out")" 0 "$what: waited first"
        assert_gt "$ms" 999 "$what: gave up after ${ms} ms, not at once"
        assert_gt 10000 "$ms" "$what: gave up after ${ms} ms, not 60 s"
}

lock_timeouts() {
        step "the lock held by flock(1); CSS_LOCK_TIMEOUT=2"
        local holder sleeper before unit=css-prepare-disk@dev-vde.service
        # -o: the lock stays with flock itself, not with its sleep, so killing flock frees it.
        flock -o "$LOCK" sleep 300 &
        holder=$!
        wait_for 10 "flock(1) holds $LOCK" bash -c "! flock -n '$LOCK' true"
        before=$(storage_state)
        timeout_case "create c" env CSS_LOCK_TIMEOUT=2 $CSS create c "$SCENARIO/c.conf"
        timeout_case "compat" env CSS_LOCK_TIMEOUT=2 $CSS

        assert_ok systemctl set-environment CSS_LOCK_TIMEOUT=2
        assert_fails systemctl start $unit
        assert_ok systemctl unset-environment CSS_LOCK_TIMEOUT
        systemctl status --no-pager -l $unit 2>&1 | sed 's/^/    /' || true
        assert_unit_result $unit exit-code
        assert_contains "$(systemctl status --no-pager -l $unit 2>&1 || true)" "$TIMED_OUT" "systemctl status $unit"

        step "nothing changed"
        assert_eq "$(storage_state)" "$before" "the storage"
        assert_fails test -e $NAMED/c
        assert_eq "$(wipefs -p /dev/vde | grep -vc '^#' || true)" 0 "/dev/vde still blank"
        sleeper=$(pgrep -P "$holder" sleep || true)
        kill "$holder" ${sleeper:+"$sleeper"}
        wait "$holder" || true
        assert_ok flock -n "$LOCK" true

        step "the control: the lock free, the same create does its work"
        assert_ok env CSS_LOCK_TIMEOUT=2 $CSS create c "$SCENARIO/c.conf"
        assert_eq "$(pvs --noheadings -o vg_name /dev/vde1 | tr -d ' ')" css-c "/dev/vde1 is a PV of css-c"
}

case $(vm_boot) in
1)
        reference_run
        teardown
        vm_dump_state
        vm_request_reboot
        ;;
2)
        restore_config
        boot_step_paused_compat_waits
        two_creates
        assert_reference
        teardown
        vm_dump_state
        vm_request_reboot
        ;;
3)
        restore_config
        cli_paused_boot_steps_wait
        assert_reference
        lock_timeouts
        vm_dump_state
        ;;
*) fail "unexpected boot $(vm_boot)" ;;
esac
