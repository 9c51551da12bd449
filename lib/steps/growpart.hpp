// SPDX-License-Identifier: Apache-2.0
#pragma once

// css-growpart (GROWPART=true): grow each partition under a root PV into the free space
// right after it (upstream-reference §2.3), as `growpart DISK N` did, with libfdisk and
// BLKPG_RESIZE_PARTITION instead of the script. The disk and the partition number come from
// sysfs (NVMe, mmcblk, virtio alike: #235, #275). "Nothing to grow" is success. pvresize is
// css-pvresize's job.

#include "steps/step_context.hpp"
#include "sys/block.hpp"

#include <vector>

namespace css::steps {

// The step: the root PVs from sysfs (no lvm exec). 0 done or nothing to do, 1 failure.
int grow_root_partitions(StepContext &context);

// The work on given PVs (the root's at boot; loop partitions in the host tests). A PV that
// is not a partition (a whole disk, a multipath map) is skipped with an INFO line.
int grow_pv_partitions(const std::vector<block::BlockDevice> &pvs, bool dry_run);

} // namespace css::steps
