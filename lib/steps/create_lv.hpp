// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-create-lv: the container root LV (CONTAINER_ROOT_LV_NAME, or docker-root-lv for the
// deprecated DOCKER_ROOT_VOLUME=yes) with its size (upstream-reference §2.7). Runs after the
// thin pool, so N%FREE is a share of what the pool left free, as in the original. An existing
// LV of that name is left alone, but activated when LVM has not: the generator runs this step
// on every boot whose /dev/VG/LV is missing, so the mount does not wait for a device that
// LVM's autoactivation never brings up. (Seen on Debian 12: the initrd's udev rules mark the
// VG online in /run/lvm/vgs_online, an activation cut short there is never retried after
// switch-root, and the mount timed out. The original had no remedy.)
//
// `lvcreate -y --wipesignatures y -l|-L SIZE -n NAME VG`: the original had no
// --wipesignatures and relied on lvm.conf's default (wipe_signatures_when_zeroing_new_lvs).
// We ask for it explicitly: css-mkfs keeps any filesystem it finds, so a stale XFS left in
// these extents by an LV removed earlier (a reset, the lab's lvremove) must not survive into
// the new LV and be mounted as if it were ours.

#include "config/config.hpp"
#include "core/result.hpp"
#include "lvm/commands.hpp"
#include "lvm/report.hpp"
#include "steps/step_context.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace css::steps {

struct CreateLvPlan {
        enum class Action { create, activate };
        Action action;
        lvm::Argv argv; // the lvcreate, or the `lvchange -ay` of an inactive LV
};

// nullopt: nothing to do (no container root LV configured, or it exists and is active).
// Errors: the VG is missing ("No valid volume group found. Exiting."), or a thin pool or thin
// LV has that name.
// A new LV is striped over `devs_pvs` (steps/stripes.hpp: devs_pvs()) when STRIPES says so, and
// refused when its size does not fit the stripes.
Result<std::optional<CreateLvPlan>> plan_create_lv(const Config &config, const lvm::Snapshot &snapshot,
                                                   std::string_view vg, const std::vector<std::string> &devs_pvs = {});

int create_lv(StepContext &context);

} // namespace css::steps
