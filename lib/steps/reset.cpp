// SPDX-License-Identifier: Apache-2.0
#include "steps/reset.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "engine/storage_options.hpp"
#include "lvm/commands.hpp"
#include "steps/autoextend_profile.hpp"
#include "steps/containers_storage_conf.hpp"
#include "steps/engine_output.hpp"
#include "steps/output_file.hpp"
#include "steps/step_util.hpp"
#include "sys/atomic_file.hpp"
#include "sys/dm_name.hpp"
#include "sys/process.hpp"

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace css::steps {

namespace {

ResetPlan::Volume volume(const lvm::Lv &lv, std::string mount_path = {})
{
        return ResetPlan::Volume{lv.vg, lv.name, std::move(mount_path), lv.kernel_major, lv.kernel_minor};
}

bool dry_run_print(const StepContext &context, const std::string &what)
{
        if (!context.dry_run())
                return false;
        std::printf("would %s\n", what.c_str());
        std::fflush(stdout);
        return true;
}

// Unmounts the LV from its configured mount point when that is where it is mounted. The
// device number tells, so an unrelated filesystem on that path is never unmounted.
Result<void> unmount_volume(const StepContext &context, const ResetPlan::Volume &v)
{
        if (v.mount_path.empty() || !v.major || !v.minor)
                return {};
        struct stat st;
        const std::string path = paths::host_path(v.mount_path);
        if (::stat(path.c_str(), &st) < 0 || st.st_dev != makedev(*v.major, *v.minor))
                return {};
        if (dry_run_print(context, "unmount " + v.mount_path))
                return {};
        if (::umount2(path.c_str(), 0) < 0)
                return make_errno_error(errno, "Failed to unmount '" + v.mount_path + "'");
        return {};
}

Result<void> remove_volume(StepContext &context, const ResetPlan::Volume &v)
{
        if (Result<void> r = run_lvm_change(context, lvm::lvchange_deactivate(v.vg, v.lv)); !r)
                return r;
        return run_lvm_change(context, lvm::lvremove(v.vg, v.lv));
}

Result<void> remove_file(const StepContext &context, std::string_view file)
{
        const std::string path = paths::host_path(file);
        if (::access(path.c_str(), F_OK) < 0)
                return {};
        if (dry_run_print(context, "remove " + std::string(file)))
                return {};
        if (::unlink(path.c_str()) < 0 && errno != ENOENT)
                return make_errno_error(errno, "Failed to remove '" + std::string(file) + "'");
        return {};
}

bool written_by_us(std::string_view file)
{
        std::ifstream in(paths::host_path(file));
        std::string first;
        return std::getline(in, first) && first == containers_storage_conf_marker;
}

// The keys css-write-storage-config wrote into daemon.json and that still hold our values; the
// file itself only when we created it and nothing else is left in it. The admin's keys, and
// ours that the admin changed since, stay.
Result<void> remove_daemon_json_settings(StepContext &context)
{
        std::optional<DaemonJsonRecord> record = read_daemon_json_record();
        if (!record)
                return {};
        Result<engine::DaemonJson> file = engine::read_daemon_json(paths::host_path(record->path), record->path);
        if (!file)
                return file.error();
        if (file->exists) {
                nlohmann::json kept = engine::remove_written_keys(file->object, record->keys);
                if (record->created && kept.empty()) {
                        if (Result<void> r = remove_file(context, record->path); !r)
                                return r;
                } else if (kept != file->object) {
                        AtomicWriteOptions options;
                        options.mode = file->mode;
                        if (Result<void> r = context.write_file(paths::host_path(record->path),
                                                                engine::render_daemon_json(kept), options);
                            !r)
                                return r;
                }
        }
        return remove_file(context, daemon_json_record);
}

// The thin pool daemon.json names when the sysconfig file does not, as the options it stands for.
std::optional<std::string> daemon_json_pool_options()
{
        std::optional<DaemonJsonRecord> record = read_daemon_json_record();
        if (!record || !record->keys.contains("storage-opts") || !record->keys.at("storage-opts").is_array())
                return std::nullopt;
        std::string options;
        for (const nlohmann::json &opt : record->keys.at("storage-opts"))
                if (opt.is_string())
                        options += "--storage-opt " + opt.get<std::string>() + " ";
        return options;
}

} // namespace

Result<ResetPlan> plan_reset(const Config &config, const std::optional<std::string> &current_options,
                             const lvm::Snapshot &snapshot, std::string_view vg)
{
        ResetPlan plan;
        if (std::optional<ContainerRootLv> lv = container_root_lv(config); lv && !vg.empty())
                if (const lvm::Lv *found = snapshot.find_lv(vg, lv->name))
                        plan.container_root_lv = volume(*found, lv->mount_path);

        std::optional<std::string> device = current_options ? configured_thinpool(*current_options) : std::nullopt;
        if (device) {
                if (!thinpool_managed_by_us(*device, config.container_thinpool))
                        return Error{"Thin pool " + *device +
                                             " does not seem to be managed by container-storage-setup. Exiting.",
                                     EINVAL};
                Result<dm::SplitName> split = dm::split_lvm_dm_name(device->substr(device->rfind('/') + 1));
                if (!split)
                        return split.error();
                plan.profile_of = {split->vg, split->lv};
                if (const lvm::Lv *pool = snapshot.find_thin_pool(split->vg, split->lv))
                        plan.thin_pool = volume(*pool);
        } else if (config.storage_driver == StorageDriver::devicemapper && !vg.empty()) {
                plan.profile_of = {std::string(vg), config.container_thinpool};
                if (const lvm::Lv *pool = snapshot.find_thin_pool(vg, config.container_thinpool))
                        plan.thin_pool = volume(*pool);
        }
        return plan;
}

void keep_volumes(ResetPlan &plan, const ResetPlan &kept)
{
        auto same = [](const std::optional<ResetPlan::Volume> &a, const std::optional<ResetPlan::Volume> &b) {
                return a && b && a->vg == b->vg && a->lv == b->lv && a->mount_path == b->mount_path;
        };
        if (same(plan.container_root_lv, kept.container_root_lv))
                plan.container_root_lv.reset();
        if (same(plan.thin_pool, kept.thin_pool)) {
                plan.thin_pool.reset();
                plan.profile_of.reset();
        }
}

Result<ResetPlan> plan_removal(StepContext &context, const Config *next)
{
        Result<std::optional<std::string>> current = read_current_options();
        if (!current)
                return current.error();
        if (!*current)
                *current = daemon_json_pool_options();
        Result<std::string> vg = context.effective_vg();
        if (!vg)
                return vg.error();
        Result<const lvm::Snapshot *> snapshot = context.lvm();
        if (!snapshot)
                return snapshot.error();
        Result<ResetPlan> plan = plan_reset(context.config(), *current, **snapshot, *vg);
        if (!plan || !next)
                return plan;
        StepContext next_context(*next, RunMode::dry_run);
        Result<std::string> next_vg = next_context.effective_vg();
        if (!next_vg)
                return next_vg.error();
        // What the next configuration itself names, not the output file's pool.
        Result<ResetPlan> kept = plan_reset(*next, std::nullopt, **snapshot, *next_vg);
        if (!kept)
                return kept.error();
        keep_volumes(*plan, *kept);
        return plan;
}

int reset(StepContext &context, const Config *next)
{
        Result<ResetPlan> plan = plan_removal(context, next);
        if (!plan)
                return fail(plan.error());

        if (plan->container_root_lv) {
                if (Result<void> r = unmount_volume(context, *plan->container_root_lv); !r)
                        return fail(r.error());
                if (Result<void> r = remove_volume(context, *plan->container_root_lv); !r)
                        return fail(r.error());
        }
        if (plan->thin_pool)
                if (Result<void> r = remove_volume(context, *plan->thin_pool); !r)
                        return fail(r.error());
        if (plan->profile_of) {
                Result<std::string> dir = lvm_profile_dir();
                if (!dir)
                        return fail(dir.error());
                if (Result<void> r =
                            remove_autoextend_profile(context, *dir, plan->profile_of->first, plan->profile_of->second);
                    !r)
                        return fail(r.error());
        }
        if (Result<void> r = remove_file(context, paths::sysconfig_output); !r)
                return fail(r.error());
        if (Result<void> r = remove_daemon_json_settings(context); !r)
                return fail(r.error());
        if (written_by_us(containers_storage_conf_path))
                if (Result<void> r = remove_file(context, containers_storage_conf_path); !r)
                        return fail(r.error());
        return exit_ok;
}

} // namespace css::steps
