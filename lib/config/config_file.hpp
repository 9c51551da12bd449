// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reading a whole configuration file into memory, refusing what is not a regular file
// (a directory, a FIFO that would block the boot, a device) and anything absurdly large.

#include "core/result.hpp"

#include <optional>
#include <string>

namespace css {

// Symlinks are followed. nullopt when the file does not exist (or is a dangling symlink).
Result<std::optional<std::string>> read_config_file(const std::string &path);

} // namespace css
