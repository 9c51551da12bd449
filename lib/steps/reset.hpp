// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-reset: the original's `--reset` (upstream-reference §2.9), for the CLI; never run at
// boot. Removes what the setup created and keeps the VG, the PVs and the partitions:
//   1. the container root LV: unmounted where it is mounted, `lvchange -an`, `lvremove`;
//   2. the thin pool named in the output file (it must be ours: "Thin pool X does not seem to
//      be managed by container-storage-setup. Exiting."; its VG from the dm name, as
//      `dmsetup splitname` gave it), or VG/CONTAINER_THINPOOL when the driver is devicemapper;
//      `lvchange -an`, `lvremove`, and its auto-extend profile file;
//   3. /etc/sysconfig/docker-storage, and /etc/containers/storage.conf if we wrote it.
// Whatever is already gone is skipped, so a second reset does nothing.

#include "config/config.hpp"
#include "core/result.hpp"
#include "lvm/report.hpp"
#include "steps/step_context.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css::steps {

struct ResetPlan {
        struct Volume {
                std::string vg, lv;
                std::string mount_path; // container root LV: where the config mounts it
                std::optional<unsigned> major, minor;
        };
        std::optional<Volume> container_root_lv;
        std::optional<Volume> thin_pool;
        // The pool whose profile file to remove (also when the pool itself is gone).
        std::optional<std::pair<std::string, std::string>> profile_of;
};

// `vg`: the effective VG ("" when none). `current_options`: from the output file.
Result<ResetPlan> plan_reset(const Config &config, const std::optional<std::string> &current_options,
                             const lvm::Snapshot &snapshot, std::string_view vg);

// Drops from `plan` the volumes `kept` names too (the same VG/LV, and for the container root LV
// the same mount point): what the next configuration uses as it is.
void keep_volumes(ResetPlan &plan, const ResetPlan &kept);

// What reset() removes: plan_reset() on the host as it is, less what `next` keeps.
Result<ResetPlan> plan_removal(StepContext &context, const Config *next = nullptr);

// Removes what the context's configuration set up. With `next` (a switch: the context holds the
// configuration applied before), the LV and the pool that `next` names as they are stay; the
// output files always go, and the next setup writes them.
int reset(StepContext &context, const Config *next = nullptr);

} // namespace css::steps
