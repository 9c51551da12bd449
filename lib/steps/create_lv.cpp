// SPDX-License-Identifier: Apache-2.0
#include "steps/create_lv.hpp"

#include "core/log.hpp"
#include "steps/grow_lv.hpp"
#include "steps/pool_size.hpp"
#include "steps/step_util.hpp"
#include "steps/stripes.hpp"
#include "sys/dm.hpp"

#include <cerrno>

namespace css::steps {

Result<std::optional<CreateLvPlan>> plan_create_lv(const Config &config, const lvm::Snapshot &snapshot,
                                                   std::string_view vg, const std::vector<std::string> &devs_pvs)
{
        using Plan = std::optional<CreateLvPlan>;
        std::optional<ContainerRootLv> lv = container_root_lv(config);
        if (!lv)
                return Plan{};
        const lvm::Vg *v = vg.empty() ? nullptr : snapshot.find_vg(vg);
        if (!v)
                return Error{"No valid volume group found. Exiting.", ENOENT};
        if (const lvm::Lv *existing = snapshot.find_lv(v->name, lv->name)) {
                // A pool or a thin volume cannot hold our filesystem the way the mount unit expects.
                if (existing->is_thin_pool() || !existing->pool_lv.empty())
                        return Error{"Logical volume " + v->name + "/" + lv->name +
                                             " exists but is not a plain logical volume.",
                                     EEXIST};
                if (!existing->active)
                        return Plan{{CreateLvPlan::Action::activate, lvm::lvchange_activate(v->name, lv->name)}};
                return Plan{};
        }
        Result<std::optional<Stripes>> stripes = plan_stripes(config, snapshot, v->name, devs_pvs);
        if (!stripes)
                return stripes.error();
        if (*stripes)
                if (std::string why = stripes_too_small(
                            **stripes, "The size of " + v->name + "/" + lv->name + ", " + lv->size.text + ",",
                            size_in_bytes(lv->size, *v));
                    !why.empty())
                        return Error{why, ENOSPC};
        lvm::Argv argv =
                lvm::lvcreate_lv(v->name, lv->name, lv->size, *stripes ? (*stripes)->striping : lvm::Striping{});
        // After "lvcreate -y": see the header for why.
        argv.insert(argv.begin() + 2, {"--wipesignatures", "y"});
        return Plan{{CreateLvPlan::Action::create, std::move(argv)}};
}

int create_lv(StepContext &context)
{
        const std::optional<ContainerRootLv> lv = container_root_lv(context.config());
        if (!lv) {
                log::debug("No container root LV is configured, nothing to do.");
                return exit_ok;
        }
        Result<std::string> vg = context.effective_vg();
        if (!vg)
                return fail(vg.error());
        if (!vg->empty()) {
                if (std::optional<int> done = activate_provisioned_lv(context, *vg, lv->name))
                        return *done;
                // Not provisioned, but active already (udev had not made /dev/VG/LV yet when the
                // unit's condition looked): device-mapper says so without an LVM report. With
                // GROW_DEVS=true the report decides whether the LV takes a share of new space.
                if (!context.config().grow_devs && dm::available())
                        if (Result<bool> active = dm::exists(dm::lvm_dm_name(*vg, lv->name)); active && *active) {
                                log::debug("The container root LV exists and is active, nothing to do.");
                                return exit_ok;
                        }
        }
        Result<const lvm::Snapshot *> snapshot = context.lvm();
        if (!snapshot)
                return fail(snapshot.error());
        Result<std::vector<std::string>> pvs = devs_pvs(context.config(), **snapshot);
        if (!pvs)
                return fail(pvs.error());
        Result<std::optional<CreateLvPlan>> plan = plan_create_lv(context.config(), **snapshot, *vg, *pvs);
        if (!plan)
                return fail(plan.error());
        if (*plan) {
                if ((*plan)->action == CreateLvPlan::Action::activate)
                        log::info("Logical volume " + *vg + "/" + lv->name +
                                  " exists but LVM has not activated it; activating it.");
                if (Result<void> r = run_lvm_change(context, std::move((*plan)->argv)); !r)
                        return fail(r.error());
        } else {
                log::debug("The container root LV exists, nothing to do.");
        }
        if (Result<void> r = grow_lv(context, *vg, lv->name, lv->size); !r)
                return fail(r.error());
        return exit_ok;
}

} // namespace css::steps
