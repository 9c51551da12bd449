// SPDX-License-Identifier: Apache-2.0
#include "steps/growpart.hpp"

#include "core/log.hpp"
#include "sys/partition.hpp"
#include "sys/process.hpp"

namespace css::steps {

int grow_root_partitions(StepContext &context)
{
        if (!context.config().growpart) {
                log::info("GROWPART is not true: not growing the root partition");
                return 0;
        }
        // The original needed /usr/bin/growpart and failed with "GROWPART=true is specified
        // and /usr/bin/growpart executable is not available. Install /usr/bin/growpart and try
        // again." We grow the partition ourselves (libfdisk + BLKPG), so that error is gone.
        Result<block::BlockDevice> root = block::root_device();
        if (!root) {
                log::error(root.error().message);
                return 1;
        }
        auto pvs = block::lvm_physical_volumes(*root);
        if (!pvs) {
                log::error(pvs.error().message);
                return 1;
        }
        if (pvs->empty()) {
                log::info("The root filesystem is not on LVM: no root partition to grow");
                return 0;
        }
        return grow_pv_partitions(*pvs, process::dry_run());
}

int grow_pv_partitions(const std::vector<block::BlockDevice> &pvs, bool dry_run)
{
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
                }
        }
        return rc;
}

} // namespace css::steps
