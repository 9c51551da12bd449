// SPDX-License-Identifier: Apache-2.0
#pragma once

// What the commands that act on storage share: loading a configuration with its warnings and
// errors logged, the global lock, and writing their stdout.

#include "config/config_load.hpp"
#include "named/state.hpp"
#include "core/exit_code.hpp"
#include "core/result.hpp"
#include "sys/lock.hpp"

#include <optional>
#include <string_view>

namespace css::cli {

// Logs every diagnostic (warnings and errors); nullopt when the configuration is invalid.
std::optional<Config> load_reported(const LoadOptions &options);

// How every command on one saved configuration starts: the global lock first, then the
// configuration (metadata and status) read under it. The lock is held while the result lives.
struct LockedConfiguration {
        FileLock lock;
        named::Opened opened;
};
Result<LockedConfiguration> lock_configuration(std::string_view name);

// Writes to stdout and flushes; false (after logging) when stdout fails (a full disk, EPIPE).
bool write_stdout(std::string_view text);

} // namespace css::cli
