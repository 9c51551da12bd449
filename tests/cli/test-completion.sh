#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# The bash completion (cli/completion): commands, options, configuration names and key names,
# driven as bash drives it (COMP_WORDS/COMP_CWORD), against the built program.
#
#   test-completion.sh BINARY COMPLETION-SCRIPT
set -u
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh" "$1"
# shellcheck source=../../cli/completion/container-storage-setup.bash
source "$2"

# complete_words WORD... : the candidates for the last word.
complete_words() {
        COMP_WORDS=("$binary" "$@")
        COMP_CWORD=$#
        COMPREPLY=()
        _container_storage_setup
        printf '%s\n' "${COMPREPLY[@]}" | sort | paste -sd ' ' -
}

# expect_completion "EXPECTED" WORD...
expect_completion() {
        local want=$1
        shift
        local got
        got=$(complete_words "$@")
        if [ "$got" = "$want" ]; then
                echo "ok   complete '$*' -> $got"
        else
                echo "FAIL complete '$*': got '$got', expected '$want'"
                failures=$((failures + 1))
        fi
}

check test "$(complete -p container-storage-setup docker-storage-setup | wc -l)" = 2 -- "registered for both names"
# Every command of --help, from the program itself.
expect_completion "activate add-dev check create deactivate export export-images import-images list plan remove status switch" ""
expect_completion "activate add-dev" "a"
expect_completion "--dry-run --help --reset --version -h -v" "-"
expect_completion "--help --json" "status" "-"
expect_completion "--help --output -o" "create" "-"
printf 'STORAGE_DRIVER=\n' >"$scratch/none.conf"
(cd "$scratch" && "$binary" create web none.conf && "$binary" create api none.conf) >/dev/null
expect_completion "api web" "activate" ""
expect_completion "web" "remove" "w"
expect_completion "" "export" "web" ""
expect_completion "api web" "list" ""
expect_completion "api web" "add-dev" ""
expect_completion "docker podman" "export-images" "--engine" ""
expect_completion "--dry-run --engine --help --json" "export-images" "-"
expect_completion "--dry-run --engine --help" "import-images" "-"
expect_completion "--dry-run --engine --export --help --json" "switch" "-"
expect_completion "docker podman" "switch" "--engine" ""
# Key names for check, from the program's own list.
expect_completion "STORAGE_DRIVER=" "check" "STORAGE_D"
expect_completion "CONTAINER_ROOT_LV_MOUNT_PATH= CONTAINER_ROOT_LV_NAME= CONTAINER_ROOT_LV_SIZE= CONTAINER_THINPOOL=" "check" "CONTAINER_"
# Files for check and for create's INFILE and -o.
(cd "$scratch" && expect_completion "none.conf" "check" "non")
(cd "$scratch" && expect_completion "none.conf" "create" "-o" "non")
(cd "$scratch" && expect_completion "none.conf" "create" "x" "non")
(cd "$scratch" && expect_completion "" "create" "non")
finish
