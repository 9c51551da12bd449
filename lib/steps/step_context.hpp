// SPDX-License-Identifier: Apache-2.0
#pragma once

// What every setup step needs, shared by the css-<step> helper binaries (one step per process,
// run by the generator's units) and by `container-storage-setup` with no command (every step
// in order in one process, as the original's compat mode did). The step logic lives in
// lib/steps/<step>.cpp so both paths run the same code.
//
// The LVM state is asked for once (one `lvm` exec with a JSON report) and reused until a step
// changes something and calls lvm_changed().
//
// A dry run (`--dry-run`, `plan`) is a property of the context: a step runs its commands and
// writes its files through run(), run_checked() and write_file(), which print what they would
// do instead, and asks dry_run() where it must decide otherwise. Probes still run, so a dry run
// decides exactly as a real one would.

#include "config/config.hpp"
#include "core/result.hpp"
#include "lvm/report.hpp"
#include "steps/planned_growth.hpp"
#include "sys/atomic_file.hpp"
#include "sys/block.hpp"
#include "sys/process.hpp"

#include <optional>
#include <string>

namespace css {

enum class RunMode { apply, dry_run };

class StepContext {
public:
        StepContext(const Config &config, RunMode mode) : config_(config), mode_(mode) {}

        const Config &config() const { return config_; }
        bool dry_run() const { return mode_ == RunMode::dry_run; }
        // The steps run by `container-storage-setup switch`, whose own unfinished record must
        // not stop them (config/pending_switch.hpp).
        bool switching() const { return switching_; }
        void set_switching() { switching_ = true; }

        // process::run, except that in a dry run a `mutating` command is printed ("would run:
        // <argv>") and not run.
        Result<process::Outcome> run(const process::Command &command);
        // The same, with process::run_checked's error for a command that failed.
        Result<process::Outcome> run_checked(const process::Command &command);
        // write_file_atomic, except that a dry run prints "would write <path>:" and the content.
        Result<void> write_file(const std::string &path, std::string_view content,
                                const AtomicWriteOptions &options = {});

        // The LVM snapshot, queried on first use. The pointer stays valid until lvm_changed().
        Result<const lvm::Snapshot *> lvm();
        // Call after running a command that changed LVM state.
        void lvm_changed() { snapshot_.reset(); }

        // A device's size: sysfs's, or in a dry run what the printed growth would make it.
        Result<uint64_t> device_bytes(const block::BlockDevice &device) const;
        // A dry run's printed growth, laid over the later probes of this run (planned_growth.hpp).
        // Nothing is remembered in a real run, whose probes see the real thing.
        void plan_device_growth(const block::BlockDevice &device, uint64_t bytes);
        void plan_pv_resize(std::string pv, uint64_t device_bytes);
        void plan_lv_extension(steps::PlannedGrowth::LvExtension extension);

        // The VG the steps work on: VG from the config, else the VG of the root LV (from its
        // device-mapper name in sysfs; no lvm run). "" when VG is unset and root is not an LV.
        Result<std::string> effective_vg();

private:
        const Config &config_;
        RunMode mode_;
        bool switching_ = false;
        std::optional<lvm::Snapshot> snapshot_;
        steps::PlannedGrowth planned_;
};

} // namespace css
