// SPDX-License-Identifier: Apache-2.0
#pragma once

// The setup of a named configuration (`create`, `add-dev`): the same lib/steps functions as
// compat mode for the disks, the VG, the container root LV and its filesystem; what differs
// is the thin pool (an existing pool of that name is an error, and the new pool gets LVM's
// activation-skip flag so that only `activate` brings it up) and the output (STORAGE_OPTIONS,
// written where -o says, never /etc/sysconfig/docker-storage).

#include "config/config.hpp"
#include "core/result.hpp"
#include "steps/step_context.hpp"

#include <string>
#include <vector>

namespace css::cli::named {

struct SetupResult {
        std::string vg;
        bool vg_created = false;
        std::vector<std::string> devs_resolved;
        std::string output; // the STORAGE_OPTIONS file
};

// Prepares DEVS and creates or extends the VG. 0 or 1 (logged).
int prepare_devices(StepContext &context, SetupResult &result);

// Everything: devices, pool, container root LV, filesystem, mount, the options text.
Result<SetupResult> set_up(StepContext &context);

} // namespace css::cli::named
