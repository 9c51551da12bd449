// SPDX-License-Identifier: Apache-2.0
#include "steps/applied_config.hpp"

#include "config/config_file.hpp"
#include "config/config_format.hpp"
#include "config/config_load.hpp"
#include "core/paths.hpp"
#include "steps/step_context.hpp"

#include <cerrno>

namespace css::steps {

Result<void> record_applied_config(StepContext &context)
{
        if (context.dry_run())
                return {};
        const std::string path = paths::host_path(applied_config_record);
        if (Result<void> r = make_directories(path.substr(0, path.rfind('/'))); !r)
                return r;
        return write_file_atomic(path, format_config_shell(context.config()));
}

Result<Config> parse_applied_config(std::string_view text)
{
        LoadOptions options;
        options.mode = ConfigMode::compat;
        options.input_path = std::string(applied_config_record);
        options.input_text = std::string(text);
        LoadedConfig loaded = load_config(options);
        if (!loaded.valid()) {
                std::string reasons;
                for (const std::string &e : loaded.errors())
                        reasons += (reasons.empty() ? "" : "; ") + e;
                return Error{"The record of the configuration last applied cannot be read back: " + reasons, EINVAL};
        }
        return loaded.config;
}

Result<std::optional<Config>> read_applied_config()
{
        Result<std::optional<std::string>> text = read_config_file(paths::host_path(applied_config_record));
        if (!text)
                return text.error();
        if (!*text)
                return std::optional<Config>();
        Result<Config> config = parse_applied_config(**text);
        if (!config)
                return config.error();
        return std::optional<Config>(std::move(*config));
}

} // namespace css::steps
