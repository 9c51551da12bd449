// SPDX-License-Identifier: Apache-2.0
#pragma once

// Small pieces every LVM/engine step uses: running an LVM change and the container root LV the
// config asks for. A step returns exit_ok (done, or nothing to do) or fail(reason)
// (core/exit_code.hpp).

#include "config/config.hpp"
#include "core/exit_code.hpp"
#include "core/result.hpp"
#include "lvm/commands.hpp"
#include "steps/container_root_lv.hpp"
#include "steps/step_context.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace css::steps {

// Scratch space for kernel probes and notes between the steps of one boot (tmpfs).
inline constexpr std::string_view scratch_dir = "/run/container-storage-setup";
// Written by css-thinpool when it creates the pool: "<vg>/<pool>\n".
inline constexpr std::string_view created_pool_note = "/run/container-storage-setup/created-thinpool";
// Written by css-extend-root when ROOT_SIZE could not be applied: css-write-storage-config
// then records no "provisioned" state, so the next boot runs css-extend-root again.
inline constexpr std::string_view extend_root_failed_note = "/run/container-storage-setup/extend-root-failed";

// The container root LV of the config and /dev/VG/LV, for the steps that work on its filesystem
// (css-mkfs, css-growfs). nullopt when none is configured (logged at debug level: nothing to
// do); the original's "No valid volume group found. Exiting." without a VG.
struct ContainerRootLvDevice {
        ContainerRootLv lv;
        std::string device;
};
Result<std::optional<ContainerRootLvDevice>> container_root_lv_device(StepContext &context);

// Creates scratch_dir when it is not there yet; its path (under CSS_ROOT).
Result<std::string> ensure_scratch_dir();

// Writes one of the notes above (creating scratch_dir), atomically.
Result<void> write_scratch_note(std::string_view note, std::string_view content);

// Runs an LVM command that changes something (printed, not run, under --dry-run). lvm's own
// output (`Logical volume "docker-pool" created.`) goes to our stdout/stderr, so the journal
// shows it under the step's unit, as the original's did. Drops the cached LVM snapshot.
Result<void> run_lvm_change(StepContext &context, lvm::Argv argv);

// The cheap path of a step whose LV the provisioned record says the last full run left in
// place (provisioned()): nothing to do when device-mapper has VG/LV active, else
// `lvchange -ay VG/LV`, with no LVM report. LVM's autoactivation did not bring it up: on
// Debian 12 an activation cut short in the initrd is never retried after switch-root.
// nullopt when the record does not say so, or without device-mapper: the caller asks LVM.
std::optional<int> activate_provisioned_lv(StepContext &context, const std::string &vg, const std::string &lv);

} // namespace css::steps
