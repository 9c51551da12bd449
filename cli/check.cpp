// SPDX-License-Identifier: Apache-2.0
// `container-storage-setup check [--json] [FILE]`: read the layered configuration exactly as
// the boot-time helpers do, report every problem on stderr, and print the effective settings
// on stdout (KEY=value lines that are themselves a valid configuration, or one JSON object).
//
// docker-storage-setup.service runs it at boot after every step, naming the required steps with
// --step: a step that failed or did not run fails the check, with the step's reason. When the
// generator could not write the steps at all it passes --generator-error, which always fails.

#include "arguments.hpp"
#include "commands.hpp"
#include "step_results.hpp"

#include "config/config_format.hpp"
#include "config/config_load.hpp"
#include "core/log.hpp"

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css::cli {

namespace {

void print_check_help()
{
        std::printf("Usage: container-storage-setup check [--json] [--step UNIT]... [FILE]\n\n"
                    "Validate the configuration and print the effective settings.\n\n"
                    "FILE replaces /etc/sysconfig/docker-storage-setup and is taken relative to the\n"
                    "current directory; without it the sysconfig file is read (under $CSS_ROOT if set).\n"
                    "Warnings and errors go to stderr; the settings go to stdout, one KEY=value per\n"
                    "line in a fixed order, quoted so the output is a valid configuration file.\n\n"
                    "Options:\n"
                    "  -h --help    Show this help\n"
                    "     --json    Print the settings as one JSON object\n"
                    "     --step UNIT\n"
                    "               Also require that the unit succeeded (or was skipped by its\n"
                    "               Condition); a failed one is reported with the last error it\n"
                    "               logged. docker-storage-setup.service names its steps so.\n"
                    "     --generator-error TEXT\n"
                    "               Report TEXT, why the generator could not write the setup's\n"
                    "               units, and fail\n\n"
                    "Exit status: 0 valid, 1 invalid (or a step did not succeed), 2 usage error.\n");
}

} // namespace

int run_check(std::span<char *const> args)
{
        static constexpr OptionSpec check_options[] = {
                {"json", 0, false},
                {"step", 0, true},
                {"generator-error", 0, true},
        };
        Result<Arguments> parsed = parse_arguments("check", args, check_options);
        if (!parsed) {
                log::error(parsed.error().message);
                return exit_usage;
        }
        if (parsed->help) {
                print_check_help();
                return exit_ok;
        }
        if (parsed->positional.size() > 1) {
                log::error("Too many arguments for check. Usage: container-storage-setup check "
                           "[--json] [--step UNIT]... [FILE]");
                return exit_usage;
        }
        const bool json = parsed->has("json");
        const std::optional<std::string> file =
                parsed->positional.empty() ? std::nullopt : std::optional<std::string>(parsed->positional.front());
        const std::vector<std::string> steps = parsed->all("step");
        const std::optional<std::string> generator_error =
                parsed->has("generator-error")
                        ? std::optional<std::string>(parsed->options.find("generator-error")->second)
                        : std::nullopt;

        LoadOptions options = default_load_options();
        if (file) {
                options.input_path = *file;
                options.input_required = true;
        }
        LoadedConfig loaded = load_config(options);
        for (const Diagnostic &d : loaded.diagnostics) {
                if (d.severity == Diagnostic::Severity::warning)
                        log::warning(d.to_string());
                else
                        log::error(d.to_string());
        }
        if (!loaded.valid())
                return exit_failure;
        // Last, so that they end what `systemctl status` shows; the settings only when all is well.
        if (generator_error) {
                log::error("The generator could not write the units of this configuration, so no "
                           "setup step ran: " +
                           *generator_error);
                return exit_failure;
        }
        if (!check_steps(steps))
                return exit_failure;

        std::string out = json ? format_config_json(loaded.config) : format_config_shell(loaded.config);
        if (std::fwrite(out.data(), 1, out.size(), stdout) != out.size() || std::fflush(stdout) != 0) {
                log::error("Failed to write the settings to stdout.");
                return exit_failure;
        }
        return exit_ok;
}

} // namespace css::cli
