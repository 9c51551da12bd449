// SPDX-License-Identifier: Apache-2.0
#include "steps/growpart.hpp"

#include "core/log.hpp"
#include "steps/device_note.hpp"
#include "sys/partition.hpp"
#include "sys/process.hpp"
#include "systemd/environment.hpp"
#include "systemd/proc_cmdline.hpp"

#include <utility>

namespace css {

std::optional<std::string> root_growth::root_from_cmdline(std::string_view cmdline)
{
        std::optional<std::string> value;
        for (const std::string &word : proc_cmdline::split(cmdline))
                if (word.starts_with("root="))
                        value = word.substr(5); // the last one wins, as for systemd
        if (!value)
                return std::nullopt;
        static constexpr std::pair<std::string_view, std::string_view> tags[] = {
                {"LABEL=", "/dev/disk/by-label/"},
                {"UUID=", "/dev/disk/by-uuid/"},
                {"PARTUUID=", "/dev/disk/by-partuuid/"},
                {"PARTLABEL=", "/dev/disk/by-partlabel/"},
        };
        for (const auto &[tag, dir] : tags)
                if (value->starts_with(tag))
                        return std::string(dir) + value->substr(tag.size());
        if (value->starts_with("/dev/"))
                return value;
        return std::nullopt;
}

Result<block::BlockDevice> root_growth::root_device()
{
        if (!environment::in_initrd())
                return block::root_device();
        std::optional<std::string> path = root_from_cmdline(environment::kernel_cmdline());
        if (!path)
                return Error{"Failed to find the root device: no root=/dev/... on the kernel command line"};
        return block::from_path(*path);
}

Result<std::vector<block::BlockDevice>> root_growth::root_pvs()
{
        Result<block::BlockDevice> root = root_device();
        if (!root)
                return root.error();
        return block::lvm_physical_volumes(*root);
}

namespace steps {

int grow_root_partitions(StepContext &context)
{
        if (!context.config().growpart) {
                log::info("GROWPART is not true: not growing the root partition");
                return 0;
        }
        // The original needed /usr/bin/growpart and failed with "GROWPART=true is specified
        // and /usr/bin/growpart executable is not available. Install /usr/bin/growpart and try
        // again." We grow the partition ourselves (libfdisk + BLKPG), so that error is gone.
        Result<std::vector<block::BlockDevice>> pvs = root_growth::root_pvs();
        if (!pvs) {
                log::error(pvs.error().message);
                return 1;
        }
        if (pvs->empty()) {
                log::info("The root filesystem is not on LVM: no root partition to grow");
                return 0;
        }
        return grow_pv_partitions(context, *pvs);
}

int grow_pv_partitions(StepContext &context, const std::vector<block::BlockDevice> &pvs)
{
        const bool dry_run = context.dry_run();
        // Like the original's loop, one PV failing does not stop the others.
        int rc = 0;
        for (const block::BlockDevice &pv : pvs) {
                if (!block::is_partition(pv)) {
                        log::info("Physical volume " + pv.devnode() + " is not a partition: nothing to grow");
                        continue;
                }
                auto of = block::parent_disk(pv);
                if (!of) {
                        log::error(of.error().message);
                        rc = 1;
                        continue;
                }
                // grow_partition prints growpart's CHANGED/NOCHANGE line on stdout.
                auto grown = partition::grow_partition(of->disk.devnode(), of->number, dry_run);
                if (!grown) {
                        log::error(grown.error().message);
                        rc = 1;
                        continue;
                }
                if (!grown->changed())
                        continue;
                // Tells css-pvresize that this PV is due for pvresize, without a report.
                if (!dry_run) {
                        if (Result<uint64_t> bytes = block::size_bytes(pv))
                                write_device_note(grown_pv_note, pv.devnode(), std::to_string(*bytes));
                        continue;
                }
                // A dry run: what follows in this run (the pvresize, the VG's growth) is planned
                // from the size the partition would have.
                if (Result<unsigned> sector = block::logical_sector_size(of->disk))
                        context.plan_device_growth(pv, grown->new_size * *sector);
        }
        return rc;
}

} // namespace steps

} // namespace css
