// SPDX-License-Identifier: Apache-2.0
#pragma once

// The rows of the step table (steps/step_table.hpp) as the CLI runs them in one process, in the
// original's order (upstream-reference §2.1): compat mode (no command) runs them, `plan` runs them
// in dry-run mode, `status` names them. The mount is done with mount(2) (steps/mount.hpp) where a
// .mount unit does it at boot.
//
// Every row is walked, whether or not it applies to the configuration, as the original ran every
// function of its script: each step probes and returns 0 when there is nothing to do, and says
// why ("STORAGE_DRIVER not set, ..."). The names match the boot units (css-<name>.service) so
// `plan` and `status` speak of the same things.

#include "config/config.hpp"
#include "steps/step_context.hpp"

#include <functional>
#include <string>
#include <vector>

namespace css::cli {

struct SetupStep {
        std::string name; // "prepare-disk /dev/vdb", "vg", ..., "mount", "write-storage-config"
        std::string unit; // the unit doing the same at boot ("css-vg.service", "<path>.mount")
        std::function<int(StepContext &)> run;
};

// The steps for this configuration, in order. DEVS entries are prepared one by one in the
// order written; an entry written twice is prepared once.
std::vector<SetupStep> setup_steps(const Config &config);

// Called before each step, and after it with its exit status (0 or 1).
struct StepHooks {
        std::function<void(const SetupStep &)> before;
        std::function<void(const SetupStep &, int status)> after;
};

// Runs the steps in order with one shared context (one LVM report, refreshed only after a
// change) and stops at the first failure, as the original did under `set -e`. Returns 0 or 1.
int run_setup_steps(StepContext &context, const std::vector<SetupStep> &steps, const StepHooks &hooks = {});

} // namespace css::cli
