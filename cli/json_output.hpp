// SPDX-License-Identifier: Apache-2.0
#pragma once

// The --json documents of plan, status and list: built as nlohmann::ordered_json (members
// print in the order added), printed by json_text().

#include <nlohmann/json.hpp>

#include <string>

namespace css::cli {

using JsonDocument = nlohmann::ordered_json;

// Indented two spaces, with a final newline. Text that is not UTF-8 (a device name, a file's
// content) prints with U+FFFD in place of the bad bytes instead of failing the whole document.
inline std::string json_text(const JsonDocument &doc)
{
        return doc.dump(2, ' ', false, JsonDocument::error_handler_t::replace) + "\n";
}

} // namespace css::cli
