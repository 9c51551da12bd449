#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# Documentation coverage of the man pages (man/*.scd): what the code accepts, builds and points
# at must be documented. Every list is taken from the code or the built programs, never typed
# here, so a new key, command, option or helper fails this test until its page says something.
#
#   (a) every configuration key the parser accepts (lib/config/config_keys.hpp, cross-checked
#       with `container-storage-setup check --json` on an empty file) has its own entry
#       "*KEY*=..." in docker-storage-setup.5.scd, and that entry has an example and gives the
#       default the program reports ("Default: _VALUE_", or "Default: empty/unset" for an empty
#       value);
#   (b) every command of the CLI's command table (cli/commands.cpp, cross-checked with the
#       built program's --help) has an entry "*NAME*" in container-storage-setup.8.scd, and
#       every option the CLI's sources compare against ("--json", "-h", ... and --help and
#       --version in any case; --reset as soon as the CLI has it) appears as *OPTION* there;
#   (c) every helper helpers/meson.build builds has a section "# css-NAME" in
#       container-storage-setup-helpers.8.scd, is named in its NAME line, is built, and its
#       --help points at container-storage-setup-helpers(8);
#   (d) every man:NAME(N) reference in the generator's golden units
#       (tests/generator/cases/*/expected) and in the generator's sources is a page or an alias
#       of man/meson.build;
#   (e) every man/*.scd is listed in man/meson.build and every listed page has its source;
#   (f) with BUILT_MAN_DIR: every page was built and no @VARIABLE@ was left unreplaced.
#
# Usage: check-man-coverage.sh SOURCE_ROOT MAN_DIR CLI HELPER_BUILD_DIR [BUILT_MAN_DIR]
#   MAN_DIR is normally SOURCE_ROOT/man; the self-test passes a damaged copy.
set -u

