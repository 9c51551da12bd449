// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one main() of every css-<step> helper (the DEFINE_MAIN_FUNCTION idea from systemd):
// parses --help, --version and --dry-run, sets up logging, loads and validates the layered
// config, then calls the step. Exit codes: 0 done or nothing to do, 1 failure, 2 usage.

#include "config/config_load.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace css {

struct HelperContext {
        const Config &config;
        std::vector<std::string> args;  // positional arguments after the options
        bool dry_run = false;           // print what would be run or written, change nothing
};

struct HelperSpec {
        std::string_view name;          // "css-thinpool"
        std::string_view summary;       // one line for --help
        std::string_view positional;    // "" or e.g. "DEVICE"
        size_t min_args = 0;
        size_t max_args = 0;
        // Returns 0 on success or nothing to do, 1 on failure (after logging the reason).
        int (*run)(const HelperContext &context);
};

enum ExitCode : int { exit_ok = 0, exit_failure = 1, exit_usage = 2 };

int helper_main(int argc, char **argv, const HelperSpec &spec);

} // namespace css
