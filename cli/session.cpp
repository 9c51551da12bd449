// SPDX-License-Identifier: Apache-2.0
#include "session.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"

#include <charconv>
#include <cstdio>
#include <cstdlib>
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

Result<FileLock> take_global_lock()
{
        LockWait wait;
        if (const char *s = std::getenv("CSS_LOCK_TIMEOUT"); s && *s) {
                unsigned seconds = 0;
                std::string_view v(s);
                auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
                if (ec != std::errc() || end != v.data() + v.size())
                        return Error{"Invalid CSS_LOCK_TIMEOUT '" + std::string(v) + "': not a number of seconds", EINVAL};
                wait.timeout = std::chrono::seconds(seconds);
        }
        return lock_file(paths::host_path(paths::lock_file), wait);
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

int report_failure(const Error &error)
{
        log::error(error.message);
        return 1;
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
