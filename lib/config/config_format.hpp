// SPDX-License-Identifier: Apache-2.0
#pragma once

// Printing the effective configuration: as KEY=value lines that are themselves a valid
// configuration file (values shell-quoted when needed), or as one JSON object.
// Keys come in the order of config_keys (config_keys.hpp).

#include "config/config.hpp"

#include <string>
#include <string_view>

namespace css {

// The value unchanged when it holds only characters no shell treats specially, else in
// single quotes with each ' written as '\''. "" stays empty (KEY= assigns the empty string).
std::string shell_quote(std::string_view value);

// A JSON string literal, quotes included (nlohmann::json's escaping). Bytes that are not UTF-8
// become U+FFFD so the output is always valid JSON (values are UTF-8-checked when read, so
// this is a last resort).
std::string json_quote(std::string_view value);

std::string format_config_shell(const Config &config);

// Booleans as true/false, numbers as numbers, DEVS as an array, everything else a string
// ("" when unset), one key per line.
std::string format_config_json(const Config &config);

} // namespace css
