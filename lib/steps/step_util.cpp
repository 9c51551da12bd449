// SPDX-License-Identifier: Apache-2.0
#include "steps/step_util.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "steps/provisioned.hpp"
#include "sys/atomic_file.hpp"
#include "sys/dm.hpp"
#include "sys/process.hpp"

#include <cerrno>
#include <sys/stat.h>

namespace css::steps {

Result<std::optional<ContainerRootLvDevice>> container_root_lv_device(StepContext &context)
{
        std::optional<ContainerRootLv> lv = container_root_lv(context.config());
        if (!lv) {
                log::debug("No container root LV is configured, nothing to do.");
                return std::optional<ContainerRootLvDevice>{};
        }
        Result<std::string> vg = context.effective_vg();
        if (!vg)
                return vg.error();
        if (vg->empty())
                return Error{"No valid volume group found. Exiting.", ENOENT};
        return std::optional<ContainerRootLvDevice>{ContainerRootLvDevice{*lv, "/dev/" + *vg + "/" + lv->name}};
}

Result<std::string> ensure_scratch_dir()
{
        std::string dir = paths::host_path(scratch_dir);
        if (::mkdir(dir.c_str(), 0755) < 0 && errno != EEXIST)
                return make_errno_error(errno, "Failed to create directory '" + dir + "'");
        return dir;
}

Result<void> write_scratch_note(std::string_view note, std::string_view content)
{
        if (Result<std::string> dir = ensure_scratch_dir(); !dir)
                return dir.error();
        return write_file_atomic(paths::host_path(note), content);
}

Result<void> run_lvm_change(StepContext &context, lvm::Argv argv)
{
        process::Command command = lvm::make_command(std::move(argv), true);
        Result<process::Outcome> outcome = context.run_checked(command);
        // Even a failed command may have changed something; never reuse the old picture.
        context.lvm_changed();
        if (!outcome)
                return outcome.error();
        return {};
}

std::optional<int> activate_provisioned_lv(StepContext &context, const std::string &vg, const std::string &lv)
{
        if (!dm::available() || !provisioned(context.config()))
                return std::nullopt;
        if (Result<bool> active = dm::exists(dm::lvm_dm_name(vg, lv)); active && *active) {
                log::debug(vg + "/" + lv + " is set up and active, nothing to do.");
                return exit_ok;
        }
        log::info("Logical volume " + vg + "/" + lv + " is set up but LVM has not activated it; activating it.");
        if (Result<void> r = run_lvm_change(context, lvm::lvchange_activate(vg, lv)); !r)
                return fail(r.error());
        return exit_ok;
}

} // namespace css::steps
