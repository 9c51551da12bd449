// SPDX-License-Identifier: Apache-2.0
#pragma once

// The one main() of every css-<step> helper (the DEFINE_MAIN_FUNCTION idea from systemd):
// parses --help, --version and --dry-run, sets up logging, loads and validates the layered
// config, then calls the step. Exit codes: 0 done or nothing to do, 1 failure, 2 usage.

#include "config/config_load.hpp"
#include "core/exit_code.hpp"
#include "steps/step_table.hpp"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace css {

struct HelperContext {
        const Config &config;
        std::vector<std::string> args; // positional arguments after the options
        RunMode mode = RunMode::apply; // dry_run: print what would be run or written, change nothing
};

struct HelperSpec {
        std::string name;            // "css-thinpool"
        std::string_view summary;    // one line for --help
        std::string_view positional; // "" or e.g. "DEVICE"
        size_t min_args = 0;
        size_t max_args = 0;
        // Returns 0 on success or nothing to do, 1 on failure (after logging the reason).
        std::function<int(const HelperContext &context)> run;
};

// The helper of a row of the step table: css-<name>, running the row's step (a per-disk row
// takes the DEVS entry as its argument).
HelperSpec step_helper(const steps::Step &step);

int helper_main(int argc, char **argv, const HelperSpec &spec);

} // namespace css
