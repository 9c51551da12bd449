// SPDX-License-Identifier: Apache-2.0
#pragma once

// The shell-level half of reading a KEY=value file: what sh(1) would do *before* it decides a
// line is an assignment, without ever running anything. inih (shell_assignments.cpp) then
// classifies the lines; this file only knows quotes, comments and continuation lines.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace css {

// One logical line: a physical line, or several when a quoted string or a backslash-newline
// continues it. Leading blanks and comments are already removed; embedded newlines are kept
// so error positions can be mapped back to physical lines.
struct LogicalLine {
        unsigned line = 0; // 1-based physical line where it starts
        std::string text;
};

struct LexError {
        unsigned line = 0;
        std::string message;
};

struct SplitResult {
        std::vector<LogicalLine> lines;
        std::vector<LexError> errors; // a NUL byte or an unterminated quote; lines stop there
};

// Splits a whole file into logical lines, quote-aware ('#' inside quotes is not a comment).
SplitResult split_logical_lines(std::string_view text);

struct UnquoteResult {
        bool ok = false;
        std::string value;   // the value after quote removal, when ok
        size_t offset = 0;   // where the problem is, in the raw text, when !ok
        std::string message; // why, when !ok
};

// Turns the raw text after "KEY=" into the value sh would assign, or refuses anything that
// would make sh expand, run or redirect something: $(...), `...`, $VAR, ${VAR}, ;, |, &, <, >,
// unquoted ( ), tilde expansion, text after the value (sh would run it as a command).
UnquoteResult unquote_shell_value(std::string_view raw);

// True when the bytes are well-formed UTF-8 (no overlong forms, surrogates or > U+10FFFF).
bool is_valid_utf8(std::string_view s);

// True for [A-Za-z_][A-Za-z0-9_]*, the names sh accepts in an assignment.
bool is_shell_name(std::string_view s);

} // namespace css
