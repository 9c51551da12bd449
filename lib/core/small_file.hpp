// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>

namespace css {

// A small file (sysfs, /proc, state files) read whole; nullopt when it cannot be opened or is
// longer than `limit` bytes (errno EFBIG): never a silently cut part of it. The limit keeps an
// odd file (a FIFO, /dev/zero) from stalling a boot.
std::optional<std::string> read_small_file(const std::string &path, size_t limit);

} // namespace css
