// SPDX-License-Identifier: Apache-2.0
// container-storage-setup (also installed as docker-storage-setup): the command-line entry
// point. It only dispatches; each command lives in its own file (commands.hpp).
//
// With no command it is the original's compat mode: every setup step in order, in this
// process (compat.cpp). `--reset`, `--dry-run` (= plan), `-h/--help` and `-v/--version` are
// the original's options.

#include "commands.hpp"

#include "build-config.h"
#include "core/log.hpp"
#include "core/standard_fds.hpp"

#include <cstdio>
#include <string>
#include <string_view>

namespace {

void print_usage(FILE *to)
{
        std::fprintf(to, "Usage: container-storage-setup [--reset|--dry-run|-h|--help|-v|--version]\n"
                         "       container-storage-setup COMMAND [-h] [ARGS...]\n\n"
                         "With no command, set up the storage as configured (every step, in order).\n\n"
                         "Options:\n"
                         "  --reset      Remove the LVs, profile and output file the setup created\n"
                         "  --dry-run    Same as the plan command\n"
                         "  -h --help    Show this help\n"
                         "  -v --version Show the version\n\n"
                         "Commands:\n");
        for (const css::cli::Command &c : css::cli::commands())
                std::fprintf(to, "  %-40.*s %.*s\n", static_cast<int>(c.synopsis.size()), c.synopsis.data(),
                             static_cast<int>(c.summary.size()), c.summary.data());
        std::fprintf(to, "\nConfiguration: /etc/sysconfig/docker-storage-setup over\n"
                         "/usr/share/container-storage-setup/container-storage-setup.\n"
                         "See container-storage-setup(8) and docker-storage-setup(5).\n");
}

} // namespace

int main(int argc, char **argv)
{
        using namespace css;
        using namespace css::cli;
        if (!css::open_missing_standard_fds())
                return 1;
        css::log::setup("container-storage-setup");

        if (argc < 2)
                return run_setup();
        std::string_view first = argv[1];
        std::span<char *const> rest(argv + 2, static_cast<size_t>(argc - 2));
        if (first == "-h" || first == "--help") {
                print_usage(stdout);
                return exit_ok;
        }
        if (first == "-v" || first == "--version") {
                std::printf("%s\n", CSS_VERSION);
                return exit_ok;
        }
        if (first == "--dry-run")
                return run_plan(rest);
        if (first == "--reset") {
                if (argc > 2) {
                        css::log::error("--reset takes no arguments. Try --help.");
                        return exit_usage;
                }
                return run_reset();
        }
        if (!first.empty() && first[0] == '-') {
                css::log::error("Unknown option '" + std::string(first) + "'. Try --help.");
                return exit_usage;
        }
        for (const Command &c : commands())
                if (c.name == first)
                        return c.run(rest);

        // The original exited 1 here; an unknown command is a usage error.
        css::log::error("Unknown command " + std::string(first));
        print_usage(stderr);
        return exit_usage;
}
