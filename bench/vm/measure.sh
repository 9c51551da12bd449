#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Guest side of bench/vm-provision.sh (sourced by the scenarios' guest.sh after lib.sh). Counts
# the processes the storage steps executed with the kernel's own sched_process_exec and
# sched_process_fork trace events (enabled from the kernel command line, so the boot's steps
# are in the buffer; trace_clock=mono, so trace times are systemd's monotonic clock), and times
# the steps with systemd's monotonic timestamps. Writes one result line per measurement to
# $CSS_VM_ARTEFACTS/bench.txt and the attributed execs to bench-execs-<label>.txt.

TRACING=/sys/kernel/tracing

# Monotonic µs of a unit's run: services by ExecMain*, the mount by its state changes.
unit_span() {
        local u=$1 start end
        if [[ $u == *.service ]]; then
                start=$(systemctl show -P ExecMainStartTimestampMonotonic "$u")
                end=$(systemctl show -P ExecMainExitTimestampMonotonic "$u")
        else
                start=$(systemctl show -P InactiveExitTimestampMonotonic "$u")
                end=$(systemctl show -P ActiveEnterTimestampMonotonic "$u")
        fi
        echo "${start:-0} ${end:-0}"
}

# classify_execs TRACE ROOT_ERE WIN_START_US WIN_END_US MOUNT_START_US MOUNT_END_US: one line per
# exec attributed to the storage steps (every exec in the process subtree of a program matching
# ROOT_ERE, plus a mount(8) that PID 1 forks while our .mount unit is activating): "seconds
# filename".
# Last line: "window N", every exec on the machine inside the window.
classify_execs() {
        awk -v root_re="$2" -v ws="$3" -v we="$4" -v ms="${5:-1}" -v me="${6:-0}" '
        function ts_of(line,   m) { if (match(line, /[0-9]+\.[0-9]+: sched_/)) return substr(line, RSTART, RLENGTH - 8) + 0; return -1 }
        function val(line, key,   m) { if (match(line, key "=[^ ]+")) return substr(line, RSTART + length(key) + 1, RLENGTH - length(key) - 1); return "" }
        /sched_process_fork:/ { parent[val($0, "child_pid")] = val($0, "pid") }
        /sched_process_exec:/ {
                n++; pid[n] = val($0, "pid"); file[n] = val($0, "filename"); ts[n] = ts_of($0)
                par[n] = parent[pid[n]]
        }
        END {
                for (i = 1; i <= n; i++) {
                        t = ts[i] * 1000000
                        if (t >= ws && t <= we) window++
                        if (file[i] ~ root_re) mine[pid[i]] = 1
                        # A descendant: the pid, or one of its ancestors, is a root.
                        p = pid[i]; hit = 0
                        for (d = 0; d < 64 && p != "" && p != 0; d++) { if (p in mine) { hit = 1; break }; p = parent[p] }
                        if (!hit && file[i] ~ /\/mount$/ && par[i] == 1 && t >= ms && t <= me) hit = 1
                        if (hit) printf "%.6f %s\n", ts[i], file[i]
                }
                print "window " window + 0
        }' "$1"
}

# summarise LABEL WALL_MS EXECS_FILE STEPS: appends the result line.
# BUSY_MS: the sum of the steps' own durations (WALL_MS also counts the waits between them).
summarise() {
        local label=$1 wall=$2 execs=$3 steps=$4 busy=$5 total lvm dmsetup window overrun
        total=$(grep -vc '^window ' "$execs" || true)
        lvm=$(grep -v '^window ' "$execs" | grep -cE '/(lvm|dmsetup|(pv|vg|lv)[a-z]+)$' || true)
        dmsetup=$(grep -v '^window ' "$execs" | grep -cE '/dmsetup$' || true)
        window=$(sed -n 's/^window //p' "$execs")
        overrun=$(cat $TRACING/per_cpu/cpu*/stats 2>/dev/null | awk '/^overrun:/ { s += $2 } END { print s + 0 }')
        echo "$label|$wall|$busy|$total|$lvm|$dmsetup|$window|$overrun|$steps" >>"$CSS_VM_ARTEFACTS/bench.txt"
        echo "    $label: $wall ms ($busy ms in the steps), $total execs ($lvm lvm/dmsetup, $dmsetup dmsetup), $window execs machine-wide in the window, trace overrun $overrun"
        echo "    steps: $steps"
        grep -v '^window ' "$execs" | sed 's/^/      exec /'
}

# measure_boot LABEL: the storage steps of this boot (docker-storage-setup.service and every
# unit it requires).
measure_boot() {
        local label=$1 units u start end first=0 last=0 busy=0 mstart=1 mend=0 steps="" trace execs mark=""
        step "bench: $label"
        # Joins the boot's job if it still runs. The original's unit has no RemainAfterExit:
        # once it has run, a start would run it again.
        if [[ $(systemctl show -P ExecMainExitTimestampMonotonic docker-storage-setup.service) == 0 ]]; then
                systemctl start docker-storage-setup.service || true
        fi
        # A failed run is measured all the same and marked in the table (the host script fails
        # for this project's; the original fails at every reboot on Debian 12, see README).
        if [[ $(systemctl show -P Result docker-storage-setup.service) != success ]]; then
                echo "    docker-storage-setup.service FAILED:"
                journalctl -b -u docker-storage-setup.service -p err --no-pager -o cat | sed 's/^/      /'
                mark="(FAILED)"
        fi
        units=$(systemctl show -P Requires -P Wants docker-storage-setup.service | tr ' ' '\n' | grep -E '^css-|\.mount$' || true)
        for u in $units docker-storage-setup.service; do
                read -r start end <<<"$(unit_span "$u")"
                if ((start == 0 || end == 0)); then
                        steps+="${u%.service}=skipped "
                        continue
                fi
                steps+="${u%.service}=$(((end - start) / 1000)) "
                busy=$((busy + (end - start) / 1000))
                [[ $u == *.mount ]] && mstart=$start mend=$end
                ((first == 0 || start < first)) && first=$start
                ((end > last)) && last=$end
        done
        trace=$CSS_VM_ARTEFACTS/trace-$label.txt
        cat $TRACING/trace >"$trace"
        execs=$CSS_VM_ARTEFACTS/bench-execs-$label.txt
        classify_execs "$trace" '/container-storage-setup/css-[a-z-]+$|/bin/container-storage-setup$' "$first" "$last" "$mstart" "$mend" >"$execs"
        summarise "$label$mark" $(((last - first) / 1000)) "$execs" "$steps" "$busy"
}

# measure_by_hand LABEL: `container-storage-setup` run by hand, traced from a cleared buffer.
measure_by_hand() {
        local label=$1 t0 t1 rc=0 trace execs
        step "bench: $label"
        udevadm settle
        echo >$TRACING/trace
        t0=$(date +%s%N)
        container-storage-setup || rc=$?
        t1=$(date +%s%N)
        ((rc == 0)) || fail "container-storage-setup by hand failed ($rc)"
        trace=$CSS_VM_ARTEFACTS/trace-$label.txt
        cat $TRACING/trace >"$trace"
        execs=$CSS_VM_ARTEFACTS/bench-execs-$label.txt
        classify_execs "$trace" '/bin/container-storage-setup$' 0 1e18 >"$execs"
        summarise "$label" $(((t1 - t0) / 1000000)) "$execs" "-" $(((t1 - t0) / 1000000))
}
