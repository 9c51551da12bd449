// SPDX-License-Identifier: Apache-2.0
#include "session.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"

#include <cstdio>
#include <string>

namespace css::cli {

std::optional<Config> load_reported(const LoadOptions &options)
{
        LoadedConfig loaded = load_config(options);
        for (const Diagnostic &d : loaded.diagnostics) {
                if (d.severity == Diagnostic::Severity::warning)
                        log::warning(d.to_string());
                else
                        log::error(d.to_string());
        }
        if (!loaded.valid())
                return std::nullopt;
        return std::move(loaded.config);
}

Result<LockedConfiguration> lock_configuration(std::string_view name)
{
        Result<FileLock> lock = take_global_lock();
        if (!lock)
                return lock.error();
        Result<named::Opened> opened = named::open_configuration(name);
        if (!opened)
                return opened.error();
        return LockedConfiguration{std::move(*lock), std::move(*opened)};
}

bool write_stdout(std::string_view text)
{
        if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
                log::error("Failed to write to stdout.");
                return false;
        }
        return true;
}

} // namespace css::cli
