#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Builds the libFuzzer targets with Debian's clang and runs each for SECONDS (default 60), all
# at once. Prints each target's execs and coverage; fails when a target finds
# a crash, a sanitizer report or a broken invariant, and keeps the reproducer.
#
#   tests/fuzz/run.sh [SECONDS]
#   tests/fuzz/run.sh --build-only
#
# Targets (tests/fuzz/fuzz_*.cpp): config (a whole file through load_config, with the
# print-and-read-back invariant), generator (a file the validator accepts must give units the
# generator can write, with valid names and paths), size (the size grammar against a regex
# reference) and lvm_report (lvm's JSON report through lvm::parse_report).
# Seeds: tests/fuzz/corpus/<target>/ (hand-picked: the config corpus, data/, the lab's and the
# VM scenarios' files; size values; generator shares config's), never written here; what the fuzzer finds stays in
# BUILD/corpus/<target>/ (a minimised merge is ~800 files, too many to keep in the tree).
# Reproduce a failure: BUILD/fuzz_<target> BUILD/artifacts/<target>-crash-...
#
# Environment: CSS_FUZZ_BUILD_DIR (default build-fuzz under the source tree), CXX (clang++).
# Only the sources the targets need are compiled, through a generated build.ninja (no meson
# project).
set -euo pipefail

build_only=0
[[ ${1:-} != --build-only ]] || { build_only=1; shift; }
seconds=${1:-60}
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${CSS_FUZZ_BUILD_DIR:-$src/build-fuzz}
cxx=${CXX:-clang++}
targets=(config generator size lvm_report)

if ! command -v "$cxx" >/dev/null; then
        echo "SKIP: $cxx not found (Debian: apt-get install clang)"
        exit 77
fi

# The config library and what it needs from core/ and sys/ (the switch record), nothing else.
lib_sources=(
        lib/config/config.cpp lib/config/config_file.cpp lib/config/config_format.cpp
        lib/config/config_load.cpp lib/config/config_validate.cpp lib/config/names.cpp lib/config/printable.cpp
        lib/config/shell_assignments.cpp lib/config/shell_lexer.cpp lib/config/size.cpp
        lib/core/paths.cpp lib/core/result.cpp lib/systemd/unit_name.cpp lib/systemd/unit_path.cpp
        lib/config/pending_switch.cpp lib/core/small_file.cpp lib/sys/atomic_file.cpp lib/core/log.cpp
)
# What a target needs beyond that.
declare -A target_sources=(
        [lvm_report]="lib/lvm/report_parse.cpp"
        [generator]="generator/unit_graph.cpp lib/steps/step_table.cpp lib/steps/container_root_lv.cpp
                     lib/systemd/unit_text.cpp lib/systemd/unit_writer.cpp lib/systemd/unit_escape.cpp"
)
# Seeds and dictionary, when not the target's own.
declare -A shares=([generator]=config)
# shellcheck disable=SC2054 # the commas belong to -fsanitize=
cxxflags=(-std=c++20 -O1 -g -D_GNU_SOURCE -I"$build" -I"$src" -I"$src/lib" -Wall -Wextra -Werror
          -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined)

mkdir -p "$build/artifacts"
# meson's build-config.h, as far as lib/sys/atomic_file.cpp needs it: no test points.
printf '#pragma once\n#define CSS_TEST_POINTS 0\n' >"$build/build-config.h"
# A generated ninja file: parallel, and header changes rebuild what they should (depfiles).
start=$SECONDS
{
        echo "cxxflags = ${cxxflags[*]}"
        echo "rule cxx"
        echo "  command = $cxx \$cxxflags \$extra -MD -MF \$out.d -c \$in -o \$out"
        echo "  depfile = \$out.d"
        echo "  deps = gcc"
        echo "rule link"
        echo "  command = $cxx -fsanitize=fuzzer,address,undefined \$in -linih -o \$out"
        object_of() { echo "obj/$(basename "${1%.cpp}").o"; }
        all_sources=("${lib_sources[@]}")
        for t in "${targets[@]}"; do
                # shellcheck disable=SC2206 # word splitting of the list is wanted
                all_sources+=(${target_sources[$t]:-})
        done
        for s in $(printf '%s\n' "${all_sources[@]}" | sort -u); do
                printf 'build %s: cxx %s\n  extra = -fsanitize=fuzzer-no-link\n' "$(object_of "$s")" "$src/$s"
        done
        lib_objects=()
        for s in "${lib_sources[@]}"; do
                lib_objects+=("$(object_of "$s")")
        done
        for t in "${targets[@]}"; do
                objects=("${lib_objects[@]}")
                for s in ${target_sources[$t]:-}; do
                        objects+=("$(object_of "$s")")
                done
                printf 'build obj/fuzz_%s.o: cxx %s\n  extra = -fsanitize=fuzzer\n' "$t" "$here/fuzz_$t.cpp"
                printf 'build fuzz_%s: link obj/fuzz_%s.o %s\n' "$t" "$t" "${objects[*]}"
        done
} >"$build/build.ninja.new"
mv "$build/build.ninja.new" "$build/build.ninja"
ninja -C "$build" >"$build/build.log" || { cat "$build/build.log"; exit 1; }
echo "built ${targets[*]} in $((SECONDS - start)) s ($build)"
((build_only == 0)) || exit 0

pids=()
# An interrupted run leaves no fuzzer behind; a reaped one is forgotten (its pid may be reused).
# shellcheck disable=SC2317 # called by the trap
stop_fuzzers() { for p in "${pids[@]}"; do [[ -z $p ]] || kill "$p" 2>/dev/null || true; done; }
trap stop_fuzzers EXIT
# Each target: its working corpus in BUILD (kept between runs) plus the stored seeds.
# Size values are short: longer inputs only slow the regex reference down.
declare -A max_len=([config]=8192 [generator]=8192 [size]=128 [lvm_report]=8192)
for t in "${targets[@]}"; do
        mkdir -p "$build/corpus/$t"
        seeds=${shares[$t]:-$t}
        (
                cd "$build"
                exec ./"fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
                        -max_len="${max_len[$t]}" -print_final_stats=1 -dict="$here/$seeds.dict" \
                        -artifact_prefix="artifacts/$t-" "corpus/$t" "$here/corpus/$seeds"
        ) >"$build/$t.log" 2>&1 &
        pids+=($!)
done
failed=0
for i in "${!targets[@]}"; do
        t=${targets[$i]} rc=0
        wait "${pids[$i]}" || rc=$?
        pids[i]=
        log=$build/$t.log
        execs=$(grep -a '^stat::number_of_executed_units:' "$log" | tr -dc 0-9 || true)
        cov=$(grep -a -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -1 || true)
        if [[ $rc == 0 && -n $execs ]] && ! grep -a -q -e '^==[0-9]*==ERROR' -e 'invariant broken' -e 'runtime error' "$log"; then
                echo "ok   fuzz-$t: $execs execs in ${seconds} s, $cov, corpus $(find "$build/corpus/$t" -type f | wc -l) files"
        else
                echo "FAIL fuzz-$t: see $log; reproducer:"
                ls "$build"/artifacts/"$t"-* 2>/dev/null || true
                grep -a -m 20 -e 'ERROR' -e 'invariant broken' -e 'runtime error' -e '^    #' "$log" || tail -30 "$log"
                failed=1
        fi
done

exit $failed
