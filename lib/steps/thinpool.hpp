// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-thinpool (devicemapper): upstream-reference §2.5 and §2.6.
//
//   * Provisioned (steps/provisioned.hpp: the record of the last complete setup matches): only
//     make sure the pool is active, asked from device-mapper; `lvchange -ay` when it is not.
//   * The output file already names a pool (dm.thinpooldev=): it must be ours ("Thin pool X
//     does not seem to be managed by container-storage-setup. Exiting."); apply the auto-extend
//     setting and stop. No waiting loop for the pool's device (#267): see the activation below.
//   * Otherwise the VG must exist ("No valid volume group found. Exiting.").
//   * The pool exists: apply the auto-extend setting.
//   * An existing pool that LVM has not activated (yet) is activated with `lvchange -ay`, a
//     no-op when autoactivation got there first. This replaces the original's wait for the
//     pool's device node: systemd cannot wait for it, since LVM marks a thin pool's dm device
//     private to udev and systemd's rules then leave its .device unit inactive
//     (SYSTEMD_READY=0 from DM_UDEV_DISABLE_OTHER_RULES_FLAG=1, seen in the VM).
//   * A pool the output file names that is gone (its disks came back blank): an error, as the
//     original's, unless EPHEMERAL_STORAGE=true says such a loss is expected; then it is
//     created again in the configured VG, and docker's directory, whose devicemapper metadata
//     names thin devices of the lost pool (dockerd would refuse to start), is renamed aside to
//     /var/lib/docker.lost-pool (never deleted), so docker starts clean.
//   * It does not: refuse when docker already has devicemapper metadata (#116), decide
//     DATA_SIZE (MIN_DATA_SIZE) and the metadata size, write the profile file, and create the
//     pool with the profile attached in the same lvcreate, striped across the DEVS disks'
//     PVs when STRIPES asks for it (steps/stripes.hpp).

#include "config/config.hpp"
#include "core/result.hpp"
#include "lvm/commands.hpp"
#include "lvm/report.hpp"
#include "steps/step_context.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace css::steps {

inline constexpr std::string_view docker_devicemapper_metadata_dir = "/var/lib/docker/devicemapper/metadata";
inline constexpr std::string_view docker_root_dir = "/var/lib/docker";

struct ThinPoolPlan {
        enum class Action {
                apply_autoextend,       // the pool exists: `pool` says which
                create,                 // `create` holds the lvcreate
                refuse_docker_metadata, // #116: error, then `info` says how to reset
        } action = Action::apply_autoextend;
        std::string pool_vg, pool_lv;
        bool activate = false; // apply_autoextend: the pool is not active
        std::optional<lvm::ThinPoolSpec> create;
        std::string info; // an INFO line to log first (MIN_DATA_SIZE raised), or after the #116 error
        // Action::create of a pool the output file names, which is gone with its disks
        // (EPHEMERAL_STORAGE=true): docker's state that refers to it is moved aside first.
        std::string lost_pool;          // its device, "/dev/mapper/docker--vg-docker--pool"
        bool move_docker_state = false; // docker's devicemapper metadata is there
};

// Everything decided from the config, the current output options (nullopt: no file), the
// LVM snapshot, the VG to use and whether docker's devicemapper metadata exists. Errors carry
// the original's messages.
// A new pool is striped over `devs_pvs` (steps/stripes.hpp: devs_pvs()) when STRIPES says so.
Result<ThinPoolPlan> plan_thinpool(const Config &config, const std::optional<std::string> &current_options,
                                   const lvm::Snapshot &snapshot, std::string_view vg, bool docker_metadata_exists,
                                   const std::vector<std::string> &devs_pvs = {});

// A plan with Action::create: logs its INFO line, writes the auto-extend profile (it must
// exist before lvcreate names it) and creates the pool with the profile attached.
Result<void> create_planned_pool(StepContext &context, const ThinPoolPlan &plan);

int thinpool(StepContext &context);

} // namespace css::steps
