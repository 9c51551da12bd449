// SPDX-License-Identifier: Apache-2.0
#pragma once

// Reading a whole configuration file into memory, refusing what is not a regular file
// (a directory, a FIFO that would block the boot, a device) and anything absurdly large.

#include "core/result.hpp"

#include <optional>
#include <string>

namespace css {

enum class Symlinks { follow, refuse };

// nullopt when the file does not exist (or is a dangling symlink that is followed). A symlink
// is an error with Symlinks::refuse: for a file we may replace, whose link would be lost.
Result<std::optional<std::string>> read_config_file(const std::string &path, Symlinks symlinks = Symlinks::follow);

} // namespace css
