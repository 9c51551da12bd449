// SPDX-License-Identifier: Apache-2.0
// container-storage-setup (also installed as docker-storage-setup): the command-line entry
// point. It only dispatches; each command lives in its own file (commands.hpp).
//
// Running with no command is the original's "compat mode" (every setup step in one go). In
// this project the steps are systemd units; until the compat entry point is built, no
// command prints the usage and exits 2.

#include "commands.hpp"

#include "build-config.h"
#include "core/log.hpp"

#include <cstdio>
#include <string>
#include <string_view>

namespace {

void print_usage(FILE *to)
{
        std::fprintf(to, "Usage: container-storage-setup [-h|--help] [--version]\n"
                         "       container-storage-setup COMMAND [ARGS...]\n\n"
                         "Commands:\n");
        for (const css::cli::Command &c : css::cli::commands())
                std::fprintf(to, "  %-24.*s %.*s\n", static_cast<int>(c.synopsis.size()), c.synopsis.data(),
                             static_cast<int>(c.summary.size()), c.summary.data());
        std::fprintf(to, "\nConfiguration: /etc/sysconfig/docker-storage-setup over\n"
                         "/usr/share/container-storage-setup/container-storage-setup.\n"
                         "See docker-storage-setup(5).\n");
}

} // namespace

int main(int argc, char **argv)
{
        using namespace css::cli;
        css::log::setup("container-storage-setup");

        if (argc < 2) {
                print_usage(stderr);
                return exit_usage;
        }
        std::string_view first = argv[1];
        if (first == "-h" || first == "--help") {
                print_usage(stdout);
                return exit_ok;
        }
        if (first == "--version") {
                std::printf("%s\n", CSS_VERSION);
                return exit_ok;
        }
        if (!first.empty() && first[0] == '-') {
                css::log::error("Unknown option '" + std::string(first) + "'. Try --help.");
                return exit_usage;
        }
        for (const Command &c : commands())
                if (c.name == first)
                        return c.run(std::span<char *const>(argv + 2, static_cast<size_t>(argc - 2)));

        css::log::error("Unknown command " + std::string(first));
        print_usage(stderr);
        return exit_usage;
}
