// SPDX-License-Identifier: Apache-2.0
#include "steps/thinpool.hpp"

#include "core/log.hpp"
#include "core/paths.hpp"
#include "core/small_file.hpp"
#include "core/test_point.hpp"
#include "engine/storage_options.hpp"
#include "steps/grow_lv.hpp"
#include "steps/pool_size.hpp"
#include "steps/autoextend_profile.hpp"
#include "steps/output_file.hpp"
#include "steps/stripes.hpp"
#include "steps/step_util.hpp"
#include "sys/atomic_file.hpp"
#include "sys/dm_name.hpp"
#include "sys/process.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <sys/stat.h>

namespace css::steps {

namespace {

const char docker_metadata_error[] =
        "Docker has been previously configured for use with devicemapper graph driver. Not creating a new thin "
        "pool as existing docker metadata will fail to work with it. Manual cleanup is required before this will "
        "succeed.";
const char docker_metadata_info[] =
        "Docker state can be reset by stopping docker and by removing /var/lib/docker directory. This will destroy "
        "existing docker images and containers and all the docker metadata.";

} // namespace

Result<ThinPoolPlan> plan_thinpool(const Config &config, const std::optional<std::string> &current_options,
                                   const lvm::Snapshot &snapshot, std::string_view vg, bool docker_metadata_exists,
                                   const std::vector<std::string> &devs_pvs)
{
        ThinPoolPlan plan;
        if (current_options) {
                if (uses_old_data_meta_mode(*current_options))
                        return Error{"Old mode of passing data and metadata logical volumes to docker is not "
                                     "supported. Exiting.",
                                     EINVAL};
                if (std::optional<std::string> device = configured_thinpool(*current_options)) {
                        if (!thinpool_managed_by_us(*device, config.container_thinpool))
                                return Error{"Thin pool " + *device +
                                                     " does not seem to be managed by "
                                                     "container-storage-setup. Exiting.",
                                             EINVAL};
                        // The pool's VG from its dm name, as the original's reset did with
                        // `dmsetup splitname`: VG may have changed in the config since.
                        Result<dm::SplitName> split = dm::split_lvm_dm_name(device->substr(device->rfind('/') + 1));
                        const lvm::Lv *pool = split ? snapshot.find_thin_pool(split->vg, split->lv) : nullptr;
                        if (!pool && config.ephemeral_storage && !vg.empty() && split &&
                            split->lv == config.container_thinpool && !snapshot.find_lv(split->vg, split->lv)) {
                                // Gone with its disks, as EPHEMERAL_STORAGE says may happen: build it
                                // again below, in the configured VG.
                                plan.lost_pool = *device;
                                plan.move_docker_state = docker_metadata_exists;
                                docker_metadata_exists = false;
                        } else if (!pool)
                                return Error{"Already configured thin pool " + *device +
                                                     " is not available. If thin pool exists and is taking longer "
                                                     "to activate, set DEVICE_WAIT_TIMEOUT to a higher value and "
                                                     "retry. If thin pool does not exist any more, remove " +
                                                     std::string(paths::sysconfig_output) + " and retry",
                                             ENOENT};
                        if (pool) {
                                plan.pool_vg = pool->vg;
                                plan.pool_lv = pool->name;
                                plan.activate = !pool->active;
                                return plan;
                        }
                }
        }

        const lvm::Vg *v = vg.empty() ? nullptr : snapshot.find_vg(vg);
        if (!v)
                return Error{"No valid volume group found. Exiting.", ENOENT};
        plan.pool_vg = v->name;
        plan.pool_lv = config.container_thinpool;

        if (const lvm::Lv *lv = snapshot.find_lv(v->name, config.container_thinpool)) {
                if (!lv->is_thin_pool())
                        return Error{"Logical volume " + v->name + "/" + lv->name + " exists but is not a thin pool.",
                                     EEXIST};
                plan.activate = !lv->active;
                return plan;
        }

        if (docker_metadata_exists) {
                plan.action = ThinPoolPlan::Action::refuse_docker_metadata;
                plan.info = docker_metadata_info;
                return plan;
        }

        Result<std::optional<Stripes>> stripes = plan_stripes(config, snapshot, v->name, devs_pvs);
        if (!stripes)
                return stripes.error();
        const Stripes *striped = *stripes ? &**stripes : nullptr;
        Result<DataSizeDecision> data = decide_data_size(config, *v, striped);
        if (!data)
                return data.error();
        plan.action = ThinPoolPlan::Action::create;
        plan.info = data->info;
        plan.create = thin_pool_spec(config, *v, *data, striped);
        return plan;
}

Result<void> create_planned_pool(StepContext &context, const ThinPoolPlan &plan)
{
        const Config &config = context.config();
        if (!plan.info.empty())
                log::info(plan.info);
        if (!plan.create->profile.empty()) {
                // The profile file must exist before lvcreate names it.
                Result<std::string> dir = lvm_profile_dir();
                if (!dir)
                        return dir.error();
                if (Result<void> r =
                            write_autoextend_profile(context, *dir, plan.pool_vg, plan.pool_lv,
                                                     config.pool_autoextend_threshold, config.pool_autoextend_percent);
                    !r)
                        return r;
        }
        return run_lvm_change(context, lvm::lvcreate_thin_pool(*plan.create));
}

namespace {

// Docker's directory, whose devicemapper metadata names thin devices of a pool that is gone:
// renamed to /var/lib/docker.lost-pool (.2, .3, ... when that exists), never deleted. Not while
// dockerd runs (its pid file names a live process): it would write on into the renamed tree.
Result<void> move_docker_state_aside(StepContext &context)
{
        const std::string dir = paths::host_path(docker_root_dir);
        if (std::optional<std::string> pid = read_small_file(paths::host_path("/run/docker.pid"), 32)) {
                int n = std::atoi(pid->c_str());
                if (n > 0 && ::kill(n, 0) == 0)
                        return Error{"docker is running (pid " + std::to_string(n) + "): stop it, then run this again",
                                     EBUSY};
        }
        std::string target = dir + ".lost-pool";
        struct stat st;
        for (unsigned i = 2; ::lstat(target.c_str(), &st) == 0; ++i)
                target = dir + ".lost-pool." + std::to_string(i);
        const std::string shown = std::string(docker_root_dir) + target.substr(dir.size());
        if (context.dry_run()) {
                std::printf("would move %s aside to %s\n", std::string(docker_root_dir).c_str(), shown.c_str());
                std::fflush(stdout);
                return {};
        }
        if (::rename(dir.c_str(), target.c_str()) < 0)
                return make_errno_error(errno, "Failed to move " + std::string(docker_root_dir) + " aside to " + shown);
        // Durable before the new pool is: a power cut that kept the pool but lost the rename
        // would leave docker the stale state beside a pool that exists, and nothing to move it.
        if (Result<void> r = sync_directory(dir.substr(0, dir.rfind('/'))); !r)
                return r;
        test_point("moved-aside");
        log::notice("Moved docker's state, which refers to the lost pool, aside: " + std::string(docker_root_dir) +
                    " is now " + shown + " (nothing was deleted); docker starts with an empty " +
                    std::string(docker_root_dir) + ".");
        return {};
}

// The output file names a pool (already checked to be ours by plan_thinpool's rules): activate it
// if LVM has not, and leave its profile alone since the configuration no longer describes it.
int activate_configured_pool(StepContext &context, const std::string &options)
{
        Result<const lvm::Snapshot *> snapshot = context.lvm();
        if (!snapshot)
                return fail(snapshot.error());
        Result<ThinPoolPlan> plan = plan_thinpool(context.config(), options, **snapshot, "", false);
        if (!plan)
                return fail(plan.error());
        if (plan->activate)
                if (Result<void> r = run_lvm_change(context, lvm::lvchange_activate(plan->pool_vg, plan->pool_lv)); !r)
                        return fail(r.error());
        return exit_ok;
}

// A provisioned machine (steps/provisioned.hpp: the pool, its profile and the output file are
// as the last full run left them) only needs the pool the output file names active before the
// engine starts (activate_provisioned_lv()). nullopt: not that case, take the full path.
std::optional<int> activate_provisioned_pool(StepContext &context, const std::string &options)
{
        std::optional<std::string> device = configured_thinpool(options);
        if (!device || !device->starts_with("/dev/mapper/"))
                return std::nullopt;
        Result<dm::SplitName> split = dm::split_lvm_dm_name(device->substr(std::string_view("/dev/mapper/").size()));
        if (!split || !split->layer.empty())
                return std::nullopt;
        return activate_provisioned_lv(context, split->vg, split->lv);
}

} // namespace

int thinpool(StepContext &context)
{
        const Config &config = context.config();
        Result<std::optional<std::string>> current = read_current_options();
        if (!current)
                return fail(current.error());
        if (*current)
                if (std::optional<int> done = activate_provisioned_pool(context, **current))
                        return *done;

        if (config.storage_driver != StorageDriver::devicemapper) {
                // A pool that an earlier configuration set up is still brought up, so the engine does
                // not race LVM activation after an upgrade changed the driver (#267). Nothing else.
                if (!*current || !configured_thinpool(**current)) {
                        log::debug("STORAGE_DRIVER is not devicemapper, no thin pool to set up.");
                        return exit_ok;
                }
                return activate_configured_pool(context, **current);
        }

        // The VG is only needed when the output file does not name a pool already, or when that
        // pool may have to be built again (EPHEMERAL_STORAGE).
        std::string vg;
        if (!*current || !configured_thinpool(**current) || config.ephemeral_storage) {
                Result<std::string> effective = context.effective_vg();
                if (!effective)
                        return fail(effective.error());
                vg = *effective;
        }

        Result<const lvm::Snapshot *> snapshot = context.lvm();
        if (!snapshot)
                return fail(snapshot.error());
        struct stat st;
        bool metadata =
                ::stat(paths::host_path(docker_devicemapper_metadata_dir).c_str(), &st) == 0 && S_ISDIR(st.st_mode);

        Result<std::vector<std::string>> pvs = devs_pvs(config, **snapshot);
        if (!pvs)
                return fail(pvs.error());
        Result<ThinPoolPlan> plan = plan_thinpool(config, *current, **snapshot, vg, metadata, *pvs);
        if (!plan) {
                if (plan.error().errno_value == ENOENT && *current && configured_thinpool(**current) &&
                    !config.ephemeral_storage) {
                        log::error(plan.error().message);
                        log::info("If the DEVS disks are ephemeral (a cloud instance's instance-store disks come back "
                                  "blank after a stop and start), set EPHEMERAL_STORAGE=true: the pool is then built "
                                  "again, and docker's state that refers to the lost pool is moved aside.");
                        return exit_failure;
                }
                return fail(plan.error());
        }

        switch (plan->action) {
        case ThinPoolPlan::Action::refuse_docker_metadata:
                log::error(docker_metadata_error);
                log::info(plan->info);
                return exit_failure;
        case ThinPoolPlan::Action::apply_autoextend: {
                lvm::Lv pool = *(*snapshot)->find_thin_pool(plan->pool_vg, plan->pool_lv);
                if (plan->activate)
                        if (Result<void> r = run_lvm_change(context, lvm::lvchange_activate(pool.vg, pool.name)); !r)
                                return fail(r.error());
                if (Result<void> r = apply_autoextend(context, pool); !r)
                        return fail(r.error());
                if (Result<void> r = grow_lv(context, pool.vg, pool.name, *config.data_size); !r)
                        return fail(r.error());
                return exit_ok;
        }
        case ThinPoolPlan::Action::create:
                break;
        }

        if (!plan->lost_pool.empty()) {
                log::notice("Thin pool " + plan->lost_pool + " that " + std::string(paths::sysconfig_output) +
                            " names is gone with its disks, and EPHEMERAL_STORAGE=true says they may come back "
                            "blank: creating it again.");
                if (plan->move_docker_state)
                        if (Result<void> r = move_docker_state_aside(context); !r)
                                return fail(r.error());
        }
        if (Result<void> r = create_planned_pool(context, *plan); !r)
                return fail(r.error());
        if (Result<void> r = grow_lv(context, plan->pool_vg, plan->pool_lv, *config.data_size); !r)
                return fail(r.error());
        // Tells css-write-storage-config (a separate process, later in this boot) that the pool
        // is new, so a missing output file is expected rather than "missing".
        if (!context.dry_run())
                if (Result<void> r = write_scratch_note(created_pool_note, plan->pool_vg + "/" + plan->pool_lv + "\n");
                    !r)
                        log::warning(r.error().message + ", ignoring.");
        return exit_ok;
}

} // namespace css::steps
