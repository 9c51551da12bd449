// SPDX-License-Identifier: Apache-2.0
#include "helper_main.hpp"

#include "build-config.h"
#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/standard_fds.hpp"
#include "core/test_point.hpp"
#include "steps/failure_reason.hpp"
#include "sys/lock.hpp"
#include "sys/process.hpp"

#include <cstdio>
#include <getopt.h>
#include <string>

namespace css {

namespace {

void print_help(const HelperSpec &spec)
{
        std::string usage = spec.name;
        usage += " [OPTIONS]";
        if (!spec.positional.empty()) {
                usage += ' ';
                usage += spec.positional;
        }
        std::printf("%s\n\n%.*s\n\n"
                    "Options:\n"
                    "  -h --help       Show this help\n"
                    "     --version    Show the version\n"
                    "  -n --dry-run    Print what would be run or written; change nothing\n\n"
                    "Reads %.*s over %.*s.\n"
                    "See container-storage-setup-helpers(8).\n",
                    usage.c_str(), static_cast<int>(spec.summary.size()), spec.summary.data(),
                    static_cast<int>(paths::sysconfig_input.size()), paths::sysconfig_input.data(),
                    static_cast<int>(paths::defaults_file.size()), paths::defaults_file.data());
}

} // namespace

HelperSpec step_helper(const steps::Step &step)
{
        const bool per_disk = step.kind == steps::StepKind::per_disk;
        return HelperSpec{
                steps::helper_name(step),
                step.summary,
                per_disk ? "DEVICE" : "",
                per_disk ? 1u : 0u,
                per_disk ? 1u : 0u,
                [&step](const HelperContext &helper) {
                        StepContext context(helper.config, helper.mode);
                        return step.run(context, helper.args.empty() ? std::string_view() : helper.args.front());
                },
        };
}

namespace {

int run_helper(int argc, char **argv, const HelperSpec &spec)
{
        if (!open_missing_standard_fds())
                return exit_failure;
        log::setup(spec.name);

        enum { arg_version = 0x100 };
        static const option options[] = {
                {"help", no_argument, nullptr, 'h'},
                {"version", no_argument, nullptr, arg_version},
                {"dry-run", no_argument, nullptr, 'n'},
                {},
        };

        bool dry_run = false;
        int c;
        opterr = 0;
        while ((c = getopt_long(argc, argv, "+hn", options, nullptr)) >= 0) {
                switch (c) {
                case 'h':
                        print_help(spec);
                        return exit_ok;
                case arg_version:
                        std::printf("%s\n", CSS_VERSION);
                        return exit_ok;
                case 'n':
                        dry_run = true;
                        break;
                default:
                        log::error(std::string("Unknown option '") + argv[optind - 1] + "'. Try --help.");
                        return exit_usage;
                }
        }

        std::vector<std::string> args(argv + optind, argv + argc);
        if (args.size() < spec.min_args || args.size() > spec.max_args) {
                log::error(std::string("Wrong number of arguments. Usage: ") + std::string(spec.name) + " [OPTIONS]" +
                           (spec.positional.empty() ? "" : " ") + std::string(spec.positional));
                return exit_usage;
        }

        // Serialised with the CLI (and any helper started by hand): a step never runs while
        // `container-storage-setup` changes the same disks, and reads the settings only once its
        // turn has come. A dry run changes nothing: no lock.
        FileLock lock;
        if (!dry_run) {
                Result<FileLock> taken = take_global_lock(boot_lock_timeout);
                if (!taken) {
                        log::error(taken.error().message);
                        return exit_failure;
                }
                lock = std::move(*taken);
                log::debug("Holding the global lock");
        }

        log::debug("Reading the settings");
        LoadedConfig loaded = load_config(default_load_options());
        for (const Diagnostic &d : loaded.diagnostics)
                if (d.severity == Diagnostic::Severity::warning)
                        log::warning(d.to_string());
        if (!loaded.valid()) {
                for (const std::string &e : loaded.errors())
                        log::error(e);
                return exit_failure;
        }

        HelperContext context{loaded.config, std::move(args), dry_run ? RunMode::dry_run : RunMode::apply};
        test_point("start");
        int rc = spec.run(context);
        if (rc == exit_ok)
                test_point("end");
        return rc;
}

} // namespace

int helper_main(int argc, char **argv, const HelperSpec &spec)
{
        int rc = run_helper(argc, argv, spec);
        // For docker-storage-setup.service's check, which quotes it (steps/failure_reason.hpp).
        if (rc != exit_ok)
                steps::record_failure_reason(log::last_error());
        return rc;
}

} // namespace css
