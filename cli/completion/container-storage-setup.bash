# SPDX-License-Identifier: Apache-2.0
# bash completion for container-storage-setup and docker-storage-setup. The lists come from
# the program itself (--help for the commands, `check` for the key names) and from the state
# directory (configuration names), so they cannot drift from the code.

_container_storage_setup_commands()
{
        "$1" --help 2>/dev/null | sed -n '/^Commands:/,/^$/{/^  [a-z]/{s/^  \([a-z-]*\).*/\1/;p}}'
}

# The names of the configurations made with `create`.
_container_storage_setup_names()
{
        local dir=${CSS_ROOT-}/var/lib/container-storage-setup d
        for d in "$dir"/*/; do
                [[ -d $d ]] && basename "$d"
        done
}

# KEY= for every key docker-storage-setup(5) accepts, as `check` prints them for an empty
# file (it wants a regular file).
_container_storage_setup_keys()
{
        local empty
        empty=$(mktemp) || return
        "$1" check "$empty" 2>/dev/null | sed -n 's/^\([A-Z_][A-Z0-9_]*\)=.*/\1=/p'
        rm -f "$empty"
}

# Files, through bash-completion's _filedir where it is loaded.
_container_storage_setup_files()
{
        if declare -F _filedir >/dev/null; then
                _filedir
        else
                COMPREPLY=($(compgen -f -- "$cur"))
        fi
}

_container_storage_setup()
{
        # COMP_WORDS directly rather than _init_completion: the script also works (and is
        # tested) without the bash-completion package.
        local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
        local words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
        local prog=${words[0]} command= i
        for ((i = 1; i < cword; i++)); do
                if [[ ${words[i]} != -* ]]; then
                        command=${words[i]}
                        break
                fi
        done

        if [[ -z $command ]]; then
                if [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W '--reset --dry-run --help --version -h -v' -- "$cur"))
                else
                        COMPREPLY=($(compgen -W "$(_container_storage_setup_commands "$prog")" -- "$cur"))
                fi
                return
        fi

        # Positional words after the command.
        local n=0
        for ((i = i + 1; i < cword; i++)); do
                [[ ${words[i]} == -* || ${words[i - 1]} == -o || ${words[i - 1]} == --output ]] || n=$((n + 1))
        done
        case $command in
        check)
                if [[ $prev == --step || $prev == --generator-error ]]; then
                        return
                elif [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W '--json --step --generator-error --help' -- "$cur"))
                elif [[ $cur == [A-Z]* ]]; then
                        compopt -o nospace 2>/dev/null
                        COMPREPLY=($(compgen -W "$(_container_storage_setup_keys "$prog")" -- "$cur"))
                else
                        _container_storage_setup_files
                fi
                ;;
        plan | status)
                COMPREPLY=($(compgen -W '--json --help' -- "$cur"))
                ;;
        list)
                if [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W '--json --help' -- "$cur"))
                elif ((n == 0)); then
                        COMPREPLY=($(compgen -W "$(_container_storage_setup_names)" -- "$cur"))
                fi
                ;;
        create)
                if [[ $prev == -o || $prev == --output ]]; then
                        _container_storage_setup_files
                elif [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W '--output -o --help' -- "$cur"))
                elif ((n == 1)); then
                        _container_storage_setup_files
                fi
                ;;
        activate | deactivate | remove | export)
                if [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W '--help' -- "$cur"))
                elif ((n == 0)); then
                        COMPREPLY=($(compgen -W "$(_container_storage_setup_names)" -- "$cur"))
                fi
                ;;
        export-images | import-images)
                if [[ $prev == -e || $prev == --engine ]]; then
                        COMPREPLY=($(compgen -W 'docker podman' -- "$cur"))
                elif [[ $cur == -* ]]; then
                        COMPREPLY=($(compgen -W '--engine --dry-run --help' -- "$cur"))
                        [[ $command == export-images ]] && COMPREPLY+=($(compgen -W '--json' -- "$cur"))
                else
                        compopt -o dirnames 2>/dev/null
                        COMPREPLY=($(compgen -d -- "$cur"))
                fi
                ;;
        switch)
                if [[ $prev == -e || $prev == --engine ]]; then
                        COMPREPLY=($(compgen -W 'docker podman' -- "$cur"))
                elif [[ $prev == -x || $prev == --export ]]; then
                        compopt -o dirnames 2>/dev/null
                        COMPREPLY=($(compgen -d -- "$cur"))
                else
                        COMPREPLY=($(compgen -W '--export --engine --dry-run --json --help' -- "$cur"))
                fi
                ;;
        add-dev)
                if ((n == 0)); then
                        COMPREPLY=($(compgen -W "$(_container_storage_setup_names)" -- "$cur"))
                elif ((n == 1)); then
                        COMPREPLY=($(compgen -W "$(lsblk -dnpo NAME 2>/dev/null)" -- "$cur"))
                fi
                ;;
        esac
}
complete -F _container_storage_setup container-storage-setup docker-storage-setup