src=$1 man=$2 cli=$(realpath "$3") helper_build=$4 built=${5:-}
failures=0
checks=0
scratch=$(mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT

fail() {
        echo "FAIL: $*"
        failures=$((failures + 1))
}
check() { checks=$((checks + 1)); }

page5=$man/docker-storage-setup.5.scd
page8=$man/container-storage-setup.8.scd
helpers_page=$man/container-storage-setup-helpers.8.scd
for f in "$page5" "$page8" "$helpers_page" "$man/meson.build"; do
        [ -f "$f" ] || { fail "missing $f"; }
done
[ "$failures" = 0 ] || { echo "$failures failed"; exit 1; }

# The tab-indented body of the definition-list entry whose first line starts with $2.
entry() {
        awk -v head="$2" '
                started && /^[^\t]/ && $0 != "" { exit }
                started { print }
                index($0, head) == 1 { started = 1; print }
        ' "$1"
}

# --- (a) configuration keys -------------------------------------------------------------
keys_header=$src/lib/config/config_keys.hpp
# The config_keys array plus the accepted deprecated alias.
code_keys=$(
        sed -n '/config_keys = {/,/};/p' "$keys_header" | grep -o '"[A-Z_][A-Z0-9_]*"' | tr -d '"'
        grep -o 'deprecated_extra_key = "[A-Z_][A-Z0-9_]*"' "$keys_header" | grep -o '"[^"]*"' | tr -d '"'
)
[ "$(echo "$code_keys" | grep -c .)" -ge 20 ] || fail "could not read the keys from $keys_header"

mkdir -p "$scratch/root/usr/share/container-storage-setup"
cp "$src/data/container-storage-setup.conf" "$scratch/root/usr/share/container-storage-setup/container-storage-setup"
: > "$scratch/empty.conf"
CSS_ROOT=$scratch/root "$cli" check --json "$scratch/empty.conf" > "$scratch/keys.json" 2> "$scratch/err" ||
        fail "container-storage-setup check --json on an empty file failed: $(cat "$scratch/err")"
CSS_ROOT=$scratch/root "$cli" check "$scratch/empty.conf" > "$scratch/defaults" 2> "$scratch/err" ||
        fail "container-storage-setup check on an empty file failed: $(cat "$scratch/err")"
json_keys=$(grep -o '^ *"[A-Z_][A-Z0-9_]*":' "$scratch/keys.json" | tr -d ' ":')
[ "$(echo "$json_keys" | grep -c .)" -ge 20 ] || fail "could not read the keys from check --json"
# Every key check reports is one the header lists (the header adds only the deprecated alias).
for k in $json_keys; do
        echo "$code_keys" | grep -qx "$k" || fail "check --json reports $k, which config_keys.hpp does not list"
done

for k in $code_keys; do
        check
        if ! grep -q "^\*$k\*=" "$page5"; then
                fail "docker-storage-setup.5.scd has no entry '*$k*=...' for the key $k"
                continue
        fi
        body=$(entry "$page5" "*$k*=")
        echo "$body" | grep -q "Example" || fail "docker-storage-setup.5.scd: the entry of $k has no example"
        line=$(grep "^$k=" "$scratch/defaults")
        [ -n "$line" ] || continue # an accepted key that check folds into another (the alias)
        value=${line#*=}
        value=${value#\'}
        value=${value%\'}
        case $value in
        "" | no)
                echo "$body" | grep -Eq "Default: (empty|unset)" ||
                        fail "docker-storage-setup.5.scd: the entry of $k does not say 'Default: empty' or 'Default: unset'" ;;
        *)
                echo "$body" | grep -Fq "Default: _${value}_" ||
                        fail "docker-storage-setup.5.scd: the entry of $k does not give its default 'Default: _${value}_'" ;;
        esac
done

# --- (b) commands and options -----------------------------------------------------------
table_commands=$(grep -o '{"[a-z][a-z-]*", "' "$src/cli/commands.cpp" | grep -o '"[a-z-]*"' | head -n 1000 | tr -d '"')
[ -n "$table_commands" ] || fail "could not read the command table of cli/commands.cpp"
help_commands=$("$cli" --help 2>/dev/null | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }')
[ -n "$help_commands" ] || fail "container-storage-setup --help lists no commands"
for c in $help_commands; do
        echo "$table_commands" | grep -qx "$c" || fail "--help lists $c, which is not in cli/commands.cpp"
done
for c in $table_commands; do
        check
        grep -q "^\*$c\*" "$page8" || fail "container-storage-setup.8.scd has no entry for the command '$c'"
done

# Options compared against by hand, and those of the commands' option tables (cli/arguments.hpp:
# {"long-name", 'x', takes_value}).
options=$(
        printf '%s\n' --help --version
        cat "$src"/cli/*.cpp | grep -oE '"--?[a-z][a-z-]*"' | tr -d '"'
        cat "$src"/cli/*.cpp "$src"/cli/named/*.cpp | grep -oE '\{"[a-z][a-z-]*", ('"'"'[a-z]'"'"'|0), (true|false)\}' |
                sed -E "s/^\{\"([a-z-]+)\", ('([a-z])'|0).*/--\1 \3/" | tr ' ' '\n' | sed -E 's/^([a-z])$/-\1/'
)
for o in $(echo "$options" | sort -u); do
        check
        grep -qF -- "*$o*" "$page8" || fail "container-storage-setup.8.scd does not document the option $o"
done

# --- (c) helpers ------------------------------------------------------------------------
# css-<step> for each step it lists, and each executable('css-...') it names itself.
helpers=$(sed -n "s/^  '\([a-z-]*\)',\$/css-\1/p" "$src/helpers/meson.build"
        grep -oE "^executable\('css-[a-z-]+'" "$src/helpers/meson.build" | grep -oE 'css-[a-z-]+')
[ "$(echo "$helpers" | grep -c .)" -ge 5 ] || fail "could not read the helper table of helpers/meson.build"
name_line=$(sed -n '/^# NAME/,/^# /p' "$helpers_page")
for h in $helpers; do
        check
        grep -qx "# $h" "$helpers_page" || fail "container-storage-setup-helpers.8.scd has no section '# $h'"
        echo "$name_line" | grep -qE "(^|[ ,])$h(,| -)" ||
                fail "container-storage-setup-helpers.8.scd does not name $h in its NAME line"
        if [ ! -x "$helper_build/$h" ]; then
                fail "helper $h is not built in $helper_build"
        elif ! "$helper_build/$h" --help 2>/dev/null | grep -qF 'container-storage-setup-helpers(8)'; then
                fail "$h --help does not point at container-storage-setup-helpers(8)"
        fi
done

# --- (d) man: references ----------------------------------------------------------------
# Pages and aliases of man/meson.build: ['name', 'N'] and ['alias', 'N', 'page'].
pages=$(grep -oE "^ *\['[a-z0-9.-]+', '[0-9]'" "$man/meson.build" | grep -oE "'[^']*', '[0-9]'" |
        sed -E "s/'([^']*)', '([0-9])'/\1(\2)/")
[ -n "$pages" ] || fail "could not read the pages of man/meson.build"
# Pages of other projects the units may point at; none so far.
external=""
refs=$(grep -rhoE 'man:[A-Za-z0-9._-]+\([0-9]\)' "$src"/tests/generator/cases/*/expected "$src"/generator 2>/dev/null |
        sed 's/^man://' | sort -u)
[ -n "$refs" ] || fail "found no man: references in the generator's golden units"
for r in $refs; do
        check
        echo "$pages" | grep -qxF "$r" || echo "$external" | grep -qxF "$r" ||
                fail "the generator points at man:$r, which man/meson.build does not build"
done

# --- (e) sources and the page list agree ------------------------------------------------
for f in "$man"/*.scd; do
        base=$(basename "$f" .scd)
        check
        echo "$pages" | grep -qxF "${base%.*}(${base##*.})" || fail "$base.scd is not listed in man/meson.build"
done
for p in $pages; do
        name=${p%(*} section=${p#*(}
        section=${section%)}
        # Aliases have no source of their own.
        grep -qE "\['$name', '$section', '" "$man/meson.build" && continue
        check
        [ -f "$man/$name.$section.scd" ] || fail "man/meson.build lists $name.$section, which has no source"
done

# --- (f) the built pages ----------------------------------------------------------------
if [ -n "$built" ]; then
        for f in "$man"/*.scd; do
                base=$(basename "$f" .scd)
                check
                if [ ! -s "$built/$base" ]; then
                        fail "$base was not built in $built"
                elif grep -qE '@[A-Z_]+@' "$built/$base"; then
                        fail "$base has unreplaced variables: $(grep -oE '@[A-Z_]+@' "$built/$base" | sort -u | tr '\n' ' ')"
                fi
        done
fi

echo "$checks checks, $failures failed"
[ "$failures" = 0 ]
