#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Times container-storage-setup-generator on every golden case (tests/generator/cases) beside
# systemd-fstab-generator on an equivalent fstab, in the same run: for each case, the root
# filesystem, /boot and the case's container mount as fstab lines. Both get three fresh output
# directories on tmpfs per run (emptied by exec-timer, untimed), log to stderr (discarded) instead of
# /dev/kmsg, and are started with fork+exec by bench/exec-timer, which reports the median, the
# 10th-90th percentile spread and the median CPU time (user+sys, from wait4) per run. One more
# run of each case under strace counts the processes the generator creates (fork, vfork,
# clone, execve after its own start): the "procs" column, "-" without strace.
#
# Usage: bench/generator.sh BUILD_DIR [RUNS]   (default 1000 runs per case and program)
set -euo pipefail

build=$(realpath "$1")
runs=${2:-1000}
src=$(cd "$(dirname "$0")/.." && pwd)
generator="$build/generator/container-storage-setup-generator"
timer="$build/bench/exec-timer"
fstab_generator=/lib/systemd/system-generators/systemd-fstab-generator
for f in "$generator" "$timer" "$fstab_generator"; do
        [ -x "$f" ] || { echo "missing $f (build first: ninja -C BUILD_DIR)" >&2; exit 1; }
done

# Output on tmpfs, as /run/systemd/generator is at boot (a disk filesystem would time its journal).
if [ -d /dev/shm ] && [ -w /dev/shm ]; then tmp=$(mktemp -d -p /dev/shm); else tmp=$(mktemp -d); fi
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/out/normal" "$tmp/out/early" "$tmp/out/late"
out=("$tmp/out/normal" "$tmp/out/early" "$tmp/out/late")
clean=(--clean "$tmp/out/normal" --clean "$tmp/out/early" --clean "$tmp/out/late")

printf '%s\n' "container-storage-setup-generator vs systemd-fstab-generator ($(systemctl --version 2>/dev/null | head -1 | cut -d' ' -f1-2)), $runs runs each, µs per run"
printf '%s, %s\n' "$(uname -r)" "$(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg)"
printf '%-32s %9s %15s %7s %5s | %9s %15s %7s | %6s\n' case "css med" "css p10-p90" "css cpu" procs "fstab med" "fstab p10-p90" "cpu" "ratio"

# The floor: fork+exec+wait of a program that does nothing.
read -r _ _ t_med t_p10 t_p90 _ t_cpu <<< "$(env -i "$timer" --runs "$runs" -- /bin/true)"
printf '%-32s %9s %15s %7s %5s |\n' "(exec floor: /bin/true)" "$t_med" "$t_p10-$t_p90" "$t_cpu" ""

# Processes created by one generator run: every fork/clone/execve strace sees, but its own exec.
spawned() {
        command -v strace >/dev/null || { echo -; return; }
        rm -rf "${out[@]}" && mkdir -p "${out[@]}"
        "$@" "$(command -v strace)" -f -qq -o "$tmp/strace" -e trace=fork,vfork,clone,clone3,execve \
                "$generator" "${out[@]}" 2>/dev/null || true
        echo $(($(grep -cvE '^[0-9]+ +\+\+\+|resumed>' "$tmp/strace") - 1))
}

css_all=() fstab_all=()
for case in "$src"/tests/generator/cases/*/; do
        case=${case%/}
        name=$(basename "$case")
        root="$tmp/roots/$name"
        mkdir -p "$root"
        [ -d "$case/root" ] && cp -rL "$case/root/." "$root/"
        if [ ! -e "$root/usr/share/container-storage-setup/container-storage-setup" ]; then
                mkdir -p "$root/usr/share/container-storage-setup"
                cp "$src/data/container-storage-setup.conf" "$root/usr/share/container-storage-setup/container-storage-setup"
        fi
        vars=(CSS_ROOT="$root" CSS_IN_CONTAINER=0 CSS_LOG_TARGET=console)
        [ -f "$root/proc/cmdline" ] && vars+=(CSS_PROC_CMDLINE="$(cat "$root/proc/cmdline")")
        if [ -f "$case/env" ]; then
                while IFS= read -r line; do
                        [[ -z $line || $line == -* ]] && continue
                        vars+=("$line")
                done < "$case/env"
                grep -qx -- -CSS_IN_CONTAINER "$case/env" && vars=("${vars[@]/CSS_IN_CONTAINER=0/CSS_IN_CONTAINER_UNSET=1}")
        fi

        # The equivalent fstab.
        fstab="$tmp/fstab.$name"
        {
                echo "/dev/mapper/atomicos-root / xfs defaults 0 0"
                echo "UUID=2f3c7d6e-1b4a-4c55-9e0f-3a1b2c3d4e5f /boot xfs defaults 0 0"
                for m in "$case"/expected/*.mount; do
                        [ -e "$m" ] || continue
                        what=$(sed -n 's/^What=//p' "$m")
                        where=$(sed -n 's/^Where=//p' "$m" | sed 's/%%/%/g; s/ /\\040/g')
                        echo "$what $where xfs pquota 0 0"
                done
        } > "$fstab"

        css=$(env -i "${vars[@]}" "$timer" --runs "$runs" "${clean[@]}" -- "$generator" "${out[@]}" 2>/dev/null)
        fst=$(env -i SYSTEMD_FSTAB="$fstab" SYSTEMD_PROC_CMDLINE="ro quiet" SYSTEMD_IN_INITRD=0 \
                SYSTEMD_SYSFS_CHECK=no SYSTEMD_LOG_TARGET=console \
                "$timer" --runs "$runs" "${clean[@]}" -- "$fstab_generator" "${out[@]}" 2>/dev/null)
        procs=$(spawned env -i "${vars[@]}")
        read -r _ css_fail css_med css_p10 css_p90 _ css_cpu <<< "$css"
        read -r _ fst_fail fst_med fst_p10 fst_p90 _ fst_cpu <<< "$fst"
        [ "$css_fail" = 0 ] || echo "warning: $name: generator failed $css_fail times" >&2
        [ "$fst_fail" = 0 ] || echo "warning: $name: fstab-generator failed $fst_fail times" >&2
        ratio=$(awk -v a="$css_med" -v b="$fst_med" 'BEGIN { printf "%.2f", a / b }')
        printf '%-32s %9s %15s %7s %5s | %9s %15s %7s | %6s\n' "$name" "$css_med" "$css_p10-$css_p90" "$css_cpu" "$procs" \
                "$fst_med" "$fst_p10-$fst_p90" "$fst_cpu" "$ratio"
        css_all+=("$css_med") fstab_all+=("$fst_med")
done

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
m_css=$(median "${css_all[@]}") m_fst=$(median "${fstab_all[@]}")
printf '%-32s %9s %15s %7s %5s | %9s %15s %7s | %6s\n' "median over cases" "$m_css" "" "" "" "$m_fst" "" "" \
        "$(awk -v a="$m_css" -v b="$m_fst" 'BEGIN { printf "%.2f", a / b }')"
