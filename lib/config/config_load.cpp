// SPDX-License-Identifier: Apache-2.0
#include "config/config_load.hpp"

#include "config/config_file.hpp"
#include "config/config_keys.hpp"
#include "config/config_validate.hpp"
#include "config/pending_switch.hpp"
#include "config/shell_assignments.hpp"
#include "core/paths.hpp"

namespace css {

namespace {

void set(RawSettings &raw, std::string_view key, std::string_view value, const std::string &file, unsigned line)
{
        raw.insert_or_assign(std::string(key), RawValue{std::string(value), file, line});
}

// Applies one file's assignments over `raw`, as sh's `source` would. Returns false when the
// file could not be read or has syntax errors (then nothing from it is applied).
enum class FileState { missing, read, failed };

FileState apply_text(std::string_view text, const std::string &path, RawSettings &raw,
                     std::vector<Diagnostic> &diagnostics)
{
        ShellParseResult parsed = parse_shell_assignments(text, path);
        bool failed = false;
        for (Diagnostic &d : parsed.diagnostics) {
                failed |= d.severity == Diagnostic::Severity::error;
                diagnostics.push_back(std::move(d));
        }
        if (failed)
                return FileState::failed;
        for (const ShellAssignment &a : parsed.assignments) {
                if (a.key == "SETUP_LVM_THIN_POOL") {
                        diagnostics.push_back({Diagnostic::Severity::warning, path, a.line,
                                               "SETUP_LVM_THIN_POOL is no longer supported, ignoring."});
                        continue;
                }
                if (!is_known_key(a.key)) {
                        diagnostics.push_back(
                                {Diagnostic::Severity::warning, path, a.line, "Unknown key " + a.key + ", ignoring."});
                        continue;
                }
                set(raw, a.key, a.value, path, a.line);
        }
        return FileState::read;
}

FileState apply_file(const std::string &path, RawSettings &raw, std::vector<Diagnostic> &diagnostics)
{
        Result<std::optional<std::string>> text = read_config_file(path);
        if (!text) {
                diagnostics.push_back({Diagnostic::Severity::error, "", 0, text.error().message});
                return FileState::failed;
        }
        if (!text->has_value())
                return FileState::missing;
        return apply_text(**text, path, raw, diagnostics);
}

} // namespace

std::string Diagnostic::to_string() const
{
        if (file.empty())
                return message;
        if (line == 0)
                return file + ": " + message;
        return file + ":" + std::to_string(line) + ": " + message;
}

bool LoadedConfig::valid() const
{
        for (const Diagnostic &d : diagnostics)
                if (d.severity == Diagnostic::Severity::error)
                        return false;
        return true;
}

std::vector<std::string> LoadedConfig::errors() const
{
        std::vector<std::string> out;
        for (const Diagnostic &d : diagnostics)
                if (d.severity == Diagnostic::Severity::error)
                        out.push_back(d.to_string());
        return out;
}

LoadOptions file_load_options()
{
        LoadOptions options;
        options.mode = ConfigMode::compat;
        options.defaults_path = paths::host_path(paths::defaults_file);
        options.input_path = paths::host_path(paths::sysconfig_input);
        return options;
}

LoadOptions default_load_options()
{
        LoadOptions options = file_load_options();
        if (std::optional<std::string> old = exporting_switch_config()) {
                // The record's text is the whole configuration; none: nothing was set up.
                options.defaults_path.clear();
                options.input_path = paths::host_path(pending_switch_record);
                options.input_text = old->empty() ? std::string("STORAGE_DRIVER=\n") : *old;
        }
        return options;
}

LoadedConfig load_config(const LoadOptions &options)
{
        LoadedConfig loaded;
        RawSettings raw;
        const std::string builtin;

        for (const auto &[key, value] : script_defaults)
                set(raw, key, value, builtin, 0);

        // An installed defaults file replaces the built-in defaults entirely, as the original
        // sourced only the file: a key it leaves out is unset.
        FileState defaults = options.defaults_path.empty() ? FileState::missing
                                                           : apply_file(options.defaults_path, raw, loaded.diagnostics);
        if (defaults == FileState::missing)
                for (const auto &[key, value] : builtin_defaults)
                        set(raw, key, value, builtin, 0);

        if (options.mode == ConfigMode::compat)
                set(raw, compat_preset.first, compat_preset.second, builtin, 0);

        FileState input = options.input_text
                                  ? apply_text(*options.input_text, options.input_path, raw, loaded.diagnostics)
                          : options.input_path.empty() ? FileState::missing
                                                       : apply_file(options.input_path, raw, loaded.diagnostics);
        loaded.input_exists = input != FileState::missing;
        if (input == FileState::missing && options.input_required)
                loaded.diagnostics.push_back(
                        {Diagnostic::Severity::error, "", 0,
                         "Failed to read '" + options.input_path + "': No such file or directory"});

        // Checking values of a file we could not read would only add confusing follow-ups.
        if (defaults == FileState::failed || input == FileState::failed || !loaded.valid())
                return loaded;

        build_config(raw, options.mode, loaded.config, loaded.diagnostics);
        return loaded;
}

} // namespace css
