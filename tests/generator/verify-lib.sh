# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
#
# verify_tree, shared by verify-golden.sh and verify-corpus.sh: `systemd-analyze verify` over one
# generated tree, with stand-ins for our programs and the engines, against this host's system
# units (verify-golden.sh says how). The caller sets $tmp, a scratch directory.

engines=(docker.service containerd.service podman.service podman-restart.service crio.service)

# verify_tree CASE_DIR TREE_DIR OUT_FILE: runs verify over one tree; the output lands in OUT_FILE.
verify_tree() {
        local case=$1 tree=$2 out=$3
        local work
        # shellcheck disable=SC2154 # $tmp: the caller's scratch directory
        work=$(mktemp -d "$tmp/v.XXXXXX")
        mkdir -p "$work/gen" "$work/standin" "$work/helpers" "$work/bin"
        cp -a "$tree/." "$work/gen/"
        rm -f "$work/gen/.empty"
        find "$work/gen" -type f -exec sed -i -e "s|@HELPERDIR@|$work/helpers|g" -e "s|@BINDIR@|$work/bin|g" {} +
        for exe in $(grep -rhoE "$work/(helpers|bin)/[^ ]+" "$work/gen" | sort -u); do
                printf '#!/bin/sh\nexit 0\n' > "$exe"
                chmod +x "$exe"
        done

        for engine in "${engines[@]}"; do
                printf '[Unit]\nDescription=Stand-in for %s\nWants=network-online.target\nAfter=network-online.target\n\n[Service]\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n' \
                        "$engine" > "$work/standin/$engine"
        done
        local casedir="$case/root/usr/lib/systemd/system"
        local wants=(multi-user.target "${engines[@]}")
        if [ -d "$casedir" ]; then
                mkdir -p "$work/case"
                cp -rL "$casedir/." "$work/case/"
                sed -i 's|^ExecStart=.*|ExecStart=/bin/true|' "$work/case"/*
                for f in "$work/case"/*.service "$work/case"/*.target; do
                        [ -e "$f" ] && wants+=("$(basename "$f")")
                done
        fi
        printf '[Unit]\nDescription=One boot, for verify\nWants=%s\n' "${wants[*]}" > "$work/standin/css-verify-boot.target"

        # Our units, the instances the symlinks name, the engines and the boot target.
        local units=(css-verify-boot.target "${engines[@]}")
        local f
        for f in "$work/gen"/*; do
                f=$(basename "$f")
                case $f in
                *@.service | *.d | *.wants | *.requires) ;;
                *) units+=("$f") ;;
                esac
        done
        for f in "$work/gen"/*.wants/* "$work/gen"/*.requires/*; do
                [ -e "$f" ] || [ -L "$f" ] || continue
                units+=("$(basename "$f")")
        done

        local path="$work/gen:$work/standin"
        [ -d "$casedir" ] && path="$path:$work/case"
        # No trailing ':' (the host's /etc would come in): only systemd's own units.
        path="$path:/lib/systemd/system"
        local rc=0
        SYSTEMD_UNIT_PATH=$path SYSTEMD_LOG_COLOR=0 systemd-analyze verify --man=no "${units[@]}" > "$out" 2>&1 || rc=$?
        [ "$rc" = 0 ] || echo "systemd-analyze verify exited $rc" >> "$out"
}
