// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every setup step needs, shared by the css-<step> helper binaries (one step per process,
// run by the generator's units) and by `container-storage-setup` with no command (every step
// in order in one process, as the original's compat mode did). The step logic lives in
// lib/steps/<step>.cpp so both paths run the same code.
//
// The LVM state is asked for once (one `lvm` exec with a JSON report) and reused until a step
// changes something and calls lvm_changed().

#include "config/config.hpp"
#include "core/result.hpp"
#include "lvm/report.hpp"

#include <optional>
#include <string>

namespace css {

class StepContext {
public:
        explicit StepContext(const Config &config) : config_(config) {}

        const Config &config() const { return config_; }

        // The LVM snapshot, queried on first use. The pointer stays valid until lvm_changed().
        Result<const lvm::Snapshot *> lvm();
        // Call after running a command that changed LVM state.
        void lvm_changed() { snapshot_.reset(); }

        // The VG the steps work on: VG from the config, else the VG of the root LV (from its
        // device-mapper name in sysfs; no lvm run). "" when VG is unset and root is not an LV.
        Result<std::string> effective_vg();

private:
        const Config &config_;
        std::optional<lvm::Snapshot> snapshot_;
};

} // namespace css
