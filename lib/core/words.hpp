// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace css {

// The words of `s` separated by runs of blanks (space, tab, newline): what an unquoted shell
// expansion or a device-mapper status line splits into.
std::vector<std::string_view> split_blank_words(std::string_view s);

// A program's one-line answer without the newline and blanks that end it.
std::string without_line_end(std::string s);

} // namespace css
