// SPDX-License-Identifier: Apache-2.0
#pragma once

// The configuration the storage was last set up from, kept so that a later change knows what
// was there before the admin edited the files: `container-storage-setup switch` removes what
// that configuration created (the LV, the pool, their profile), not what the edited one names.
// It is the effective configuration as KEY=value lines (format_config_shell, which is itself a
// valid configuration file), written by css-write-storage-config, the last step, when every
// step before it succeeded.

#include "config/config.hpp"
#include "core/result.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace css {
class StepContext;
}

namespace css::steps {

inline constexpr std::string_view applied_config_record = "/var/lib/container-storage-setup/.applied-config";

// Writes the context's configuration as the applied one (nothing under --dry-run).
Result<void> record_applied_config(StepContext &context);

// The configuration in `text` (a record's content), or the reasons it cannot be read back.
Result<Config> parse_applied_config(std::string_view text);

// The last applied configuration; nullopt when the storage was never set up by this version
// (no record). An unreadable or invalid record is an error, never "nothing was set up".
Result<std::optional<Config>> read_applied_config();

} // namespace css::steps
