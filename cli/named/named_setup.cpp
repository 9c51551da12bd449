// SPDX-License-Identifier: Apache-2.0
#include "named/named_setup.hpp"

#include "steps/mount.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "engine/kernel_probes.hpp"
#include "engine/storage_options.hpp"
#include "steps/create_lv.hpp"
#include "steps/stripes.hpp"
#include "steps/mkfs.hpp"
#include "steps/prepare_disk.hpp"
#include "steps/step_util.hpp"
#include "steps/thinpool.hpp"
#include "steps/vg.hpp"
#include "steps/write_storage_config.hpp"
#include "sys/block.hpp"
#include "sys/dm_name.hpp"

#include <cerrno>
#include <sys/stat.h>

namespace css::cli::named {

namespace {

constexpr int failed = 1;

// The pool of a named configuration: never one that exists already (another configuration's
// or the compat pool), created with the auto-extend profile, then flagged activation-skip.
Result<void> create_thinpool(StepContext &context, const std::string &vg)
{
        const Config &config = context.config();
        Result<const lvm::Snapshot *> snapshot = context.lvm();
        if (!snapshot)
                return snapshot.error();
        Result<std::vector<std::string>> pvs = steps::devs_pvs(config, **snapshot);
        if (!pvs)
                return pvs.error();
        Result<steps::ThinPoolPlan> plan = steps::plan_thinpool(config, std::nullopt, **snapshot, vg, false, *pvs);
        if (!plan)
                return plan.error();
        if (plan->action != steps::ThinPoolPlan::Action::create)
                return Error{"Thin pool named " + config.container_thinpool +
                                     " already exists. Specify a different thin pool name.",
                             EEXIST};
        if (Result<void> r = steps::create_planned_pool(context, *plan); !r)
                return r;
        return steps::run_lvm_change(context, {"lvchange", "-ky", plan->pool_vg + "/" + plan->pool_lv});
}

std::string nearest_existing_dir(std::string dir)
{
        struct stat st;
        while (dir.size() > 1 && (::stat(paths::host_path(dir).c_str(), &st) < 0 || !S_ISDIR(st.st_mode))) {
                size_t slash = dir.rfind('/');
                dir = slash == 0 ? "/" : dir.substr(0, slash);
        }
        return dir;
}

Result<std::string> options_text(const Config &config, const std::string &vg)
{
        const std::string scratch = paths::host_path(steps::scratch_dir);
        const bool docker = steps::docker_installed();
        std::string pool_device;
        bool deferred_deletion = false;
        if (config.storage_driver == StorageDriver::devicemapper) {
                pool_device = "/dev/mapper/" + dm::lvm_dm_name(vg, config.container_thinpool);
                deferred_deletion = docker && deferred_deletion_supported(scratch);
        } else if (config.storage_driver != StorageDriver::none) {
                const std::string dir = nearest_existing_dir(steps::overlay_target_dir(config));
                Result<xfs::Ftype> ftype = xfs::ftype(dir);
                if (!ftype)
                        return ftype.error();
                if (Result<void> r = steps::check_overlay_target(config.storage_driver, probe_overlay_mount(scratch),
                                                                 *ftype, dir);
                    !r)
                        return r.error();
        }
        StorageOptionsInput input = steps::storage_options_input(config, pool_device, docker, deferred_deletion);
        input.variable_name = "STORAGE_OPTIONS";
        return storage_options_file(input);
}

} // namespace

int prepare_devices(StepContext &context, SetupResult &result)
{
        const Config &config = context.config();
        Result<std::string> vg = context.effective_vg();
        if (!vg)
                return fail(vg.error());
        result.vg = *vg;
        if (vg->empty() || config.devs.empty())
                return 0;
        Result<const lvm::Snapshot *> before = context.lvm();
        if (!before)
                return fail(before.error());
        const bool existed = (*before)->find_vg(*vg) != nullptr;
        for (const std::string &dev : config.devs) {
                if (steps::prepare_disk(context, dev) != 0)
                        return failed;
                Result<block::BlockDevice> disk = block::resolve_whole_disk(dev);
                if (!disk)
                        return fail(disk.error());
                result.devs_resolved.push_back(disk->devnode());
        }
        if (steps::create_or_extend_vg(context) != 0)
                return failed;
        Result<const lvm::Snapshot *> after = context.lvm();
        if (!after)
                return fail(after.error());
        result.vg_created = !existed && (*after)->find_vg(*vg) != nullptr;
        return 0;
}

Result<SetupResult> set_up(StepContext &context)
{
        const Config &config = context.config();
        SetupResult result;
        if (prepare_devices(context, result) != 0)
                return Error{"Failed to prepare the devices", EIO};
        if (config.storage_driver == StorageDriver::devicemapper)
                if (Result<void> r = create_thinpool(context, result.vg); !r)
                        return r.error();
        if (steps::container_root_lv(config)) {
                if (steps::create_lv(context) != 0 || steps::mkfs(context) != 0 ||
                    steps::mount_container_root_lv(context) != 0)
                        return Error{"Failed to set up the container root volume", EIO};
        }
        Result<std::string> text = options_text(config, result.vg);
        if (!text)
                return text.error();
        result.output = std::move(*text);
        return result;
}

} // namespace css::cli::named
