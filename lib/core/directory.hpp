// SPDX-License-Identifier: Apache-2.0
#pragma once

#include "core/result.hpp"

#include <string>
#include <vector>

namespace css {

// The names in directory `path`, sorted, without "." and ".." and without hidden entries
// (names starting with '.': editors' and tools' temporary files in generator and state
// directories; sysfs and devtmpfs have none). The sort makes every reader deterministic.
Result<std::vector<std::string>> list_directory(const std::string &path);

// The same, for readers to whom a missing or unreadable directory simply holds nothing.
std::vector<std::string> list_directory_or_empty(const std::string &path);

} // namespace css
