// SPDX-License-Identifier: Apache-2.0
#include "steps/vg.hpp"

#include "core/exit_code.hpp"
#include "core/log.hpp"
#include "lvm/commands.hpp"
#include "steps/orphan_pv.hpp"
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
                        return Error{"Device " + m.disk +
                                     " is already partitioned and cannot be added to volume group " + std::string(vg)};
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

// A DEVS disk and its first partition (nullopt when it has none).
struct DevsDisk {
        vg_plan::Member member;
        std::optional<block::BlockDevice> partition;
};

Result<std::vector<DevsDisk>> devs_disks(const std::vector<std::string> &devs)
{
        std::vector<DevsDisk> out;
        for (const std::string &dev : devs) {
                Result<block::BlockDevice> disk = block::resolve_whole_disk(dev);
                if (!disk)
                        return disk.error();
                DevsDisk d;
                d.member.disk = disk->devnode();
                auto parts = block::partitions(*disk);
                if (!parts)
                        return parts.error();
                if (!parts->empty()) {
                        d.member.partition = parts->front().devnode();
                        d.partition = parts->front();
                }
                out.push_back(std::move(d));
        }
        return out;
}

// Every DEVS partition is a PV that css-prepare-disk recorded as in no VG (steps/orphan_pv.hpp):
// the plan can only be vgcreate, or vgextend when a VG of that name lives on other disks.
// vgcreate runs without the report; it refuses, changing nothing, when the VG exists or a PV
// has joined a VG since, and the caller then takes the full path. A dry run always does, so
// it prints exactly what a real run would do.
bool created_from_recorded_pvs(StepContext &context, std::string_view vg, const std::vector<DevsDisk> &disks)
{
        if (context.dry_run())
                return false;
        std::vector<vg_plan::Member> orphans;
        for (const DevsDisk &d : disks) {
                if (d.member.partition.empty() || !steps::recorded_orphan_pv(d.member.partition))
                        return false;
                orphans.push_back(d.member);
                orphans.back().pv_vg = "";
        }
        Result<vg_plan::Plan> plan = vg_plan::plan(vg, false, orphans);
        if (!plan || plan->kind != vg_plan::Plan::Kind::create)
                return false;
        process::Command c = lvm::make_command(vg_plan::argv(vg, *plan), true);
        c.forward_stderr = false; // a refusal is expected now and then; it is not news
        Result<process::Outcome> ran = context.run_checked(c);
        context.lvm_changed();
        if (!ran) {
                log::debug(ran.error().message + "; asking LVM for a report");
                return false;
        }
        // What lvm said on stderr while doing the work, as the runner forwards it otherwise.
        std::string_view err = ran->err;
        while (!err.empty()) {
                size_t end = std::min(err.find('\n'), err.size());
                std::string_view line = err.substr(0, end);
                if (line.find_first_not_of(' ') != std::string_view::npos)
                        log::notice(std::string(line));
                err.remove_prefix(std::min(end + 1, err.size()));
        }
        return true;
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

        Result<std::vector<DevsDisk>> disks = devs_disks(config.devs);
        if (!disks)
                return fail(disks.error().message);
        auto forget_records = [&disks] {
                for (const DevsDisk &d : *disks)
                        if (!d.member.partition.empty())
                                steps::forget_orphan_pv(d.member.partition);
        };
        if (created_from_recorded_pvs(context, *vg, *disks)) {
                forget_records();
                return 0;
        }

        Result<const lvm::Snapshot *> snapshot = context.lvm();
        if (!snapshot)
                return fail(snapshot.error().message);
        std::vector<vg_plan::Member> members;
        for (DevsDisk &d : *disks) {
                if (d.partition)
                        if (const lvm::Pv *pv = pv_of_device(**snapshot, *d.partition))
                                d.member.pv_vg = pv->vg;
                members.push_back(d.member);
        }

        bool exists = (*snapshot)->find_vg(*vg) != nullptr;
        Result<vg_plan::Plan> plan = vg_plan::plan(*vg, exists, members);
        if (!plan)
                return fail(plan.error().message);
        if (plan->kind == vg_plan::Plan::Kind::nothing) {
                log::info("Volume group " + *vg + " already holds every DEVS disk");
                if (!context.dry_run())
                        forget_records();
                return 0;
        }
        auto ran = context.run_checked(lvm::make_command(vg_plan::argv(*vg, *plan), true));
        context.lvm_changed();
        if (!ran)
                return fail(ran.error().message);
        if (!context.dry_run())
                forget_records();
        return 0;
}

} // namespace css
