// SPDX-License-Identifier: Apache-2.0
#include "steps/vg.hpp"

#include "core/log.hpp"
#include "lvm/commands.hpp"
#include "sys/process.hpp"

#include <algorithm>
#include <sys/sysmacros.h>

namespace css {

const lvm::Pv *pv_of_device(const lvm::Snapshot &snapshot, const block::BlockDevice &device)
{
        if (const lvm::Pv *pv = snapshot.find_pv(major(device.devnum), minor(device.devnum)))
                return pv;
        return snapshot.find_pv(device.devnode());
}

namespace vg_plan {

Result<Plan> plan(std::string_view vg, bool vg_exists, const std::vector<Member> &members)
{
        Plan p;
        for (const Member &m : members) {
                if (m.partition.empty())
                        return Error{"Device " + m.disk + " has no partition to add to volume group " +
                                     std::string(vg) + ": css-prepare-disk has not prepared it"};
                if (!m.pv_vg)
                        return Error{"Partition " + m.partition + " of device " + m.disk +
                                     " is not a physical volume: css-prepare-disk has not prepared it"};
                if (*m.pv_vg == vg)
                        continue;
                // The original's wording for a disk whose partition belongs to someone else.
                if (!m.pv_vg->empty())
                        return Error{"Device " + m.disk + " is already partitioned and cannot be added to volume group " +
                                     std::string(vg)};
                // Two DEVS spellings of one disk (sdb and its /dev/disk/by-id link).
                if (std::find(p.pvs.begin(), p.pvs.end(), m.partition) == p.pvs.end())
                        p.pvs.push_back(m.partition);
        }
        if (!p.pvs.empty())
                p.kind = vg_exists ? Plan::Kind::extend : Plan::Kind::create;
        return p;
}

std::vector<std::string> argv(std::string_view vg, const Plan &p)
{
        switch (p.kind) {
        case Plan::Kind::create:
                return lvm::vgcreate(vg, p.pvs);
        case Plan::Kind::extend:
                return lvm::vgextend(vg, p.pvs);
        case Plan::Kind::nothing:
                break;
        }
        return {};
}

} // namespace vg_plan

namespace {

int fail(const std::string &message)
{
        log::error(message);
        return 1;
}

} // namespace

int steps::create_or_extend_vg(StepContext &context)
{
        const Config &config = context.config();
        Result<std::string> vg = context.effective_vg();
        if (!vg)
                return fail(vg.error().message);
        if (vg->empty()) {
                if (!config.devs.empty())
                        log::info("Not creating a volume group from DEVS: VG is not set and the root filesystem "
                                  "is not on LVM");
                return 0;
        }
        if (config.devs.empty()) {
                log::debug("DEVS is empty: no volume group to create or extend");
                return 0;
        }

        Result<const lvm::Snapshot *> snapshot = context.lvm();
        if (!snapshot)
                return fail(snapshot.error().message);
        std::vector<vg_plan::Member> members;
        for (const std::string &dev : config.devs) {
                Result<block::BlockDevice> disk = block::resolve_whole_disk(dev);
                if (!disk)
                        return fail(disk.error().message);
                vg_plan::Member m;
                m.disk = disk->devnode();
                auto parts = block::partitions(*disk);
                if (!parts)
                        return fail(parts.error().message);
                if (!parts->empty()) {
                        m.partition = parts->front().devnode();
                        if (const lvm::Pv *pv = pv_of_device(**snapshot, parts->front()))
                                m.pv_vg = pv->vg;
                }
                members.push_back(std::move(m));
        }

        bool exists = (*snapshot)->find_vg(*vg) != nullptr;
        Result<vg_plan::Plan> plan = vg_plan::plan(*vg, exists, members);
        if (!plan)
                return fail(plan.error().message);
        if (plan->kind == vg_plan::Plan::Kind::nothing) {
                log::info("Volume group " + *vg + " already holds every DEVS disk");
                return 0;
        }
        auto ran = process::run_checked(lvm::make_command(vg_plan::argv(*vg, *plan), true));
        context.lvm_changed();
        if (!ran)
                return fail(ran.error().message);
        return 0;
}

} // namespace css
