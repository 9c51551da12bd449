// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reads a sysconfig-style file of shell assignments (KEY=value) without a shell: the lexer
// (shell_lexer.hpp) splits logical lines and unquotes values, inih classifies each line and
// trims the key. Anything sh would treat as more than a plain assignment is refused.

#include "config/config_load.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace css {

struct ShellAssignment {
        std::string key;
        std::string value; // after quote removal
        unsigned line = 0; // physical line where the assignment starts
};

struct ShellParseResult {
        std::vector<ShellAssignment> assignments; // in file order; later ones win
        std::vector<Diagnostic> diagnostics;      // errors name `file` and the line
};

ShellParseResult parse_shell_assignments(std::string_view text, const std::string &file);

} // namespace css
