// SPDX-License-Identifier: Apache-2.0
#pragma once

// Making arbitrary strings safe as unit file values. systemd parses each setting differently:
// every value goes through specifier expansion ('%'), ExecStart= words are unquoted and
// C-unescaped, list settings such as RequiresMountsFor= are unquoted only, and single-value
// settings (Where=, What=, Description=) take the rest of the line with outer whitespace
// stripped. One function per parser, so the generator never hand-quotes.

#include <string>
#include <string_view>

namespace css::unit_escape {

// systemd's specifier_escape(): '%' -> "%%".
std::string specifiers(std::string_view s);

// systemd's cescape(): \a \b \f \n \r \t \v \\ \" \' and every other byte outside printable
// ASCII as \xNN.
std::string c_escape(std::string_view s);

// One word of ExecStart= (EXTRACT_UNQUOTE|EXTRACT_CUNESCAPE, then specifiers): quoted and
// C-escaped only when it has to be.
std::string exec_word(std::string_view s);

// One word of a space-separated list setting such as RequiresMountsFor= (EXTRACT_UNQUOTE, then
// specifiers): quoted, with '"' and '\' backslash-escaped, only when it has to be.
std::string list_word(std::string_view s);

} // namespace css::unit_escape
